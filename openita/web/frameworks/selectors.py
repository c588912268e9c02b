"""Reads about frameworks: the list and detail pages, and what changed since last year."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openita import frameworks
from openita.frameworks import diff
from openita.web.agencies.models import Agency
from openita.web.frameworks.models import FrameworkVersion, Origin
from openita.web.frameworks.services import current_version, file_version
from openita.web.results.models import Assessment


@dataclass(frozen=True)
class FrameworkRow:
    framework_id: str
    framework: frameworks.Framework | None  # None: it does not validate
    problems: tuple[str, ...]
    origin: str  # "builtin" | "upload"
    versions: tuple[FrameworkVersion, ...]  # stored in the database, newest first
    waiting: int  # results kept on an earlier version (a rescore would move them)


def _waiting(framework_id: str, version: int | None) -> int:
    if version is None:
        return 0
    return (
        Assessment.objects.filter(framework_id__startswith=f"{framework_id}@")
        .exclude(framework_id=f"{framework_id}@{version}")
        .count()
    )


def framework_rows() -> list[FrameworkRow]:
    """Every framework id (files and database), newest id first, with its current version."""
    stored: dict[str, list[FrameworkVersion]] = {}
    for v in FrameworkVersion.objects.select_related("uploaded_by").defer("text"):
        stored.setdefault(v.framework_id, []).append(v)
    rows = []
    for framework_id in sorted(frameworks.available(), reverse=True):
        versions = tuple(sorted(stored.get(framework_id, []), key=lambda v: -v.version))
        try:
            fw: frameworks.Framework | None = frameworks.get(framework_id)
            problems: tuple[str, ...] = ()
        except frameworks.FrameworkInvalid as exc:
            fw, problems = None, tuple(str(e) for e in exc.errors)
        except frameworks.FrameworkNotFound as exc:
            fw, problems = None, (str(exc),)
        on_top = versions[0] if versions else None
        uploaded = (
            on_top is not None
            and on_top.origin == Origin.UPLOAD
            and fw is not None
            and fw.version == on_top.version
        )
        rows.append(
            FrameworkRow(
                framework_id=framework_id,
                framework=fw,
                problems=problems,
                origin=Origin.UPLOAD if uploaded else Origin.BUILTIN,
                versions=versions,
                waiting=_waiting(framework_id, fw.version if fw else None),
            )
        )
    return rows


@dataclass(frozen=True)
class ItemRow:
    tool: str
    indicator: str
    sub_indicator: str
    code: str
    text: str
    sources: tuple[str, ...]
    confidence: str | None
    note: str | None


def _texts(value: Any) -> tuple[str, ...]:
    """Sources as strings, whether the schema gives strings or objects with a title."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    found = []
    for v in value:
        title = getattr(v, "title", None)
        found.append(str(title if title is not None else v))
    return tuple(found)


def item_rows(fw: frameworks.Framework) -> list[ItemRow]:
    """Every item in order with its place, and its sources and confidence when the framework
    gives them (fields that older frameworks do not have)."""
    rows = []
    for tool in fw.tools:
        for ind in tool.indicators:
            groups = [(s.code, s.items) for s in ind.sub_indicators] or [("", ind.items)]
            for sub_code, items in groups:
                for item in items:
                    confidence = getattr(item, "confidence", None)
                    rows.append(
                        ItemRow(
                            tool=tool.code,
                            indicator=ind.code,
                            sub_indicator=sub_code,
                            code=item.code,
                            text=item.text,
                            sources=_texts(getattr(item, "sources", None)),
                            confidence=str(confidence) if confidence is not None else None,
                            note=item.note,
                        )
                    )
    return rows


@dataclass(frozen=True)
class Detail:
    framework_id: str
    framework: frameworks.Framework
    pinned: bool  # an earlier version asked for by number
    current: int | None
    items: list[ItemRow]
    versions: tuple[FrameworkVersion, ...]
    file_version: int | None  # the built-in (or local) file's version, when there is one


