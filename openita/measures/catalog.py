"""The catalog of recommended integrity measures: strict schema, loading, validation, look-up.

One catalog of measures serves every framework (decision record 0007-plan-catalog-per-framework):

* ``catalog/measures.yaml``: the entries, each with an ``id``, a development direction
  (แนวทางการพัฒนา) and candidate measures (steps, a usual responsible unit, a usual deadline
  month and the reporting rounds). An entry says nothing about item codes: codes are renumbered
  from one methodology year to the next, a measure is not.
* ``catalog/frameworks/<framework id>.yaml``: which entries serve which codes (items,
  sub-indicators, indicators) of that framework, e.g. the integrity-measures entry serves o42 and
  o43 of ``ita-2565`` and the FY2569 entries serve o25 and o26 of ``ita-2569``.

A framework code file is validated against its framework: a framework that is not known, an
entry id that is not in the catalog, a code the framework does not have, a code named twice:
each is refused with its file and line. ``catalog_for(framework)`` resolves the two into a
``Catalog`` of entries carrying that framework's codes, which is what drafting uses.

Local files live in the directory named by ``OPENITA_CATALOG_DIR`` or, when that is unset,
``~/.config/openita/catalog`` (``$XDG_CONFIG_HOME/openita/catalog``), with the same layout:
``*.yaml`` files of entries (an entry with the id of a built-in one replaces it; new ids add
entries) and ``frameworks/<id>.yaml`` (replacing the built-in file of that framework, or
serving a framework that has none, such as a local one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from openita.frameworks.schema import Framework, Source
from openita.yamlsource import duplicate_keys, locate, pydantic_message, read

BUILTIN_DIR = Path(__file__).parent / "catalog"
FRAMEWORKS_SUBDIR = "frameworks"

# Units a small local government (อบต./เทศบาล) usually names as responsible. Catalogs may name
# others; the built-in ones use these only.
KNOWN_UNITS: tuple[str, ...] = (
    "สำนักปลัด",
    "กองคลัง",
    "กองช่าง",
    "กองการศึกษา",
    "งานนิติการ",
    "งานการเจ้าหน้าที่",
    "งานพัสดุ",
    "งานประชาสัมพันธ์",
    "งานนโยบายและแผน",
    "หน่วยตรวจสอบภายใน",
    "ทุกส่วนราชการ",
)

OLD_FORMAT = (
    "the catalog format changed: entries have an 'id' and no codes; the codes each entry "
    "serves are listed per framework in frameworks/<framework id>.yaml (docs/plan-format.md, "
    "'Catalog of measures')"
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Measure(_Model):
    """One candidate measure (มาตรการ) with its steps (ขั้นตอน/วิธีการปฏิบัติ)."""

    title: str = Field(min_length=1)
    steps: tuple[str, ...] = Field(min_length=1)
    unit: str = Field(min_length=1)  # usual responsible unit (ผู้รับผิดชอบ)
    deadline_month: int = Field(ge=1, le=12)  # calendar month (6 = มิถุนายน)
    rounds: tuple[Literal[6, 12], ...] = Field(min_length=1)  # reporting rounds, in months

    @model_validator(mode="after")
    def _rounds_unique(self) -> Measure:
        if len(set(self.rounds)) != len(self.rounds):
            raise ValueError("rounds must not repeat a round")
        return self


# --- the files ------------------------------------------------------------------------------


class CatalogEntry(_Model):
    """An entry of ``measures.yaml``: measures recommended together, without codes."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    direction: str = Field(min_length=1)  # แนวทางการพัฒนา, one sentence
    measures: tuple[Measure, ...] = Field(min_length=1)


