"""Many agencies' results in one file: reading it and checking every row, saving nothing.

One CSV or XLSX (UTF-8 with or without BOM, UTF-16 with BOM or TIS-620/cp874 text; XLSX
through the safe reader) with a header row and one row per agency and fiscal year. Columns,
with Thai or English headers (docs/bulk-import.md):

* the agency: its code (``รหัสหน่วยงาน``) or its name (``ชื่อหน่วยงาน``) or both, its province
  (``จังหวัด``), optionally its district (``อำเภอ``) and its type (``ประเภท``);
* the fiscal year (``ปีงบประมาณ``, B.E. or C.E., Thai digits welcome) and optionally the
  framework (``หลักเกณฑ์``; the year's framework otherwise);
* figures: the total (``คะแนนรวม``), the rating (``ระดับ``: a band like ``A`` or a qualitative
  level like ``ผ่านดี``), and any codes of the framework as columns: tools (``IIT``), indicators
  (``ind1``..``ind10``, ``ind9.1``), items (``i1``, ``e3``, ``o12``).

``read_table`` turns the bytes into a ``Table`` (the header's roles and the rows);
``check`` checks every row against the frameworks and the agencies already known (handed in
by the caller, so this module needs no database) and returns a ``Report``: the rows that can
be saved (with their engine results), every bad cell (line, column, value, reason), and the
agencies the file would create. Nothing here writes anything.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openita import engine, frameworks, geography
from openita.engine import batch
from openita.engine.analysis import TOLERANCE
from openita.engine.rounding import published
from openita.importers.scores import (
    MAX_BYTES,
    THAI_DIGITS,
    InputInvalid,
    decode_text,
    normalize_code,
    parse_score,
)
from openita.text.normalise import compact

# Header aliases per role, compared after ``_header_key`` (lower case, no spaces or marks).
ROLES: dict[str, tuple[str, ...]] = {
    "code": ("รหัสหน่วยงาน", "รหัส", "agency_code", "agencycode", "code", "รหัสอปท."),
    "name": ("ชื่อหน่วยงาน", "หน่วยงาน", "ชื่อ", "name", "agency", "agency_name", "agencyname"),
    "province": ("จังหวัด", "province"),
    "district": ("อำเภอ", "เขต", "district", "amphoe"),
    "kind": ("ประเภท", "ประเภทหน่วยงาน", "type", "kind", "agency_type", "agencytype"),
    "fiscal_year": ("ปีงบประมาณ", "ปีงบ", "ปี", "fiscal_year", "fiscalyear", "year"),
    "framework": ("หลักเกณฑ์", "กรอบการประเมิน", "framework"),
    "total": ("คะแนนรวม", "ผลคะแนนรวม", "คะแนน", "total", "score", "total_score"),
    "rating": ("ระดับ", "ระดับผล", "ผลการประเมิน", "ระดับผลการประเมิน", "rating", "level", "band"),
}
# Columns people keep beside the data (a running number, a note): read past, not reported.
IGNORED = ("ลำดับ", "ลำดับที่", "ที่", "no", "no.", "#", "หมายเหตุ", "note", "notes", "remark")
# Agency types as written in lists, by the web app's type codes (agencies.models.AgencyKind).
KINDS: dict[str, tuple[str, ...]] = {
    "sao": ("sao", "อบต.", "อบต", "องค์การบริหารส่วนตำบล", "subdistrictadministrativeorganization"),
    "tambon": ("tambon", "ทต.", "ทต", "เทศบาลตำบล", "subdistrictmunicipality"),
    "town": ("town", "ทม.", "ทม", "เทศบาลเมือง", "townmunicipality"),
    "city": ("city", "ทน.", "ทน", "เทศบาลนคร", "citymunicipality"),
    "pao": ("pao", "อบจ.", "อบจ", "องค์การบริหารส่วนจังหวัด", "provincialadministrativeorganization"),
    "other": ("other", "อื่น", "อื่นๆ", "หน่วยงานอื่น"),
}
_CODE_LIKE = re.compile(r"^(iit|eit|oit|total|ind\d+(\.\d+)?|[a-z]{1,3}\d+(\.\d+)*)$", re.I)
HEADER_ROWS = 10  # the header is looked for in the first rows, past title rows


def _header_key(text: str) -> str:
    return compact(text.strip().lower().replace("\ufeff", ""))


_ROLE_OF = {_header_key(a): role for role, aliases in ROLES.items() for a in aliases}
_IGNORED = {_header_key(a) for a in IGNORED}
_KIND_OF = {_header_key(a): kind for kind, aliases in KINDS.items() for a in aliases}


def kind_of(text: str) -> str | None:
    """The type code an agency type is written as (``อบต.``, ``เทศบาลตำบล``, ``tambon``)."""
    return _KIND_OF.get(_header_key(text))


# --- problems ---------------------------------------------------------------------------------

# Why a cell is bad: a code, and the English sentence (the web shows its own Thai one).
REASONS: dict[str, str] = {
    "no_agency": "no agency code or name",
    "unknown_agency": "unknown agency {name!r} in {province} (tick 'create agencies' to add it)",
    "unknown_code": "unknown agency code {code!r} (tick 'create agencies' to add it)",
    "cannot_create": "agency {name!r} cannot be created: it needs {missing}",
    "code_taken": "agency code {code!r} belongs to {other!r}, not {name!r}",
    "unknown_province": "unknown province {value!r}",
    "province_mismatch": "the agency is in {on_file}, not {value}",
    "not_allowed": "outside the provinces you may import for ({allowed})",
    "unknown_kind": "unknown agency type {value!r} (known: {known})",
    "kind_mismatch": "the agency is of type {on_file} on file, not {value}",
    "no_year": "no fiscal year",
    "bad_year": "fiscal year {value!r} is not a year like 2568",
    "no_framework": "no framework covers fiscal year {year}",
    "unknown_framework": "unknown framework {value!r}",
    "not_a_number": "{column}: {value!r} is not a number",
    "out_of_range": "{column}: {value} is outside 0-100",
    "unknown_score_code": "{column}: no code {code!r} in framework {framework}",
    "not_allowed_value": "{detail}",
    "disagrees": "{column} {given} disagrees with {computed} from its parts (more than rounding)",
    "rating_disagrees": "rating {value!r} disagrees with {computed} from the total",
    "unknown_rating": "rating {value!r} is neither a band ({bands}) nor a level ({levels})",
    "not_scorable": "{detail}",
    "duplicate": "the same agency and year as line {first}",
    "no_scores": "no scores",
    "too_long": "{column} is longer than {limit} characters",
}
LIMITS = {"name": 200, "code": 20, "district": 100}  # as agencies are stored


@dataclass(frozen=True)
class BadCell:
    line: int  # 1-based line (CSV) or row (XLSX) of the file
    column: str  # the header as written, "" for the whole row
    value: str
    reason: str  # a key of REASONS
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return REASONS[self.reason].format(
            value=self.value, column=self.column, **dict(self.params)
        )

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "message": self.message,
        }


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as written
    role: str  # a key of ROLES, or "score"
    code: str = ""  # the score code, for score columns


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line, cells), blank rows left out
    ignored: tuple[str, ...] = ()  # headers read past

    def cell(self, row: Sequence[str], role: str) -> str:
        for col in self.columns:
            if col.role == role:
                return row[col.index].strip() if col.index < len(row) else ""
        return ""

    def has(self, role: str) -> bool:
        return any(c.role == role for c in self.columns)


def _rows_of(data: bytes, name: str) -> list[list[str]]:
    from openita.importers.scores import _rows_from_text, _rows_from_xlsx

    if data.startswith(b"PK\x03\x04"):
        return _rows_from_xlsx(data, name)  # refused before unpacking when it would explode
    return _rows_from_text(decode_text(data, name))


def _columns(header: Sequence[str]) -> tuple[list[Column], list[str]]:
    columns: list[Column] = []
    ignored: list[str] = []
    taken: set[str] = set()
    for index, raw in enumerate(header):
        text = raw.strip()
        key = _header_key(text)
        if not key:
            continue
        role = _ROLE_OF.get(key)
        if role == "total":
            columns.append(Column(index, text, "score", "total"))
        elif role is not None and role not in taken:
            taken.add(role)
            columns.append(Column(index, text, role))
        elif key in _IGNORED or role is not None:
            ignored.append(text)
        else:
            code = normalize_code(re.sub(r"^(คะแนน|score)\s*", "", text, flags=re.I))
            if _CODE_LIKE.match(code):
                columns.append(Column(index, text, "score", code))
            else:
                ignored.append(text)
    return columns, ignored


def _find_header(rows: Sequence[Sequence[str]]) -> int | None:
    for n, row in enumerate(rows[:HEADER_ROWS]):
        roles = {_ROLE_OF.get(_header_key(c)) for c in row}
        if ("code" in roles or "name" in roles) and "fiscal_year" in roles:
            return n
    return None


def read_table(data: bytes, name: str) -> Table:
    """The file's header and rows. An unreadable file, or one without a header naming the
    agency (code or name) and the fiscal year, raises InputInvalid."""
    from openita.importers.scores import FileProblem

    if not data.strip():
        raise InputInvalid([FileProblem(name, None, "is empty")])
    if len(data) > MAX_BYTES:
        raise InputInvalid([FileProblem(name, None, f"is larger than {MAX_BYTES // 2**20} MB")])
    try:
        rows = _rows_of(data, name)
    except zipfile.BadZipFile as exc:
        raise InputInvalid([FileProblem(name, None, f"is not readable ({exc})")]) from None
    header = _find_header(rows)
    if header is None:
        message = (
            "no header row naming the agency (รหัสหน่วยงาน or ชื่อหน่วยงาน) and the fiscal year "
            f"(ปีงบประมาณ) in the first {HEADER_ROWS} rows"
        )
        raise InputInvalid([FileProblem(name, 1, message)])
    columns, ignored = _columns(rows[header])
    body = tuple(
        (n + 1, tuple(r)) for n, r in enumerate(rows) if n > header and any(c.strip() for c in r)
    )
    return Table(name, tuple(columns), body, tuple(ignored))


# --- what is known: agencies on file ----------------------------------------------------------


@dataclass(frozen=True)
class KnownAgency:
    id: int
    name: str
    code: str
    province: str
    district: str
    kind: str


@dataclass(frozen=True)
class NewAgency:
    """An agency the file would create (when asked to)."""

    name: str
    code: str
    province: str
    district: str
    kind: str
    line: int  # the first line naming it

    @property
    def key(self) -> tuple[str, str]:
        return (_name_key(self.name), self.province)


def _name_key(name: str) -> str:
    return compact(name)


def province_name(text: str) -> str | None:
    """The official Thai name a province is written as, or None."""
    found = geography.find(text)
    return found.th if found is not None else None


class Directory:
    """The agencies on file, looked up by code and by (name, province)."""

    def __init__(self, agencies: Iterable[KnownAgency]) -> None:
        self.by_code: dict[str, KnownAgency] = {}
        self.by_name: dict[tuple[str, str], KnownAgency] = {}
        for a in agencies:
            if a.code:
                self.by_code[a.code] = a
            self.by_name[(_name_key(a.name), a.province)] = a

        # Provinces as stored on agencies (test data and old records may hold other names).
        self.stored = frozenset(p for _, p in self.by_name)


# --- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodRow:
    line: int
    agency: KnownAgency | NewAgency
    fiscal_year: int
    framework: frameworks.Framework
    figures: batch.Figures  # as published: what the stored figures show
    scores: dict[str, float]  # the figures given, as saved (Assessment.scores)


@dataclass
class Report:
    name: str
    rows: int = 0
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadCell] = field(default_factory=list)
    to_create: list[NewAgency] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.bad and bool(self.good)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({b.line for b in self.bad})

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "rows": self.rows,
            "good_rows": len(self.good),
            "bad_rows": len(self.bad_lines),
            "problems": [b.as_dict() for b in self.bad],
            "agencies_to_create": [
                {
                    "line": a.line,
                    "name": a.name,
                    "code": a.code,
                    "province": a.province,
                    "district": a.district,
                    "kind": a.kind,
                }
                for a in self.to_create
            ],
            "ignored_columns": list(self.ignored_columns),
        }


@dataclass(frozen=True)
class Rules:
    create_agencies: bool = False
    provinces: frozenset[str] | None = None  # None: every province may be imported


class _Checker:
    def __init__(self, table: Table, directory: Directory, rules: Rules) -> None:
        self.table = table
        self.directory = directory
        self.rules = rules
        self.report = Report(table.name, len(table.rows), ignored_columns=table.ignored)
        self.seen: dict[tuple[Any, int], int] = {}
        self.new: dict[tuple[str, str], NewAgency] = {}
        self.new_codes: dict[str, NewAgency] = {}
        self.headers = {c.role: c.header for c in table.columns}
        self.by_ref: dict[str, frameworks.Framework] = {}  # looked up once per file
        self.by_year: dict[int, frameworks.Framework | None] = {}

    def run(self) -> Report:
        pending: list[_Pending] = []
        for line, row in self.table.rows:
            problems: list[BadCell] = []
            found = self.row(line, row, problems)
            if problems:
                self.report.bad += problems
            elif found is not None:
                pending.append(found)
        self.score(pending)
        self.report.bad.sort(key=lambda b: b.line)  # stable: a row's cells keep their order
        used = {id(g.agency) for g in self.report.good if isinstance(g.agency, NewAgency)}
        self.report.to_create = [a for a in self.new.values() if id(a) in used]
        return self.report

    def score(self, pending: list[_Pending]) -> None:
        """Rows given as exactly the framework's items go through the batch scorer, a
        framework and year at a time; the others (indicators, tools, totals given, which need
        their claims checked) one by one."""
        groups: dict[tuple[int, int], list[_Pending]] = {}
        for p in pending:
            if p.given.keys() == _item_set(p.framework):
                groups.setdefault((id(p.framework), p.year), []).append(p)
            else:
                self.score_one(p)
        for group in groups.values():
            fw, year = group[0].framework, group[0].year
            found = batch.score_many(fw, [p.given for p in group], fiscal_year=year)
            for p, figures in zip(group, found, strict=True):
                if figures is None:
                    self.score_one(p)  # the engine says why
                else:
                    self.accept(p, figures)

    def score_one(self, p: _Pending) -> None:
        problems: list[BadCell] = []
        try:
            result = engine.score(p.framework, p.given, fiscal_year=p.year)
        except engine.ScoringError as exc:
            for problem in exc.problems:
                at = p.where.get(problem.code or "")
                problems.append(
                    BadCell(
                        p.line,
                        at.header if at else "",
                        _raw(p.row, at),
                        "not_scorable",
                        {"detail": problem.message},
                    )
                )
            self.report.bad += problems
            return
        self.disagreements(p.line, p.row, result, p.where, problems)
        if problems:
            self.report.bad += problems
            return
        self.accept(p, batch.figures_of(result))  # as published: the given figures stand

    def accept(self, p: _Pending, figures: batch.Figures) -> None:
        problems: list[BadCell] = []
        self.rating(p.line, p.row, p.framework, figures, problems)
        if problems:
            self.report.bad += problems
        else:
            self.report.good.append(
                GoodRow(p.line, p.agency, p.year, p.framework, figures, p.given)
            )

    def bad(
        self, problems: list[BadCell], line: int, role: str, value: str, reason: str, **params: Any
    ) -> None:
        problems.append(BadCell(line, self.headers.get(role, role), value, reason, params))

    # The agency ------------------------------------------------------------------------------

    def row(self, line: int, row: Sequence[str], problems: list[BadCell]) -> _Pending | None:
        agency = self.agency(line, row, problems)
        year = self.year(line, row, problems)
        framework = self.framework(line, row, year, problems)
        if agency is not None and year is not None:
            key = ("id", agency.id) if isinstance(agency, KnownAgency) else ("new", agency.key)
            first = self.seen.setdefault((key, year), line)
            if first != line:
                self.bad(problems, line, "", "", "duplicate", first=first)
        if framework is None or year is None:
            return None
        read = self.scores(line, row, framework, problems)
        if read is None or agency is None or problems:
            return None
        given, where = read
        return _Pending(line, row, agency, year, framework, given, where)

    def agency(
        self, line: int, row: Sequence[str], problems: list[BadCell]
    ) -> KnownAgency | NewAgency | None:
        t = self.table
        code = t.cell(row, "code").translate(THAI_DIGITS)
        name = " ".join(t.cell(row, "name").split())
        province_text = t.cell(row, "province")
        kind_text = t.cell(row, "kind")
        if not code and not name:
            self.bad(problems, line, "", "", "no_agency")
            return None
        province = province_name(province_text) if province_text else None
        if province_text and province is None and province_text not in self.directory.stored:
            self.bad(problems, line, "province", province_text, "unknown_province")
            return None
        found = self.directory.by_code.get(code) if code else None
        if found is None and name:
            by_name = self.directory.by_name.get((_name_key(name), province or province_text))
            if by_name is not None and code and by_name.code and by_name.code != code:
                self.bad(
                    problems,
                    line,
                    "code",
                    code,
                    "code_taken",
                    code=by_name.code,
                    other=by_name.name,
                    name=name,
                )
                return None
            found = by_name
        if found is not None:
            return self.known(line, found, name, province_text, kind_text, problems)
        district = " ".join(t.cell(row, "district").split())
        return self.to_create(
            line, code, name, (province_text, province), (kind_text, district), problems
        )

    def known(
        self,
        line: int,
        found: KnownAgency,
        name: str,
        province_text: str,
        kind_text: str,
        problems: list[BadCell],
    ) -> KnownAgency | None:
        before = len(problems)
        moved = province_text not in ("", found.province)
        if moved and province_name(province_text) is None:
            self.bad(problems, line, "province", province_text, "unknown_province")
        elif moved and province_name(province_text) != found.province:
            self.bad(
                problems,
                line,
                "province",
                province_text,
                "province_mismatch",
                on_file=found.province,
            )
        if kind_text:
            kind = kind_of(kind_text)
            if kind is None:
                self.bad(problems, line, "kind", kind_text, "unknown_kind", known=_known_kinds())
            elif kind != found.kind:
                self.bad(problems, line, "kind", kind_text, "kind_mismatch", on_file=found.kind)
        self.allowed(line, found.province, problems)
        return found if len(problems) == before else None

    def allowed(self, line: int, province: str, problems: list[BadCell]) -> None:
        allowed = self.rules.provinces
        if allowed is not None and province not in allowed:
            shown = ", ".join(sorted(allowed)) or "-"
            self.bad(problems, line, "province", province, "not_allowed", allowed=shown)

    def to_create(
        self,
        line: int,
        code: str,
        name: str,
        provinces: tuple[str, str | None],
        kind_district: tuple[str, str],
        problems: list[BadCell],
    ) -> NewAgency | None:
        province_text, province = provinces
        kind_text, district = kind_district
        if not self.rules.create_agencies:
            if code:
                self.bad(problems, line, "code", code, "unknown_code", code=code)
            else:
                self.bad(
                    problems,
                    line,
                    "name",
                    name,
                    "unknown_agency",
                    name=name,
                    province=province_text or "-",
                )
            return None
        before = len(problems)
        if province_text and province is None:
            self.bad(problems, line, "province", province_text, "unknown_province")
        kind = kind_of(kind_text) if kind_text else None
        if kind_text and kind is None:
            self.bad(problems, line, "kind", kind_text, "unknown_kind", known=_known_kinds())
        missing = [
            what
            for what, there in (
                ("a name", name),
                ("a province", province_text),
                ("a type", kind_text),
            )
            if not there
        ]
        if missing:
            self.bad(
                problems,
                line,
                "",
                name or code,
                "cannot_create",
                name=name or code,
                missing=", ".join(missing),
            )
        for role, text in (("name", name), ("code", code), ("district", district)):
            if len(text) > LIMITS[role]:
                self.bad(problems, line, role, text, "too_long", limit=LIMITS[role])
        if len(problems) > before or province is None or kind is None:
            return None
        self.allowed(line, province, problems)
        if len(problems) > before:
            return None
        made = self.new.get((_name_key(name), province)) or (
            self.new_codes.get(code) if code else None
        )
        if made is None:
            made = NewAgency(name, code, province, district, kind, line)
            self.new[made.key] = made
            if code:
                self.new_codes[code] = made
        return made

    # The year and framework ------------------------------------------------------------------

    def year(self, line: int, row: Sequence[str], problems: list[BadCell]) -> int | None:
        text = self.table.cell(row, "fiscal_year")
        if not text:
            self.bad(problems, line, "fiscal_year", "", "no_year")
            return None
        digits = text.translate(THAI_DIGITS).strip()
        digits = re.sub(r"^(พ\.ศ\.|ปีงบประมาณ|fy)\s*", "", digits, flags=re.I)
        if re.fullmatch(r"\d{4}(\.0)?", digits):
            year = int(float(digits))
            year = year + 543 if 1900 < year < 2400 else year  # C.E. taken as its B.E. year
            if 2500 <= year <= 2700:
                return year
        self.bad(problems, line, "fiscal_year", text, "bad_year")
        return None

    def framework(
        self, line: int, row: Sequence[str], year: int | None, problems: list[BadCell]
    ) -> frameworks.Framework | None:
        wanted = self.table.cell(row, "framework")
        if wanted:
            try:
                return self.framework_called(wanted)
            except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
                self.bad(problems, line, "framework", wanted, "unknown_framework")
                return None
        if year is None:
            return None
        found = self.framework_of_year(year)
        if found is None:
            self.bad(problems, line, "fiscal_year", str(year), "no_framework", year=year)
        return found

    def framework_called(self, ref: str) -> frameworks.Framework:
        if ref not in self.by_ref:
            self.by_ref[ref] = frameworks.get(ref)
        return self.by_ref[ref]

    def framework_of_year(self, year: int) -> frameworks.Framework | None:
        if year not in self.by_year:
            self.by_year[year] = frameworks.for_year(year)
        return self.by_year[year]

    # The figures -----------------------------------------------------------------------------

    def scores(
        self,
        line: int,
        row: Sequence[str],
        framework: frameworks.Framework,
        problems: list[BadCell],
    ) -> tuple[dict[str, float], dict[str, Column]] | None:
        """The row's figures by code (and the column of each), each a number within 0-100
        of a code of the framework."""
        given: dict[str, float] = {}
        where: dict[str, Column] = {}
        known = _codes(framework)
        before = len(problems)
        for col in self.table.columns:
            if col.role != "score":
                continue
            raw = row[col.index].strip() if col.index < len(row) else ""
            if not raw or raw in ("-", "–"):
                continue
            value = parse_score(raw)
            if value is None:
                problems.append(BadCell(line, col.header, raw, "not_a_number"))
            elif not 0 <= value <= 100:
                problems.append(BadCell(line, col.header, raw, "out_of_range"))
            elif col.code not in known:
                problems.append(
                    BadCell(
                        line,
                        col.header,
                        raw,
                        "unknown_score_code",
                        {"code": col.code, "framework": framework.id},
                    )
                )
            else:
                given[col.code] = value
                where[col.code] = col
        if len(problems) > before:
            return None
        if not given:
            self.bad(problems, line, "", "", "no_scores")
            return None
        return given, where

    def disagreements(
        self,
        line: int,
        row: Sequence[str],
        result: engine.Result,
        where: Mapping[str, Column],
        problems: list[BadCell],
    ) -> None:
        for code, claimed in result.claimed.items():
            computed = published(result.scores[code])
            if abs(claimed - computed) > TOLERANCE + 1e-9:
                col = where[code]
                problems.append(
                    BadCell(
                        line,
                        col.header,
                        _raw(row, col),
                        "disagrees",
                        {"given": f"{claimed:.2f}", "computed": f"{computed:.2f}"},
                    )
                )

    def rating(
        self,
        line: int,
        row: Sequence[str],
        fw: frameworks.Framework,
        shown: batch.Figures,
        problems: list[BadCell],
    ) -> None:
        text = self.table.cell(row, "rating")
        if not text:
            return
        key = _header_key(text)
        bands, levels, level_names = _ratings(fw)
        if key in bands:
            if bands[key] != shown.band:
                self.bad(problems, line, "rating", text, "rating_disagrees", computed=shown.band)
        elif key in levels:
            if levels[key] != shown.level:
                computed = level_names.get(shown.level, "-")
                self.bad(problems, line, "rating", text, "rating_disagrees", computed=computed)
        else:
            bands_shown = ", ".join(b.code for b in fw.bands)
            levels_shown = ", ".join(level_names.values()) or "-"
            self.bad(
                problems,
                line,
                "rating",
                text,
                "unknown_rating",
                bands=bands_shown,
                levels=levels_shown,
            )


@dataclass(frozen=True)
class _Pending:
    """A row whose agency, year and figures are read, waiting to be scored."""

    line: int
    row: Sequence[str]
    agency: KnownAgency | NewAgency
    year: int
    framework: frameworks.Framework
    given: dict[str, float]
    where: dict[str, Column]


_ITEMS: dict[int, tuple[frameworks.Framework, frozenset[str]]] = {}


def _item_set(fw: frameworks.Framework) -> frozenset[str]:
    held = _ITEMS.get(id(fw))
    if held is None or held[0] is not fw:
        held = (fw, frozenset(batch.item_codes(fw)))
        _ITEMS[id(fw)] = held
    return held[1]


_RATINGS: dict[
    int, tuple[frameworks.Framework, dict[str, str], dict[str, str], dict[str, str]]
] = {}


def _ratings(
    fw: frameworks.Framework,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The framework's bands and qualitative levels by every name they are written as, and
    each level's Thai label."""
    held = _RATINGS.get(id(fw))
    if held is not None and held[0] is fw:
        return held[1], held[2], held[3]
    bands = {_header_key(b.code): b.code for b in fw.bands}
    levels: dict[str, str] = {}
    names: dict[str, str] = {}
    for level in fw.qualitative_rating.levels if fw.qualitative_rating else ():
        names[level.code] = level.label.th
        for name in (level.code, level.label.th, level.label.en or ""):
            if name:
                levels[_header_key(name)] = level.code
    _RATINGS[id(fw)] = (fw, bands, levels, names)
    return bands, levels, names


