"""Item mappings between two framework versions: explicit, reviewable data.

OIT items were renumbered in FY2566 and cut to 26 in FY2568, so an item code means different
things in different frameworks (``o10`` is the annual plan in ita-2565, the personal-data
policy in ita-2566). Whatever compares or carries items across frameworks (a measure written
for last year's item, an item's score over the years) goes through a mapping file, never
through the code alone. ``openita frameworks diff A B --propose-mapping`` proposes one from
the titles; a person reviews it.

A mapping file (``openita/frameworks/mappings/OLD__NEW.yaml``, or the ``mappings`` folder of
the local frameworks directory) names its two frameworks, the tools whose items keep their
codes (``same_codes``), one pair per item that goes on (``old``, ``new``, ``confidence``,
``note``; an item merged or split has several pairs), and the items that end (``removed``)
or begin (``added``). Every item of the other tools must be in a pair or in one of those
lists, so a mapping says something about every item. Mappings compose: ita-2565 -> ita-2569
is the chain of the files between them.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from openita.frameworks import loader
from openita.frameworks.loader import FrameworkError, FrameworkInvalid, FrameworkNotFound
from openita.frameworks.schema import Framework
from openita.yamlsource import duplicate_keys, locate, pydantic_message, read

BUILTIN_DIR = Path(__file__).parent / "mappings"
Confidence = Literal["high", "medium", "low"]
_RANK = {"high": 2, "medium": 1, "low": 0}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class PairData(_Model):
    old: str = Field(min_length=1)
    new: str = Field(min_length=1)
    confidence: Confidence
    note: str | None = None


class EndData(_Model):
    code: str = Field(min_length=1)
    note: str | None = None


class MappingData(_Model):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    status: Literal["verified", "provisional"] = "provisional"
    note: str | None = None
    same_codes: tuple[str, ...] = ()
    pairs: tuple[PairData, ...] = ()
    removed: tuple[EndData, ...] = ()
    added: tuple[EndData, ...] = ()


@dataclass(frozen=True)
class Pair:
    old: str
    new: str
    confidence: Confidence
    note: str | None = None


@dataclass(frozen=True)
class Mapping:
    """Items of framework ``source`` -> items of framework ``target``."""

    source: str
    target: str
    pairs: tuple[Pair, ...]
    removed: frozenset[str] = frozenset()
    added: frozenset[str] = frozenset()
    same_codes: tuple[str, ...] = ()  # tools whose items keep their codes
    status: str = "provisional"
    note: str | None = None
    chain: tuple[str, ...] = field(default=())  # framework ids walked, when composed

    def new_codes(self, old: str) -> tuple[str, ...]:
        """The items an old item became (several when split; none when removed)."""
        return tuple(p.new for p in self.pairs if p.old == old)

    def old_codes(self, new: str) -> tuple[str, ...]:
        """The items a new item came from (several when merged; none when added)."""
        return tuple(p.old for p in self.pairs if p.new == new)

    def pairs_of(self, old: str) -> tuple[Pair, ...]:
        return tuple(p for p in self.pairs if p.old == old)

    def translate(
        self, codes: Iterable[str], *, at_least: Confidence = "low"
    ) -> dict[str, tuple[str, ...]]:
        """Old item codes -> new ones, keeping pairs of at least the given confidence."""
        floor = _RANK[at_least]
        return {
            code: tuple(p.new for p in self.pairs_of(code) if _RANK[p.confidence] >= floor)
            for code in codes
        }


class MappingNotFound(Exception):
    pass


# --- reading and validating -------------------------------------------------------------------


def _items_of(fw: Framework, skip: Iterable[str]) -> list[str]:
    skipped = set(skip)
    return [i.code for t in fw.tools if t.code not in skipped for i in t.items]


def parse(text: str, filename: str) -> Mapping:
    """Validate a mapping text against its two frameworks; raise FrameworkInvalid listing
    every problem with its line."""
    try:
        root, raw = read(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise FrameworkInvalid(
            [FrameworkError(filename, line, f"not valid YAML: {getattr(exc, 'problem', exc)}")]
        ) from None
    if root is None:
        raise FrameworkInvalid([FrameworkError(filename, 1, "the file is empty")])
    errors = [FrameworkError(filename, ln, msg) for ln, msg in duplicate_keys(root)]
    try:
        data = MappingData.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple("from" if p == "from_" else p for p in err["loc"])
            errors.append(FrameworkError(filename, locate(root, loc), pydantic_message(err)))
        raise FrameworkInvalid(sorted(errors, key=lambda e: e.line)) from None

    def problem(path: tuple[str | int, ...], message: str) -> None:
        errors.append(FrameworkError(filename, locate(root, path), message))

    sides: dict[str, Framework] = {}
    for key, ref in (("from", data.from_), ("to", data.to)):
        try:
            sides[key] = loader.get(ref)
        except (FrameworkNotFound, FrameworkInvalid) as exc:
            problem((key,), f"{key}: framework '{ref}' cannot be used ({_first_line(exc)})")
    if len(sides) == 2:
        _check_against(data, sides["from"], sides["to"], problem)
    if errors:
        raise FrameworkInvalid(sorted(errors, key=lambda e: e.line))
    return Mapping(
        source=data.from_,
        target=data.to,
        pairs=tuple(Pair(p.old, p.new, p.confidence, p.note) for p in data.pairs),
        removed=frozenset(e.code for e in data.removed),
        added=frozenset(e.code for e in data.added),
        same_codes=data.same_codes,
        status=data.status,
        note=data.note,
        chain=(data.from_, data.to),
    )


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _check_against(data: MappingData, old: Framework, new: Framework, problem: Any) -> None:
    for n, tool in enumerate(data.same_codes):
        old_tool, new_tool = old.tool(tool), new.tool(tool)
        if old_tool is None or new_tool is None:
            problem(("same_codes", n), f"same_codes: tool {tool} is not in both frameworks")
        elif [i.code for i in old_tool.items] != [i.code for i in new_tool.items]:
            problem(
                ("same_codes", n),
                f"same_codes: tool {tool} does not have the same item codes in {old.id} "
                f"and {new.id}; map its items in pairs",
            )
    old_codes = _items_of(old, data.same_codes)
    new_codes = _items_of(new, data.same_codes)
    seen: set[tuple[str, str]] = set()
    for n, pair in enumerate(data.pairs):
        if pair.old not in old_codes:
            problem(("pairs", n, "old"), f"pairs: unknown item '{pair.old}' in {old.id} (old)")
        if pair.new not in new_codes:
            problem(("pairs", n, "new"), f"pairs: unknown item '{pair.new}' in {new.id} (new)")
        if (pair.old, pair.new) in seen:
            problem(("pairs", n), f"pairs: {pair.old} -> {pair.new} is listed twice")
        seen.add((pair.old, pair.new))
    paired_old = {p.old for p in data.pairs}
    paired_new = {p.new for p in data.pairs}
    for key, ends, codes, paired, fw in (
        ("removed", data.removed, old_codes, paired_old, old),
        ("added", data.added, new_codes, paired_new, new),
    ):
        for n, end in enumerate(ends):
            if end.code not in codes:
                problem((key, n, "code"), f"{key}: unknown item '{end.code}' in {fw.id}")
            elif end.code in paired:
                problem(
                    (key, n, "code"),
                    f"{key}: item {end.code} of {fw.id} is also in a pair; it cannot be both",
                )
    removed = {e.code for e in data.removed}
    added = {e.code for e in data.added}
    missing_old = [c for c in old_codes if c not in paired_old and c not in removed]
    missing_new = [c for c in new_codes if c not in paired_new and c not in added]
    if missing_old:
        problem(
            ("pairs",),
            f"items of {old.id} in no pair and not under removed: {', '.join(missing_old)}",
        )
    if missing_new:
        problem(
            ("pairs",),
            f"items of {new.id} in no pair and not under added: {', '.join(missing_new)}",
        )


def load_file(path: Path) -> Mapping:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FrameworkNotFound(f"{path}: cannot read the mapping file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise FrameworkInvalid(
            [FrameworkError(str(path), 0, f"not UTF-8 text (byte {exc.start}); save it as UTF-8")]
        ) from None
    return parse(text, str(path))


def local_dir() -> Path:
    return loader.local_dir() / "mappings"


def available() -> dict[tuple[str, str], Path]:
    """(from id, to id) -> file, from the file names ``OLD__NEW.yaml``; local files replace
    built-in ones of the same name."""
    found: dict[tuple[str, str], Path] = {}
    for directory in (BUILTIN_DIR, local_dir()):
        if directory.is_dir():
            for path in sorted(directory.glob("*__*.yaml")):
                source, _, target = path.stem.partition("__")
                found[(source, target)] = path
    return found


_cache: dict[tuple[str, float], Mapping] = {}


def _load_cached(path: Path) -> Mapping:
    key = (str(path.resolve()), path.stat().st_mtime)
    if key not in _cache:
        _cache[key] = load_file(path)
    return _cache[key]


def compose(first: Mapping, second: Mapping) -> Mapping:
    """first (A -> B) then second (B -> C) gives A -> C.

    A pair's confidence is the lower of its two steps; an item removed at either step is
    removed; an item added at either step is added.
    """
    if first.target != second.source:
        raise ValueError(
            f"cannot compose {first.source}->{first.target} with {second.source}->{second.target}"
        )
    pairs: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for p in first.pairs:
        for q in second.pairs_of(p.new):
            if (p.old, q.new) in seen:
                continue
            seen.add((p.old, q.new))
            confidence = min((p.confidence, q.confidence), key=lambda c: _RANK[c])
            notes = list(dict.fromkeys(n for n in (p.note, q.note) if n))
            pairs.append(Pair(p.old, q.new, confidence, " / ".join(notes) or None))
    paired_old = {p.old for p in pairs}
    paired_new = {p.new for p in pairs}
    removed = set(first.removed) | {p.old for p in first.pairs if p.old not in paired_old}
    added = set(second.added) | {q.new for q in second.pairs if q.new not in paired_new}
    same = tuple(t for t in first.same_codes if t in second.same_codes)
    status = "verified" if first.status == second.status == "verified" else "provisional"
    return Mapping(
        source=first.source,
        target=second.target,
        pairs=tuple(pairs),
        removed=frozenset(removed),
        added=frozenset(added),
        same_codes=same,
        status=status,
        note=None,
        chain=(*first.chain, *second.chain[1:]),
    )


def identity(fw: Framework) -> Mapping:
    return Mapping(
        source=fw.id,
        target=fw.id,
        pairs=(),
        same_codes=tuple(t.code for t in fw.tools),
        status="verified",
        chain=(fw.id,),
    )


def get(source: str, target: str) -> Mapping:
    """The mapping from one framework to another: the file between them, or the shortest
    chain of files (composed); a framework maps to itself."""
    if source == target:
        return identity(loader.get(source))
    files = available()
    steps: dict[str, list[str]] = {}
    for a, b in files:
        steps.setdefault(a, []).append(b)
    queue: deque[list[str]] = deque([[source]])
    visited = {source}
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            maps = [_load_cached(files[(a, b)]) for a, b in itertools.pairwise(path)]
            result = maps[0]
            for step in maps[1:]:
                result = compose(result, step)
            return result
        for nxt in steps.get(path[-1], []):
            if nxt not in visited:
                visited.add(nxt)
                queue.append([*path, nxt])
    known = ", ".join(f"{a}->{b}" for a, b in sorted(files)) or "none"
    raise MappingNotFound(f"no item mapping from {source} to {target} (mappings: {known})")


def carry(mapping: Mapping, code: str) -> tuple[str, ...]:
    """The codes an item of ``mapping.source`` has in ``mapping.target``: the same code for
    tools that keep their codes, else the mapped items."""
    for tool in mapping.same_codes:
        fw = loader.get(mapping.source)
        t = fw.tool(tool)
        if t is not None and any(i.code == code for i in t.items):
            return (code,)
    return mapping.new_codes(code)