class MeasuresFile(_Model):
    """``measures.yaml``: the catalog's entries, shared by every framework."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    sources: tuple[Source, ...] = ()
    entries: tuple[CatalogEntry, ...] = Field(min_length=1)


def _code_list(codes: tuple[str, ...]) -> tuple[str, ...]:
    if not codes:
        raise ValueError("names no code")
    seen: set[str] = set()
    for code in codes:
        if not (_is_code(code, "item") or _is_code(code, "indicator")):
            raise ValueError(f"'{code}' is not an item or indicator code")
        if code in seen:
            raise ValueError(f"'{code}' is named twice")
        seen.add(code)
    return codes


class FrameworkCodes(_Model):
    """``frameworks/<id>.yaml``: entry id -> the codes it serves in that framework."""

    framework: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    serves: dict[str, Annotated[tuple[str, ...], AfterValidator(_code_list)]] = Field(min_length=1)


# --- what drafting uses: the catalog resolved for one framework ----------------------------


class Entry(_Model):
    """Measures recommended for some items and/or indicators of one framework."""

    id: str = ""
    items: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    direction: str = Field(min_length=1)  # แนวทางการพัฒนา, one sentence
    measures: tuple[Measure, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_codes(self) -> Entry:
        if not self.items and not self.indicators:
            raise ValueError("an entry must name at least one item or indicator")
        _check_codes("items", self.items, "item")
        _check_codes("indicators", self.indicators, "indicator")
        return self

    @property
    def codes(self) -> tuple[str, ...]:
        return self.items + self.indicators


def _check_codes(field: str, codes: tuple[str, ...], kind: Literal["item", "indicator"]) -> None:
    seen: set[str] = set()
    for code in codes:
        if not _is_code(code, kind):
            raise ValueError(f"{field}: '{code}' is not an {kind} code")
        if code in seen:
            raise ValueError(f"{field}: '{code}' is named twice")
        seen.add(code)


def _is_code(code: str, kind: Literal["item", "indicator"]) -> bool:
    """Item codes look like ``e3``; indicator codes like ``ind6`` or ``ind9.1``."""
    if not code.isascii():
        return False
    if kind == "indicator":
        head, _, sub = code.removeprefix("ind").partition(".")
        return code.startswith("ind") and head.isdigit() and (not sub or sub.isdigit())
    letters = code.rstrip("0123456789")
    return letters.isalpha() and letters.islower() and code != letters and letters != "ind"


class Catalog(_Model):
    """The catalog as one framework sees it: entries with that framework's codes."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    applies_to: tuple[str, ...] = Field(min_length=1)
    sources: tuple[Source, ...] = ()
    entries: tuple[Entry, ...] = Field(min_length=1)

    def for_code(self, code: str) -> tuple[Entry, ...]:
        """The entries that name an item or indicator code, in catalog order."""
        return tuple(e for e in self.entries if code in e.codes)

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for e in self.entries for m in e.measures)