def _raw(row: Sequence[str], col: Column | None) -> str:
    if col is None or col.index >= len(row):
        return ""
    return row[col.index].strip()


def _known_kinds() -> str:
    return ", ".join(aliases[2] if len(aliases) > 2 else aliases[0] for aliases in KINDS.values())


_CODES: dict[int, tuple[frameworks.Framework, frozenset[str]]] = {}


def _codes(framework: frameworks.Framework) -> frozenset[str]:
    held = _CODES.get(id(framework))
    if held is not None and held[0] is framework:
        return held[1]
    known = {engine.TOTAL, *(t.code for t in framework.tools)}
    for ind in framework.indicators:
        known.add(ind.code)
        known.update(s.code for s in ind.sub_indicators)
    known.update(i.code for t in framework.tools for i in t.items)
    codes = frozenset(known)
    _CODES[id(framework)] = (framework, codes)
    return codes


def check(table: Table, directory: Directory, rules: Rules | None = None) -> Report:
    """Check every row; the report lists what can be saved and every bad cell."""
    return _Checker(table, directory, rules or Rules()).run()


def check_bytes(data: bytes, name: str, directory: Directory, rules: Rules | None = None) -> Report:
    """``read_table`` then ``check``; an unreadable file raises InputInvalid."""
    return check(read_table(data, name), directory, rules)