def detail_of(framework_id: str, version: int | None = None) -> Detail | None:
    """One framework (its current version, or a stored one); None when unknown."""
    ref = f"{framework_id}@{version}" if version is not None else framework_id
    try:
        fw = frameworks.get(ref)
    except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
        return None
    if fw.id != framework_id:
        return None
    on_file = file_version(framework_id)
    return Detail(
        framework_id=framework_id,
        framework=fw,
        pinned=version is not None,
        current=current_version(framework_id),
        items=item_rows(fw),
        versions=tuple(
            FrameworkVersion.objects.filter(framework_id=framework_id)
            .select_related("uploaded_by")
            .defer("text")
            .order_by("-version")
        ),
        file_version=on_file.version if on_file else None,
    )


def yaml_of(framework_id: str, version: int) -> str | None:
    """The YAML text of one version: stored, else the file's when it is that version."""
    stored = (
        FrameworkVersion.objects.filter(framework_id=framework_id, version=version)
        .values_list("text", flat=True)
        .first()
    )
    if stored is not None:
        return stored
    where = frameworks.available().get(framework_id)
    on_file = file_version(framework_id)
    if isinstance(where, Path) and on_file is not None and on_file.version == version:
        return where.read_text(encoding="utf-8-sig")
    return None


# --- what changed between two frameworks -------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    code: str
    before: str  # title in the earlier framework ("" when added)
    after: str  # title in the later one ("" when removed)
    where_before: str = ""  # indicator / sub-indicator
    where_after: str = ""
    old_code: str = ""  # a moved item's code in the earlier framework, when it changed


@dataclass(frozen=True)
class Changes:
    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    renamed: list[ItemChange] = field(default_factory=list)
    moved: list[ItemChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved)


def changes_between(a: frameworks.Framework, b: frameworks.Framework) -> Changes:
    """Items added, removed, renamed (same code, another title) and moved (to another code or
    another indicator or sub-indicator) from framework ``a`` to ``b``: the frameworks diff
    (``openita frameworks diff``), titles compared after normalising the Thai."""
    d = diff.diff(a, b)

    def change(c: diff.Change) -> ItemChange:
        old, new = c.old, c.new
        code = new.code if new is not None else old.code if old is not None else ""
        return ItemChange(
            code=code,
            before=old.title if old is not None else "",
            after=new.title if new is not None else "",
            where_before=old.place if old is not None else "",
            where_after=new.place if new is not None else "",
            old_code=old.code
            if old is not None and new is not None and old.code != new.code
            else "",
        )

    added = [change(c) for c in d.added]
    removed = [change(c) for c in d.removed]
    renamed = [change(c) for c in d.renamed]
    if a.id == b.id:
        # Two versions of one framework (a correction): a code kept is the same item, however
        # much its title was corrected.
        gone = {c.code: c for c in removed}
        for new in [c for c in added if c.code in gone]:
            old = gone.pop(new.code)
            renamed.append(ItemChange(new.code, old.before, new.after, old.where_before,
                                      new.where_after))  # fmt: skip
            added.remove(new)
            removed.remove(old)
    return Changes(added, removed, renamed, [change(c) for c in d.moved])


@dataclass(frozen=True)
class YearChanges:
    fiscal_year: int
    this: frameworks.Framework | None
    last: frameworks.Framework | None
    changes: Changes | None  # None when one of the two is unknown

    @property
    def same(self) -> bool:
        return (
            self.this is not None
            and self.last is not None
            and self.this.id == self.last.id
            and self.this.version == self.last.version
        )


def _framework_of_year(agency: Agency, fiscal_year: int) -> frameworks.Framework | None:
    """The framework of the agency's results of that year, else the one covering the year."""
    on_file = (
        Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year)
        .values_list("framework_id", flat=True)
        .first()
    )
    if on_file:
        try:
            return frameworks.get(on_file)
        except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
            pass
    return frameworks.for_year(fiscal_year)


_diffs: dict[tuple[str, int, str, int], tuple[frameworks.Framework, frameworks.Framework, Changes]]
_diffs = {}


def year_changes(agency: Agency, fiscal_year: int) -> YearChanges:
    """What changed in the framework from last fiscal year to this one, for this agency."""
    this = _framework_of_year(agency, fiscal_year)
    last = _framework_of_year(agency, fiscal_year - 1)
    if this is None or last is None:
        return YearChanges(fiscal_year, this, last, None)
    key = (last.id, last.version, this.id, this.version)
    cached = _diffs.get(key)
    if cached is None or cached[0] is not last or cached[1] is not this:
        cached = (last, this, changes_between(last, this))
        _diffs[key] = cached
    return YearChanges(fiscal_year, this, last, cached[2])
