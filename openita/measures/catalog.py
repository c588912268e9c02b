"""The catalog of recommended integrity measures: strict schema, loading and look-up.

A catalog belongs to one OIT numbering: it declares the framework ids it serves in
``applies_to`` (``ita-2566`` and ``ita-2567`` share one). Each entry names the items and/or
indicators it addresses, a development direction (แนวทางการพัฒนา) and candidate measures, each
with steps, a usual responsible unit, a usual deadline month and the reporting rounds.

Built-in catalogs live in ``openita/measures/catalog/``. Local ones live in the directory named
by ``OPENITA_CATALOG_DIR`` or, when that is unset, ``~/.config/openita/catalog``
(``$XDG_CONFIG_HOME/openita/catalog``). A local catalog with the id of a built-in one replaces
it; otherwise a local catalog that serves a framework is preferred to a built-in one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from openita.frameworks.schema import Framework, Source
from openita.yamlsource import duplicate_keys, locate, pydantic_message

BUILTIN_DIR = Path(__file__).parent / "catalog"

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


class Entry(_Model):
    """Measures recommended for some items and/or indicators of a framework."""

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
    return letters.isalpha() and letters.islower() and code != letters


class Catalog(_Model):
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


def _yaml_error(exc: yaml.YAMLError, filename: str) -> CatalogInvalid:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(exc, "problem", None) or str(exc)
    return CatalogInvalid([f"{filename}:{line}: not valid YAML: {problem}"])


def _schema_errors(root: yaml.Node, exc: ValidationError, filename: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        found.append((locate(root, loc), pydantic_message(err)))
    return found


def parse_catalog(text: str, filename: str) -> Catalog:
    """Validate a catalog text; raise CatalogInvalid listing every problem with its line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, filename) from None
    if root is None:
        raise CatalogInvalid([f"{filename}:1: the file is empty"])
    problems = duplicate_keys(root)
    catalog: Catalog | None = None
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as exc:
        problems += _schema_errors(root, exc, filename)
    if problems or catalog is None:
        problems.sort(key=lambda p: p[0])
        raise CatalogInvalid([f"{filename}:{line}: {msg}" for line, msg in problems])
    return catalog


def load_catalog(path: Path | str) -> Catalog:
    """Read and validate a catalog file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogNotFound(f"{path}: cannot read the catalog file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogInvalid(
            [f"{path}:0: not UTF-8 text (byte {exc.start}); save it as UTF-8"]
        ) from None
    return parse_catalog(text, str(path))


_cache: dict[tuple[str, int, int], Catalog] = {}


def _cached(path: Path) -> Catalog:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        _cache[key] = load_catalog(path)
    return _cache[key]


def _load_dir(directory: Path) -> list[Catalog]:
    if not directory.is_dir():
        return []
    return [_cached(path) for path in sorted(directory.glob("*.yaml"))]


def available_catalogs() -> dict[str, tuple[Catalog, bool]]:
    """Catalog id -> (catalog, is local); a local catalog replaces a built-in of the same id."""
    found: dict[str, tuple[Catalog, bool]] = {}
    for directory, is_local in ((BUILTIN_DIR, False), (local_catalog_dir(), True)):
        for catalog in _load_dir(directory):
            found[catalog.id] = (catalog, is_local)
    return found


def catalog_for(framework: Framework) -> Catalog:
    """The catalog serving a framework: local ones first, then the highest version."""
    matching = [
        (is_local, catalog.version, catalog)
        for catalog, is_local in available_catalogs().values()
        if framework.id in catalog.applies_to
    ]
    if not matching:
        raise CatalogNotFound(f"no catalog of measures applies to framework '{framework.id}'")
    return max(matching, key=lambda m: (m[0], m[1]))[2]


def _unknown_codes(catalog: Catalog, framework: Framework) -> list[str]:
    messages: list[str] = []
    for number, entry in enumerate(catalog.entries, start=1):
        for code in entry.items:
            if framework.item(code) is None:
                messages.append(f"entry {number}: item '{code}' is not in framework {framework.id}")
        for code in entry.indicators:
            if framework.tool_of(code) is None or framework.item(code) is not None:
                messages.append(
                    f"entry {number}: indicator '{code}' is not in framework {framework.id}"
                )
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