class CatalogInvalid(Exception):
    """A catalog file is broken; ``messages`` lists every problem as ``FILE:LINE: message``."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class CatalogNotFound(Exception):
    pass


def local_catalog_dir() -> Path:
    env = os.environ.get("OPENITA_CATALOG_DIR")
    if env:
        return Path(env)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "openita" / "catalog"


# --- parsing with line numbers --------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Parsed(Generic[M]):
    """A validated file with its YAML tree, so later checks can name their lines."""

    value: M
    root: yaml.Node
    filename: str

    def line(self, *path: str | int) -> int:
        return locate(self.root, path)


def _parse(
    text: str,
    filename: str,
    model: type[M],
    extra: Callable[[yaml.Node], list[tuple[int, str]]] = lambda root: [],
) -> Parsed[M]:
    try:
        root, data = read(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogInvalid([f"{filename}:{line}: not valid YAML: {problem}"]) from None
    if root is None:
        raise CatalogInvalid([f"{filename}:1: the file is empty"])
    if isinstance(data, dict) and "applies_to" in data:
        raise CatalogInvalid([f"{filename}:{locate(root, ('applies_to',))}: {OLD_FORMAT}"])
    problems = duplicate_keys(root) + extra(root)
    value: M | None = None
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        problems += [(locate(root, tuple(e["loc"])), pydantic_message(e)) for e in exc.errors()]
    if problems or value is None:
        problems.sort(key=lambda p: p[0])
        raise CatalogInvalid([f"{filename}:{line}: {msg}" for line, msg in problems])
    return Parsed(value, root, filename)


def _repeated_ids(root: yaml.Node) -> list[tuple[int, str]]:
    """Entry ids used twice, at the line of each repetition."""
    if not isinstance(root, yaml.MappingNode):
        return []
    entries = next((v for k, v in root.value if k.value == "entries"), None)
    if not isinstance(entries, yaml.SequenceNode):
        return []
    seen: set[str] = set()
    found: list[tuple[int, str]] = []
    for entry in entries.value:
        if not isinstance(entry, yaml.MappingNode):
            continue
        node = next((v for k, v in entry.value if k.value == "id"), None)
        if not isinstance(node, yaml.ScalarNode):
            continue
        if node.value in seen:
            found.append((node.start_mark.line + 1, f"entry id '{node.value}' is used twice"))
        seen.add(node.value)
    return found


def parse_measures(text: str, filename: str) -> MeasuresFile:
    """Validate a ``measures.yaml`` text; raise CatalogInvalid listing every problem."""
    return _parse_measures(text, filename).value


def _parse_measures(text: str, filename: str) -> Parsed[MeasuresFile]:
    return _parse(text, filename, MeasuresFile, _repeated_ids)


def parse_codes(text: str, filename: str) -> FrameworkCodes:
    """Validate a ``frameworks/<id>.yaml`` text on its own (not yet against its framework)."""
    return _parse(text, filename, FrameworkCodes).value


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogNotFound(f"{path}: cannot read the catalog file ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogInvalid(
            [f"{path}:0: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None


_measures_cache: dict[tuple[str, int, int], Parsed[MeasuresFile]] = {}
_codes_cache: dict[tuple[str, int, int], Parsed[FrameworkCodes]] = {}


def _key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def load_measures(path: Path | str) -> MeasuresFile:
    """Read and validate a file of entries (``measures.yaml``)."""
    return _load_measures(Path(path)).value


def _load_measures(path: Path) -> Parsed[MeasuresFile]:
    key = _key(path) if path.exists() else (str(path), 0, 0)
    if key not in _measures_cache:
        _measures_cache[key] = _parse_measures(_read(path), str(path))
    return _measures_cache[key]


def load_codes(path: Path | str) -> FrameworkCodes:
    """Read and validate a framework code file (not yet against its framework)."""
    return _load_codes(Path(path)).value


def _load_codes(path: Path) -> Parsed[FrameworkCodes]:
    key = _key(path) if path.exists() else (str(path), 0, 0)
    if key not in _codes_cache:
        _codes_cache[key] = _parse(_read(path), str(path), FrameworkCodes)
    return _codes_cache[key]


# --- the catalog: every entry, every framework file -----------------------------------------


@dataclass(frozen=True)
class Sources:
    """The entries (built-in, then local replacing by id) and the framework code files."""

    entries: dict[str, CatalogEntry]
    measures_files: list[Parsed[MeasuresFile]]
    code_files: dict[str, Parsed[FrameworkCodes]]  # framework id -> its file (local wins)
    local_code_files: frozenset[str]  # framework ids whose file is a local one


def _directories() -> list[tuple[Path, bool]]:
    return [(BUILTIN_DIR, False), (local_catalog_dir(), True)]


def catalog_sources() -> Sources:
    """Every catalog file, parsed (each broken file raises CatalogInvalid)."""
    entries: dict[str, CatalogEntry] = {}
    measures_files: list[Parsed[MeasuresFile]] = []
    code_files: dict[str, Parsed[FrameworkCodes]] = {}
    local: set[str] = set()
    for directory, is_local in _directories():
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.yaml")):
            parsed = _load_measures(path)
            measures_files.append(parsed)
            entries.update({e.id: e for e in parsed.value.entries})
        sub = directory / FRAMEWORKS_SUBDIR
        for path in sorted(sub.glob("*.yaml")) if sub.is_dir() else []:
            codes = _load_codes(path)
            code_files[codes.value.framework] = codes
            if is_local:
                local.add(codes.value.framework)
    return Sources(entries, measures_files, code_files, frozenset(local))


def check_codes(
    codes: Parsed[FrameworkCodes], framework: Framework, entries: Mapping[str, CatalogEntry]
) -> list[str]:
    """``FILE:LINE: message`` for every entry id the catalog lacks and every code the
    framework lacks (an item code must be an item; ind… a (sub-)indicator)."""
    problems: list[tuple[int, str]] = []
    if codes.value.framework != framework.id:
        problems.append(
            (
                codes.line("framework"),
                f"the file serves '{codes.value.framework}', not framework '{framework.id}'",
            )
        )
    for entry_id, listed in codes.value.serves.items():
        line = codes.line("serves", entry_id)
        if entry_id not in entries:
            problems.append((line, f"entry '{entry_id}' is not in the catalog of measures"))
        for code in listed:
            if not _in_framework(code, framework):
                problems.append((line, f"'{code}' is not in framework {framework.id}"))
    return [f"{codes.filename}:{line}: {msg}" for line, msg in sorted(problems)]


def check_codes_text(text: str, filename: str, framework: Framework) -> list[str]:
    """The problems of a framework code file's text against ``framework`` and the catalog's
    entries (CatalogInvalid when the text itself is broken)."""
    codes = _parse(text, filename, FrameworkCodes)
    return check_codes(codes, framework, catalog_sources().entries)


def _in_framework(code: str, framework: Framework) -> bool:
    if _is_code(code, "indicator"):
        return framework.tool_of(code) is not None and framework.item(code) is None
    return framework.item(code) is not None


def check_catalog(known: Mapping[str, Framework] | None = None) -> list[str]:
    """Every problem of every catalog file, each as ``FILE:LINE: message``: a framework file
    naming a framework that is not known (``known``: id -> framework; default: every framework
    OpenITA can load), an unknown entry id, an unknown code."""
    from openita import frameworks

    try:
        sources = catalog_sources()
    except CatalogInvalid as exc:
        return exc.messages
    problems: list[str] = []
    for framework_id, codes in sorted(sources.code_files.items()):
        framework = _known(framework_id, known, frameworks)
        if framework is None:
            problems.append(
                f"{codes.filename}:{codes.line('framework')}: framework '{framework_id}' is "
                "not known (see 'openita frameworks list')"
            )
            continue
        problems += check_codes(codes, framework, sources.entries)
    return problems


def _known(framework_id: str, known: Mapping[str, Framework] | None, registry: Any) -> Any:
    if known is not None:
        return known.get(framework_id)
    if framework_id not in registry.available():
        return None
    return registry.get(framework_id)


def catalog_for(framework: Framework) -> Catalog:
    """The catalog as ``framework`` sees it: every entry serving one of its codes, in the
    order of the framework's file, with the codes of that framework. Raises CatalogNotFound
    when no file lists the framework's codes, CatalogInvalid when that file (or a local file
    naming a framework that is not known) is broken."""
    sources = catalog_sources()
    _refuse_unknown_local(sources, framework)
    codes = sources.code_files.get(framework.id)
    if codes is None:
        raise CatalogNotFound(
            f"no catalog of measures lists the codes of framework '{framework.id}' (add "
            f"{FRAMEWORKS_SUBDIR}/{framework.id}.yaml to {local_catalog_dir()})"
        )
    problems = check_codes(codes, framework, sources.entries)
    if problems:
        raise CatalogInvalid(problems)
    entries = [  # in the order of the framework's file (its codes' order)
        _resolved(sources.entries[entry_id], listed)
        for entry_id, listed in codes.value.serves.items()
    ]
    first = sources.measures_files[0].value if sources.measures_files else None
    return Catalog(
        id=framework.id,
        version=first.version if first else 1,
        applies_to=(framework.id,),
        sources=tuple(s for f in sources.measures_files for s in f.value.sources),
        entries=tuple(entries),
    )


def _refuse_unknown_local(sources: Sources, framework: Framework) -> None:
    from openita import frameworks

    known = set(frameworks.available()) | {framework.id}
    problems = [
        f"{codes.filename}:{codes.line('framework')}: framework '{framework_id}' is not known "
        "(see 'openita frameworks list')"
        for framework_id, codes in sorted(sources.code_files.items())
        if framework_id in sources.local_code_files and framework_id not in known
    ]
    if problems:
        raise CatalogInvalid(problems)


def _resolved(entry: CatalogEntry, codes: Iterable[str]) -> Entry:
    listed = tuple(codes)
    return Entry(
        id=entry.id,
        items=tuple(c for c in listed if not _is_code(c, "indicator")),
        indicators=tuple(c for c in listed if _is_code(c, "indicator")),
        direction=entry.direction,
        measures=entry.measures,
    )


def served_frameworks() -> list[str]:
    """The ids of the frameworks some catalog file lists codes for."""
    return sorted(catalog_sources().code_files)


def _unknown_codes(catalog: Catalog, framework: Framework) -> list[str]:
    messages: list[str] = []
    for number, entry in enumerate(catalog.entries, start=1):
        name = entry.id or f"entry {number}"
        for code in entry.items:
            if framework.item(code) is None:
                messages.append(f"{name}: item '{code}' is not in framework {framework.id}")
        for code in entry.indicators:
            if framework.tool_of(code) is None or framework.item(code) is not None:
                messages.append(f"{name}: indicator '{code}' is not in framework {framework.id}")
    return messages


def _uncovered_items(catalog: Catalog, framework: Framework) -> list[str]:
    covered = {code for entry in catalog.entries for code in entry.items}
    return [
        f"item {item.code} ({framework.tool_of(item.code)}) of framework {framework.id} "
        f"is covered by no entry of catalog {catalog.id}"
        for item in framework.items
        if item.code not in covered
    ]


def check_coverage(catalog: Catalog, framework: Framework) -> list[str]:
    """Problems of a catalog against a framework: codes the framework does not have, and items
    of the framework that no entry names (an entry on an indicator does not cover its items).
    An empty list means the catalog fits the framework."""
    return _unknown_codes(catalog, framework) + _uncovered_items(catalog, framework)


def directions_for(framework: Framework) -> dict[str, str]:
    """Development direction (แนวทางการพัฒนา) per item or indicator code; empty without a
    catalog for the framework."""
    try:
        catalog = catalog_for(framework)
    except CatalogNotFound:
        return {}
    found: dict[str, str] = {}
    for entry in catalog.entries:
        for code in entry.codes:
            found.setdefault(code, entry.direction)
    return found
