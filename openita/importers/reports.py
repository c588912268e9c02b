"""Reading earlier published ITA reports: plain text in, findings with their source lines out.

The reader is a set of small recognisers over normalised lines (see docs/import.md):

* table rows: an indicator or sub-indicator name (or an item range like ``(o18 - o24)``), a
  total row (``ผลคะแนนรวม``), a tool row (``IIT``), or an item code at the start (``i12``,
  ``e3``, ``o12``, ``๐12``) followed by text, then the score columns; the columns are mapped
  to fiscal years by the last header that named years (``ปี 2563 ปี 2564 ปี 2565``), a rank
  column is told apart from the scores;
* a table of totals with one row per year (``ปี | คะแนน | ระดับ``) and rating rows;
* sentences, read per paragraph (wrapped lines joined): a year's total and rating in any
  common shape (``headline.py``), ``ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล คือ 100 คะแนน``,
  ``แบบวัด IIT (93.1 คะแนน)``, ``(e3 : 68.93 คะแนน)``; each figure in the year its own
  sentence gives;
* the agency's name (the most frequent one; others are listed as a possible copy-paste slip).

Then each year is recomputed with the engine from what was found and every claimed figure is
compared with it; a year with only a stated total and rating is a headline-only year (checked
for agreement between its own figures, never scored). Nothing here reads or writes files.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openita import engine, frameworks
from openita.engine.analysis import TOLERANCE
from openita.engine.rounding import published
from openita.frameworks import Framework
from openita.importers import headline

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
EMPHASIS = re.compile(r"\*+|(?<!\w)_{1,3}|_{1,3}(?!\w)|[“”\"‘’«»„‟`]|(?<![A-Za-z])'|'(?![A-Za-z])")
YEAR = re.compile(r"(?<![\d.])(25[4-9]\d)(?![\d.])")
NUMBER = re.compile(r"^\d+(?:\.\d+)?%?$")
CELL_SPLIT = re.compile(r"\t|\s*\|\s*|\s{2,}")
ITEM_START = re.compile(
    r"^(?:(?P<rank>\d{1,3})[.)]?\s+)?(?:ข้อ(?:ที่)?\s*)?(?P<letter>[ieo])\s?(?P<num>\d{1,2})(?![\d.])"
    r"\s*[.:)]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
ITEM_RANGE = re.compile(r"([ieo])\s?(\d{1,2})\s*(?:-|ถึง)\s*([ieo])?\s?(\d{1,2})", re.IGNORECASE)
MENTION = re.compile(
    r"\(\s*([ieo])\s?(\d{1,2})\s*[:=]\s*(\d+(?:\.\d+)?)\s*(?:คะแนน)?\s*\)", re.IGNORECASE
)
TOTAL_LABELS = {
    "รวม",
    "คะแนนรวม",
    "ผลคะแนนรวม",
    "คะแนนภาพรวม",
    "ผลคะแนนภาพรวม",
    "ภาพรวม",
    "รวมคะแนน",
    "ผลการประเมินภาพรวม",
    "คะแนนรวมทั้งหมด",
    "คะแนนเฉลี่ย",
    "คะแนนเฉลี่ยรวม",
    "total",
}
# labels that are the total only in a table whose columns are years (คะแนน | 90.52 | 93.10)
TOTAL_LABELS_BY_YEAR = {"คะแนน", "ผลคะแนน", "คะแนนที่ได้", "ผลการประเมิน", "score"}
TOOL_SENTENCE = re.compile(
    r"\b(IIT|EIT|OIT)\b\s*\)?\s*\(?\s*(?:มี|ได้|=|:)?\s*(?:ผล)?(?:คะแนน)?\s*(?:=|:)?\s*"
    r"(\d+(?:\.\d+)?)\s*คะแนน"
)
SIGNED_TAIL = re.compile(r"(?:\s+[+-]\d+(?:\.\d+)?)+\s*$")
CONNECTOR = r"\s*(?:\([^)]{0,40}\))?\s*(?:คือ|มี|ได้|เท่ากับ|=|:)?\s*"
AGENCY = re.compile(
    r"(เทศบาลตำบล|เทศบาลเมือง|เทศบาลนคร|องค์การบริหารส่วนตำบล|องค์การบริหารส่วนจังหวัด"
    r"|อบต\.|อบจ\.|ทต\.|ทม\.|ทน\.)\s?([ก-ฮเ-ไ][ก-ฮะ-ฺเ-๎]+)"
)
AGENCY_SHORT = {
    "อบต.": "องค์การบริหารส่วนตำบล",
    "อบจ.": "องค์การบริหารส่วนจังหวัด",
    "ทต.": "เทศบาลตำบล",
    "ทม.": "เทศบาลเมือง",
    "ทน.": "เทศบาลนคร",
}
AGENCY_STOP = (
    "ประจำปี",
    "ปีงบประมาณ",
    "อำเภอ",
    "จังหวัด",
    "ได้",
    "มีคะแนน",
    "มีผล",
    "เห็นควร",
    "ซึ่ง",
    "โดย",
    "เป็น",
    "และ",
    "ของ",
    "ตาม",
)
HEADER_WORDS = (
    r"ปีงบประมาณ|พ\.ศ\.|ปี|ผลคะแนน|คะแนน(?:ที่ได้|เฉลี่ย)?|ผลการประเมิน|อันดับ(?:ที่)?|ลำดับ(?:ที่)?"
    r"|ตัวชี้วัด(?:ย่อย)?|น้ำหนัก|ร้อยละ|ประเด็น(?:การประเมิน)?|ข้อ(?:ความ|คำถาม)?|แบบวัด"
    r"|เครื่องมือ|รหัส|ชื่อ|ระดับ|แนวทางการพัฒนา|code|score|year|rank|indicator|item|\s"
)
ITA_WINDOW = 6  # lines after a mention of the ITA in which a bare score is its total
LONG_LINE = 120  # prose, not a table row: ends the columns of the table above
FUZZY = 0.85
PREFIX_MIN = 8  # letters of a cut indicator name that still tell it apart
SCANNED_HINT = (
    "no text found: is it a scanned PDF? Run OCR first (e.g. 'ocrmypdf -l tha in.pdf out.pdf') "
    "and import the result"
)


@dataclass(frozen=True)
class Where:
    line: int  # 1-based line of the text
    text: str  # the line as it was written

    def __str__(self) -> str:
        return f"line {self.line}"


@dataclass(frozen=True)
class Figure:
    """A score found for a code (item, sub-indicator, indicator)."""

    code: str
    value: float
    where: Where
    how: str  # "table", "sentence" or "mention" (an item named in passing: "(e3 : 68.93)")
    label: str = ""


@dataclass(frozen=True)
class Claim:
    """A figure the report claims for a computed node (the total, a tool)."""

    code: str
    value: float
    where: Where
    how: str  # "table" or "sentence"
    computed: float | None = None

    @property
    def difference(self) -> float | None:
        return None if self.computed is None else self.value - self.computed

    @property
    def agrees(self) -> bool | None:
        diff = self.difference
        return None if diff is None else abs(diff) <= TOLERANCE + 1e-9


@dataclass(frozen=True)
class RatingClaim:
    value: str
    where: Where
    computed: str | None = None


@dataclass(frozen=True)
class ReportProblem:
    kind: str  # no_text, not_ita, no_year, incomplete, mismatch, unreadable, conflict, agency...
    message: str
    line: int | None = None
    year: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class AgencyName:
    name: str
    count: int
    where: Where


@dataclass
class YearFindings:
    year: int
    framework: str | None = None
    indicators: dict[str, Figure] = field(default_factory=dict)
    sub_indicators: dict[str, Figure] = field(default_factory=dict)
    items: dict[str, Figure] = field(default_factory=dict)
    totals: list[Claim] = field(default_factory=list)
    tools: list[Claim] = field(default_factory=list)
    ratings: list[RatingClaim] = field(default_factory=list)
    computed_total: float | None = None
    computed_tools: dict[str, float] = field(default_factory=dict)
    computed_rating: str | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.computed_total is not None

    @property
    def has_scores(self) -> bool:
        return bool(self.indicators or self.sub_indicators or self.items)

    @property
    def claimed_total(self) -> float | None:
        """The total the report claims: from a table when it has one, else the first one."""
        tables = [c for c in self.totals if c.how == "table"]
        chosen = tables or self.totals
        return chosen[0].value if chosen else None

    @property
    def rating(self) -> str | None:
        """The rating the report gives: a band or a level before a bare ผ่าน / ไม่ผ่าน."""
        telling = [r for r in self.ratings if r.value not in headline.PASS_WORDS]
        chosen = telling or self.ratings
        return chosen[0].value if chosen else None

    @property
    def headline_only(self) -> bool:
        """Only a total and/or a rating: shown in a trend, never scored or analysed."""
        return not self.has_scores and bool(self.totals or self.ratings)

    @property
    def published_tools(self) -> dict[str, float]:
        """Each tool's figure as the report prints it (a table's before a sentence's)."""
        found: dict[str, float] = {}
        for claim in sorted(self.tools, key=lambda c: c.how != "table"):
            found.setdefault(claim.code, claim.value)
        return found

    def published(self) -> dict[str, float]:
        """The figures the report prints above the items: indicators, sub-indicators, tools,
        total (NACC's own figures, kept beside the items so documents can print them)."""
        found = {code: fig.value for code, fig in self.indicators.items()}
        found.update({code: fig.value for code, fig in self.sub_indicators.items()})
        found.update(self.published_tools)
        if self.claimed_total is not None:
            found["total"] = self.claimed_total
        return found

    def scores(self) -> dict[str, float]:
        """Every score found (items, sub-indicators, indicators), for a score file."""
        found = {**self.indicators, **self.sub_indicators, **self.items}
        return {code: fig.value for code, fig in found.items()}


@dataclass
class ReportFindings:
    source: str
    agency: AgencyName | None = None
    other_agencies: list[AgencyName] = field(default_factory=list)
    results_year: int | None = None
    years: dict[int, YearFindings] = field(default_factory=dict)
    problems: list[ReportProblem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Scores, or at least one year's stated total (a headline-only year)."""
        return any(
            y.has_scores or (y.headline_only and y.claimed_total is not None)
            for y in self.years.values()
        )


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    no: int
    raw: str
    flat: str  # normalised, whitespace collapsed
    cells: tuple[str, ...]  # split at tabs, pipes and runs of 2+ spaces


def normalize(text: str) -> str:
    """NFC, HTML tags dropped, a Thai zero used as the letter o (๐12) -> o12, Thai digits ->
    Arabic, quotes and markdown emphasis (``**92.50**``, ``“A”``, ``«A»``) dropped, dashes ->
    '-'."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"<[^>]{1,200}>", " ", text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(|]))๐(?=[0-9๐-๙]{1,2}(?![0-9๐-๙.]))", "o", text)
    text = text.translate(THAI_DIGITS)
    text = EMPHASIS.sub("", text)
    return re.sub(r"[–—−‒]", "-", text).replace("\u200b", "").replace("\xa0", " ")


def _make_line(no: int, raw: str) -> Line:
    norm = normalize(raw).strip()
    cells = tuple(c.strip() for c in CELL_SPLIT.split(norm) if c.strip() and c.strip() != "|")
    flat = " ".join(norm.replace("|", " ").split())
    return Line(no, raw.rstrip("\n"), flat, cells)


def _is_number(token: str) -> bool:
    return bool(NUMBER.match(token))


def _only_numbers(line: Line) -> bool:
    tokens = line.flat.split()
    return 0 < len(tokens) <= 6 and all(_is_number(t) for t in tokens)


def split_lines(text: str) -> list[Line]:
    """Normalised lines; a row cut across lines (text, then a line with only its scores) is
    joined into one, kept at the first line's number."""
    lines = [_make_line(n + 1, raw) for n, raw in enumerate(text.splitlines())]
    joined: list[Line] = []
    skip: set[int] = set()
    for idx, line in enumerate(lines):
        if idx in skip:
            continue
        nxt = _next_nonblank(lines, idx)
        if (
            nxt is not None
            and line.flat
            and not _only_numbers(line)
            and len(line.flat) < LONG_LINE * 2
            and not _trailing_values(line.flat.split())
            and _only_numbers(lines[nxt])
        ):
            extra = lines[nxt]
            line = Line(
                line.no, line.raw, f"{line.flat} {extra.flat}", (*line.cells, *extra.flat.split())
            )
            skip.add(nxt)
        joined.append(line)
    return joined


def _next_nonblank(lines: Sequence[Line], idx: int) -> int | None:
    for nxt in range(idx + 1, min(idx + 3, len(lines))):
        if lines[nxt].flat:
            return nxt
    return None


def _trailing_values(tokens: Sequence[str]) -> list[str]:
    values: list[str] = []
    for token in reversed(tokens):
        if not _is_number(token):
            break
        values.insert(0, token)
    return values


def _value(token: str) -> float:
    return float(token.rstrip("%"))


def _compact(text: str) -> str:
    return re.sub(r"[\s\"“”'‘’:.,;]+", "", text)


# ---------------------------------------------------------------------------------------------
# Columns: which fiscal year each score column of a table belongs to

Role = int | str  # a fiscal year, or "rank", "weight", "score"


def header_roles(line: Line) -> list[Role] | None:
    """The value columns a table header names, in order, or None if the line is no header."""
    text = line.flat
    if len(text) > LONG_LINE:
        return None
    years = YEAR.findall(text)
    if not years and _trailing_values(text.split()):
        return None
    if len(set(years)) < 2 and not re.search(r"คะแนน|อันดับ|ลำดับ|ตัวชี้วัด", text):
        return None
    rest = re.sub(HEADER_WORDS, "", YEAR.sub("", text))
    if len(_compact(re.sub(r"[()\-/|]", "", rest))) > 25 or re.search(r"\d", rest):
        return None
    roles: list[Role] = []
    for token in re.findall(r"25[4-9]\d|อันดับ|ลำดับ|น้ำหนัก|คะแนน", text):
        if token.isdigit():
            roles.append(int(token))
        elif token in ("อันดับ", "ลำดับ"):
            roles.append("rank")
        elif token == "น้ำหนัก":
            roles.append("weight")
        elif "score" not in roles:
            roles.append("score")
    if any(isinstance(r, int) for r in roles):
        return [r for r in roles if r != "score"]  # "ผลคะแนน ปี 2564" names one column
    return roles if "score" in roles else None


def _pick_values(
    tokens: Sequence[str], roles: Sequence[Role] | None, context_year: int | None
) -> tuple[dict[int, float], str | None]:
    """Scores per fiscal year from the value tokens of a row, or a problem."""
    years = [r for r in roles or () if isinstance(r, int)]
    if years:
        return _by_years(list(tokens), list(roles or ()), years)
    if context_year is None:
        return {}, "no fiscal year for this table"
    value = _single_value(list(tokens), roles)
    return ({context_year: _value(value)}, None) if value is not None else ({}, None)


def _by_years(
    tokens: list[str], roles: list[Role], years: list[int]
) -> tuple[dict[int, float], str | None]:
    if len(tokens) == len(roles):
        return {
            r: _value(t) for r, t in zip(roles, tokens, strict=True) if isinstance(r, int)
        }, None
    if len(tokens) == len(years) + 1:
        if _looks_rank(tokens[0]):
            tokens = tokens[1:]
        elif _looks_rank(tokens[-1]):
            tokens = tokens[:-1]
    if len(tokens) == len(years):
        return {y: _value(t) for y, t in zip(years, tokens, strict=True)}, None
    shown = ", ".join(str(y) for y in years)
    return {}, f"{len(tokens)} figure(s) for {len(years)} year column(s) ({shown}): not taken"


def _single_value(tokens: list[str], roles: Sequence[Role] | None) -> str | None:
    if not tokens:
        return None
    if roles and len(tokens) == len(roles) and "score" in roles:
        return tokens[list(roles).index("score")]
    if len(tokens) >= 2 and _looks_rank(tokens[-1]) and "." in tokens[-2]:
        return tokens[-2]
    return tokens[-1]


def _looks_rank(token: str) -> bool:
    return token.isdigit() and 1 <= int(token) <= 15


# ---------------------------------------------------------------------------------------------
# Names: indicators and sub-indicators of a framework


@dataclass(frozen=True)
class _Names:
    framework: Framework
    exact: dict[str, str]  # compact name -> code
    ranges: dict[tuple[str, str], str]  # (first item, last item) -> code
    sentence: list[tuple[re.Pattern[str], str]]  # indicator name pattern -> code


_NAMES: dict[str, _Names] = {}


def _names(fw: Framework) -> _Names:
    if fw.id not in _NAMES:
        exact: dict[str, str] = {}
        ranges: dict[tuple[str, str], str] = {}
        sentence = []
        for ind in fw.indicators:
            exact[_compact(ind.name.th)] = ind.code
            items = ind.all_items
            ranges[(items[0].code, items[-1].code)] = ind.code
            pattern = r"\s*".join(re.escape(c) for c in ind.name.th.replace(" ", ""))
            sentence.append((re.compile(pattern), ind.code))
            for sub in ind.sub_indicators:
                exact.setdefault(_compact(sub.name.th), sub.code)
                ranges[(sub.items[0].code, sub.items[-1].code)] = sub.code
        _NAMES[fw.id] = _Names(fw, exact, ranges, sentence)
    return _NAMES[fw.id]


def _strip_label(label: str) -> str:
    label = ITEM_RANGE.sub("", label)
    label = re.sub(r"\([^)]*\)", "", label)
    label = re.sub(r"ตัวชี้วัดย่อย(?:ที่)?\s*[\d.]*|ตัวชี้วัด(?:ที่)?\s*[\d.]*", "", label)
    label = re.sub(r"\b(?:IIT|EIT|OIT)\b|แบบวัด|แบบตรวจ", "", label)
    label = re.sub(r"^[\s\d.)(\-:]+", "", label)
    return _compact(label)


def match_node(label: str, fw: Framework) -> str | None:
    """The indicator or sub-indicator a table label names (by item range, then by name)."""
    names = _names(fw)
    found = ITEM_RANGE.search(label)
    if found:
        letter = found.group(1).lower()
        first = f"{letter}{int(found.group(2))}"
        last = f"{(found.group(3) or letter).lower()}{int(found.group(4))}"
        code = names.ranges.get((first, last))
        if code:
            return code
    compact = _strip_label(label)
    if not compact or len(compact) > 60:
        return None
    if compact in names.exact:
        return names.exact[compact]
    starting = {code for name, code in names.exact.items() if name.startswith(compact)}
    tool_words = re.search(r"แบบวัด|แบบตรวจ|\b(?:IIT|EIT|OIT)\b", label)
    if len(compact) >= PREFIX_MIN and len(starting) == 1 and not tool_words:
        return starting.pop()  # "การแก้ไขปัญหาการ" (the rest wrapped onto the next line)
    best, best_ratio = None, FUZZY
    for name, code in names.exact.items():
        ratio = difflib.SequenceMatcher(None, compact, name).ratio()
        if ratio >= best_ratio:
            best, best_ratio = code, ratio
    return best


# ---------------------------------------------------------------------------------------------
# The walk over the lines


@dataclass
class _State:
    results_year: int | None
    fw: Framework
    roles: list[Role] | None = None
    context_year: int | None = None
    year_rows: bool = False  # the table above has one row per year (ปี | คะแนน | ระดับ)
    lines_seen: int = 0
    ita_seen: int = -100  # the last line that spoke of the ITA or its results

    @property
    def ita_context(self) -> bool:
        return self.lines_seen - self.ita_seen <= ITA_WINDOW


@dataclass
class _Collected:
    figures: list[tuple[int, Figure]] = field(default_factory=list)
    totals: list[tuple[int, Claim]] = field(default_factory=list)
    tools: list[tuple[int, Claim]] = field(default_factory=list)
    ratings: list[tuple[int, RatingClaim]] = field(default_factory=list)
    problems: list[ReportProblem] = field(default_factory=list)


def _framework_for(year: int | None) -> Framework:
    found = frameworks.for_year(year) if year is not None else None
    return found or frameworks.default()


def find_results_year(lines: Sequence[Line]) -> int | None:
    """The fiscal year whose results the report is about: the year most often named after
    'ผลการประเมิน' (ties: the later one); else the latest year of a score table header."""
    after: Counter[int] = Counter()
    for line in lines:
        for match in re.finditer(r"ผลการประเมิน", line.flat):
            window = line.flat[match.end() : match.end() + 80]
            years = headline.year_mentions(window)
            if years:
                after[years[0][1]] += 1
    if after:
        return max(after.items(), key=lambda kv: (kv[1], kv[0]))[0]
    header_years = [r for line in lines for r in header_roles(line) or [] if isinstance(r, int)]
    if header_years:
        return max(header_years)
    every = Counter(y for line in lines for _, y in headline.year_mentions(line.flat))
    return max(every.items(), key=lambda kv: (kv[1], kv[0]))[0] if every else None


def _row_values(line: Line, label_cell: int | None, rest: str) -> list[str]:
    """The score tokens of a row: numeric cells after the label cell, else the numbers at the
    end of the rest of the line."""
    if label_cell is not None and len(line.cells) > label_cell + 1:
        values: list[str] = []
        for cell in line.cells[label_cell + 1 :]:
            tokens = cell.split()
            if not all(_is_number(t) for t in tokens):
                break
            values += tokens
        if values:
            return values
    return _trailing_values(rest.split())


def _label_cell(line: Line, test: Any) -> int | None:
    if len(line.cells) < 2:
        return None
    for idx, cell in enumerate(line.cells):
        if test(cell):
            return idx
    return None


def _recognise_row(line: Line, state: _State, out: _Collected) -> bool:
    return (
        _year_row(line, state, out)
        or _rating_row(line, state, out)
        or _total_row(line, state, out)
        or _node_row(line, state, out)
        or _item_row(line, state, out)
        or _tool_row(line, state, out)
    )


def _label_and_values(line: Line, test: Any) -> tuple[str, list[str]] | None:
    cell = _label_cell(line, test)
    if cell is not None:
        label = " ".join(line.cells[: cell + 1])
        return line.cells[cell], _row_values(line, cell, label)
    tokens = line.flat.split()
    values = _trailing_values(tokens)
    label = " ".join(tokens[: len(tokens) - len(values)])
    if not test(label):
        return None
    return label, values


def _assign(
    line: Line, state: _State, tokens: list[str], out: _Collected, what: str
) -> dict[int, float]:
    values, problem = _pick_values(tokens, state.roles, state.context_year)
    if problem:
        out.problems.append(ReportProblem("unreadable", f"{what}: {problem}", line.no))
    return values


def _is_total_label(label: str) -> bool:
    return _strip_label(label) in TOTAL_LABELS


def _total_row(line: Line, state: _State, out: _Collected) -> bool:
    by_year = any(isinstance(r, int) for r in state.roles or ())

    def test(label: str) -> bool:
        return _is_total_label(label) or (by_year and _strip_label(label) in TOTAL_LABELS_BY_YEAR)

    found = _label_and_values(line, test)
    if found is None or not found[1]:
        return False
    for year, value in _assign(line, state, found[1], out, "total").items():
        claim = Claim("total", value, Where(line.no, line.raw), "table")
        out.totals.append((year, claim))
    return True


YEAR_ROW = re.compile(
    r"^(?:ปี(?:งบประมาณ)?\s*)?(?:พ\.ศ\.\s*)?(?P<year>25[4-9]\d)\s+(?P<rest>.+)$", re.IGNORECASE
)
ROW_LABELS = re.compile(r"[()\[\]]|ระดับ(?:ผลการประเมิน)?")
PASS_WORDS = {"ผ่าน", "ไม่ผ่าน"}
RATING_LABEL = re.compile(
    r"^(?:ระดับ(?:ผลการประเมิน|คะแนน)?|ผลการประเมิน|เกรด|rating(?:\s*score)?|\(|\)|\s)+",
    re.IGNORECASE,
)


def _year_row(line: Line, state: _State, out: _Collected) -> bool:
    """A row of a table of totals, one year a row: ``2566 | 88.10 | A`` (a rating column is
    optional under a ``ปี | คะแนน | ระดับ`` header, needed without one)."""
    found = YEAR_ROW.match(line.flat)
    if not found or len(line.flat) > LONG_LINE:
        return False
    # a rating cell may say it twice, "ผ่าน (ระดับ A)": the word ระดับ and brackets are labels
    tokens = ROW_LABELS.sub(" ", found.group("rest")).split()
    numbers = [t for t in tokens if _is_number(t) and not t.endswith("%")]
    ratings = [r for r in (headline.rating_token(t) for t in tokens) if r is not None]
    others = [t for t in tokens if not _is_number(t) and headline.rating_token(t) is None]
    if len(ratings) == 2 and sum(r in PASS_WORDS for r in ratings) == 1:
        ratings = [r for r in ratings if r not in PASS_WORDS]  # the band says more than ผ่าน
    if len(numbers) != 1 or others or len(ratings) > 1 or not (state.year_rows or ratings):
        return False
    year, where = int(found.group("year")), Where(line.no, line.raw)
    value = _value(numbers[0])
    if not 0 <= value <= 100:
        return False
    out.totals.append((year, Claim("total", value, where, "table")))
    if ratings:
        out.ratings.append((year, RatingClaim(ratings[0], where)))
    return True


def _rating_row(line: Line, state: _State, out: _Collected) -> bool:
    """``ระดับ | A | A | AA`` under a header naming the years, or one rating for the table's
    year."""
    label = RATING_LABEL.match(line.flat)
    if not label or not label.group().strip() or len(line.flat) > LONG_LINE:
        return False
    tokens = line.flat[label.end() :].split()
    ratings = [headline.rating_token(t) for t in tokens]
    if not tokens or any(r is None for r in ratings):
        return False
    years = [r for r in state.roles or () if isinstance(r, int)]
    where = Where(line.no, line.raw)
    if len(years) == len(ratings) > 1:
        pairs = list(zip(years, ratings, strict=True))
    elif len(ratings) == 1 and state.context_year is not None and not years:
        pairs = [(state.context_year, ratings[0])]
    else:
        return False
    for year, rating in pairs:
        if rating is not None:
            out.ratings.append((year, RatingClaim(rating, where)))
    return True


def _node_row(line: Line, state: _State, out: _Collected) -> bool:
    if len(line.flat) > LONG_LINE * 2 or ITEM_START.match(line.flat):
        return False
    found = _label_and_values(line, lambda text: match_node(text, state.fw) is not None)
    if found is None:
        return False
    label, tokens = found
    code = match_node(label, state.fw)
    if code is None or not tokens:
        return code is not None  # a heading row such as "9. การเปิดเผยข้อมูล"
    for year, value in _assign(line, state, tokens, out, code).items():
        _add_figure(out, year, Figure(code, value, Where(line.no, line.raw), "table", label))
    return True


def _add_figure(out: _Collected, year: int, figure: Figure) -> None:
    if not 0 <= figure.value <= 100:
        out.problems.append(
            ReportProblem(
                "unreadable",
                f"{figure.code}: {figure.value:g} is outside 0-100, not a score: not taken",
                figure.where.line,
                year,
            )
        )
        return
    out.figures.append((year, figure))


def _item_row(line: Line, state: _State, out: _Collected) -> bool:
    match = ITEM_START.match(line.flat)
    if not match:
        return False
    code = f"{match.group('letter').lower()}{int(match.group('num'))}"
    rest = match.group("rest")
    if not rest or ITEM_RANGE.match(line.flat):
        return False
    rest = SIGNED_TAIL.sub("", rest)  # change columns ("+0.62 +0.32") follow the score
    cell = _label_cell(line, lambda c: bool(ITEM_START.match(c)) or c == match.group("rest"))
    tokens = _row_values(line, cell, rest)
    if cell is not None and not tokens:
        tokens = _trailing_values(rest.split())
    label = rest[: len(rest) - len(" ".join(tokens))].strip() if not cell else line.cells[cell]
    if not tokens:
        _bad_value(line, code, out)
        return True
    for year, value in _assign(line, state, tokens, out, code).items():
        _add_figure(out, year, Figure(code, value, Where(line.no, line.raw), "table", label))
    return True


def _bad_value(line: Line, code: str, out: _Collected) -> None:
    """An item row whose score cell holds something that is not a number."""
    last = line.cells[-1] if len(line.cells) > 1 else line.flat.split()[-1]
    suspicious = len(last) <= 10 and (
        bool(re.search(r"\d", last)) or last.lower() in {"-", "n/a", "na", "ไม่มี", "x"}
    )
    if suspicious:
        out.problems.append(
            ReportProblem("unreadable", f"{code}: {last!r} is not a score: not taken", line.no)
        )


def _is_tool_label(label: str) -> bool:
    text = re.sub(r"\([^)]*\)", "", label)
    found = re.findall(r"\b(IIT|EIT|OIT)\b", text)
    if len(set(found)) != 1:
        return False
    rest = re.sub(r"\b(?:IIT|EIT|OIT)\b|แบบวัด|แบบตรวจ|เครื่องมือ|[\d.\s:]", "", text)
    return len(rest) <= 40 and not ITEM_START.match(label)


def _tool_row(line: Line, state: _State, out: _Collected) -> bool:
    if len(line.flat) > LONG_LINE:
        return False
    found = _label_and_values(line, _is_tool_label)
    if found is None or not found[1]:
        return False
    label, tokens = found
    code = re.findall(r"\b(IIT|EIT|OIT)\b", label)[0]
    tool = state.fw.tool(code)
    if tool is not None and len(tokens) == 2 and _value(tokens[0]) == tool.weight:
        tokens = tokens[1:]
    for year, value in _assign(line, state, tokens, out, code).items():
        out.tools.append((year, Claim(code, value, Where(line.no, line.raw), "table")))
    return True


@dataclass(frozen=True)
class _Block:
    """Prose lines joined into one text (a paragraph wrapped by pdftotext is one sentence)."""

    lines: tuple[Line, ...]
    text: str
    starts: tuple[int, ...]  # where each line starts in ``text``

    @classmethod
    def of(cls, lines: Sequence[Line]) -> _Block:
        starts, parts, pos = [], [], 0
        for line in lines:
            starts.append(pos)
            parts.append(line.flat)
            pos += len(line.flat) + 1
        return cls(tuple(lines), " ".join(parts), tuple(starts))

    def line_at(self, pos: int) -> tuple[Line, int, int]:
        """The line holding ``pos``, with its start and end in the text."""
        idx = max(0, bisect.bisect_right(self.starts, pos) - 1)
        line = self.lines[idx]
        return line, self.starts[idx], self.starts[idx] + len(line.flat)


class _Years:
    """The year of each figure of a block (headline.year_for with the block's figures)."""

    def __init__(self, block: _Block, context: int | None) -> None:
        self.block = block
        self.context = context
        self.figures = headline.score_numbers(block.text)

    def at(self, pos: int) -> tuple[int | None, Where]:
        line, start, end = self.block.line_at(pos)
        figures = [f for f in self.figures if f != pos]
        year = headline.year_for(self.block.text, pos, start, end, figures, self.context)
        return year, Where(line.no, line.raw)


def _sentences(block: _Block, state: _State, out: _Collected) -> None:
    text = block.text
    years = _Years(block, state.context_year)
    totals = headline.totals_in(text, ita_context=state.ita_context, line_starts=block.starts)
    for found in totals:
        fy, where = years.at(found.pos)
        if fy is not None:
            out.totals.append((fy, Claim("total", found.value, where, "sentence")))
    for match in TOOL_SENTENCE.finditer(text):
        fy, where = years.at(match.start(2))
        if fy is not None:
            value = float(match.group(2))
            out.tools.append((fy, Claim(match.group(1), value, where, "sentence")))
    for pos, rating in headline.ratings_in(text):
        fy, where = years.at(pos)
        if fy is not None:
            out.ratings.append((fy, RatingClaim(rating, where)))
    _indicator_sentences(block, years, state, out)
    for match in MENTION.finditer(text):
        code = f"{match.group(1).lower()}{int(match.group(2))}"
        fy, where = years.at(match.start(3))
        if fy is not None:
            _add_figure(out, fy, Figure(code, float(match.group(3)), where, "mention"))


def _indicator_sentences(block: _Block, years: _Years, state: _State, out: _Collected) -> None:
    text = block.text
    for pattern, code in _names(state.fw).sentence:
        for found in pattern.finditer(text):
            if text[max(0, found.start() - 3) : found.start()].endswith(("มาตร", "เพื่อ")):
                continue
            tail = re.match(
                CONNECTOR + r"(?:ผล)?(คะแนน)?\s*(?:คือ|เท่ากับ|=|:)?\s*(\d{1,3}(?:\.\d+)?)"
                r"(?![\d.])\s*(คะแนน)?",
                text[found.end() :],
            )
            if not tail or not (tail.group(1) or tail.group(3)):
                continue
            fy, where = years.at(found.end() + tail.start(2))
            if fy is not None:
                _add_figure(out, fy, Figure(code, float(tail.group(2)), where, "sentence"))


def _update_context(text: str, state: _State) -> None:
    """A short heading naming one year and the results sets the year of what follows."""
    years = {y for _, y in headline.year_mentions(text)}
    if len(years) == 1 and len(text) <= LONG_LINE and re.search(r"ผลการประเมิน|คะแนน", text):
        state.context_year = years.pop()
        state.fw = _framework_for(state.context_year)


WRAP_MIN, WRAP_MAX = 30, 200  # a prose line this long may continue on the next line
BLOCK_LINES = 8


# a line ending on these words goes on on the next one, however short it is
DANGLING = re.compile(
    r"(?:ระดับ(?:ผลการประเมิน)?|คะแนน(?:รวม)?|พ\.ศ\.|ปี(?:งบประมาณ)?|ได้(?:รับ)?|คือ|ที่|เท่ากับ"
    r"|อยู่ที่|อยู่ใน|ของ|และ)$"
)


def _wraps(line: Line) -> bool:
    return WRAP_MIN <= len(line.flat) <= WRAP_MAX or bool(DANGLING.search(line.flat))


def _seen(line: Line, state: _State) -> None:
    state.lines_seen += 1
    if headline.ITA_CONTEXT.search(line.flat):
        state.ita_seen = state.lines_seen


def _walk(lines: Sequence[Line], results_year: int | None) -> _Collected:
    state = _State(results_year, _framework_for(results_year), None, results_year)
    out = _Collected()
    pending: list[Line] = []

    def flush() -> None:
        if not pending:
            return
        for line in pending:
            _seen(line, state)
        block = _Block.of(pending)
        _sentences(block, state, out)
        for line in pending:
            _update_context(line.flat, state)
        if len(pending) > 1:
            _update_context(block.text, state)  # a heading wrapped over two lines
        for line in pending:
            if len(line.flat) > LONG_LINE:
                state.roles = None
                state.year_rows = False
                state.context_year = state.context_year or results_year
        pending.clear()

    for line in lines:
        if not line.flat:
            flush()
            continue
        roles = header_roles(line)
        if roles is not None:
            flush()
            _seen(line, state)
            state.roles = roles
            state.year_rows = _year_rows_header(line, roles)
            single = [r for r in roles if isinstance(r, int)]
            if len(single) == 1:
                state.roles = None
                state.context_year = single[0]
            continue
        if _recognise_row(line, state, out):
            flush()
            _seen(line, state)
            continue
        if pending and (not _wraps(pending[-1]) or len(pending) >= BLOCK_LINES):
            flush()
        pending.append(line)
    flush()
    return out


def _year_rows_header(line: Line, roles: Sequence[Role]) -> bool:
    """A header of a table with one row per year (ปี | คะแนน | ระดับ)."""
    no_years = not any(isinstance(r, int) for r in roles)
    return no_years and bool(re.search(r"ปี|พ\.ศ\.|year", line.flat, re.IGNORECASE))


# ---------------------------------------------------------------------------------------------
# Agency


def _agency_names(lines: Sequence[Line]) -> list[AgencyName]:
    seen: Counter[str] = Counter()
    first: dict[str, Where] = {}
    for line in lines:
        for found in AGENCY.finditer(line.flat):
            kind = AGENCY_SHORT.get(found.group(1), found.group(1))
            name = _cut_name(found.group(2))
            if len(name) < 2:
                continue
            full = kind + name
            seen[full] += 1
            first.setdefault(full, Where(line.no, line.raw))
    names = sorted(seen, key=len)
    folded: Counter[str] = Counter()
    for name in names:
        base = next((b for b in folded if name.startswith(b) and name != b), name)
        folded[base] += seen[name]
    ranked = sorted(folded.items(), key=lambda kv: (-kv[1], first[kv[0]].line))
    return [AgencyName(name, count, first[name]) for name, count in ranked]


def _cut_name(name: str) -> str:
    cut = len(name)
    for stop in AGENCY_STOP:
        pos = name.find(stop, 2)
        if pos != -1:
            cut = min(cut, pos)
    return name[:cut]


# ---------------------------------------------------------------------------------------------
# Putting a year together


def _year_of(findings: ReportFindings, year: int) -> YearFindings:
    if year not in findings.years:
        fw = frameworks.for_year(year)
        findings.years[year] = YearFindings(year, fw.id if fw else None)
    return findings.years[year]


def _place_figures(findings: ReportFindings, collected: _Collected) -> None:
    chosen: dict[tuple[int, str], Figure] = {}
    rank = {"table": 0, "sentence": 1, "mention": 2}
    for year, fig in collected.figures:
        key = (year, fig.code)
        before = chosen.get(key)
        if before is None or rank[fig.how] < rank[before.how]:
            chosen[key] = fig
    for year, fig in collected.figures:
        kept = chosen[(year, fig.code)]
        if fig is not kept and abs(fig.value - kept.value) > 0.005:
            findings.problems.append(
                ReportProblem(
                    "conflict",
                    f"FY{year} {fig.code}: {fig.value:g} here, but {kept.value:g} at "
                    f"line {kept.where.line} (kept)",
                    fig.where.line,
                    year,
                )
            )
    for (year, code), fig in sorted(chosen.items(), key=lambda kv: kv[1].where.line):
        target = _year_of(findings, year)
        if code.startswith("ind"):
            bucket = target.sub_indicators if "." in code else target.indicators
        else:
            bucket = target.items
        bucket[code] = fig


def _place_claims(findings: ReportFindings, collected: _Collected) -> None:
    for year, claim in collected.totals:
        target = _year_of(findings, year)
        if not any(c.where == claim.where and c.value == claim.value for c in target.totals):
            target.totals.append(claim)
    for year, claim in collected.tools:
        _year_of(findings, year).tools.append(claim)
    for year, rating in collected.ratings:
        _year_of(findings, year).ratings.append(rating)


def _check_codes(year: YearFindings, problems: list[ReportProblem]) -> Framework:
    fw = _framework_for(year.year)
    for code in list(year.items):
        if fw.item(code) is None:
            fig = year.items.pop(code)
            problems.append(
                ReportProblem(
                    "unreadable",
                    f"FY{year.year} {code}: not an item of framework {fw.id}: not taken",
                    fig.where.line,
                    year.year,
                )
            )
    year.framework = fw.id
    order = {code: n for n, code in enumerate(_codes_in_order(fw))}
    for bucket in (year.indicators, year.sub_indicators, year.items):
        kept = sorted(bucket.items(), key=lambda kv: order.get(kv[0], len(order)))
        bucket.clear()
        bucket.update(kept)
    return fw


def _codes_in_order(fw: Framework) -> list[str]:
    codes = [i.code for i in fw.indicators]
    codes += [s.code for i in fw.indicators for s in i.sub_indicators]
    return codes + [i.code for i in fw.items]


def _compute(year: YearFindings, problems: list[ReportProblem]) -> None:
    fw = _check_codes(year, problems)
    if year.headline_only:
        _check_headline(year, fw, problems)
        return
    if not year.has_scores:
        return
    try:
        result = engine.score(fw, year.scores(), fiscal_year=year.year)
    except engine.ScoringError as exc:
        year.missing = [p.message for p in exc.problems]
        problems.append(
            ReportProblem(
                "incomplete",
                f"FY{year.year} is incomplete (partial result, no total computed): "
                + "; ".join(year.missing),
                year=year.year,
            )
        )
        return
    year.computed_total = published(result.total)
    year.computed_tools = {k: published(v) for k, v in result.tools.items()}
    year.computed_rating = result.band.code
    if result.qualitative is not None:
        year.computed_rating = result.qualitative.label.th
    _check_claims(year, result, problems)


def _basis(year: YearFindings, fw: Framework, code: str) -> str:
    """What the engine computed a figure from, and where: '10 indicator scores (lines 56-66)'."""
    if code == "total":
        tools = [t.code for t in fw.tools]
    elif fw.tool(code) is not None:
        tools = [code]
    else:
        tools = []
    if tools:
        items = [f for c, f in year.items.items() if fw.tool_of(c) in tools]
        inds = [f for c, f in year.indicators.items() if fw.tool_of(c) in tools]
    else:  # an indicator or sub-indicator: its items, or its sub-indicators
        node_items = {i.code for i in _node_items(fw, code)}
        items = [f for c, f in year.items.items() if c in node_items]
        subs = [f for c, f in year.sub_indicators.items() if c.startswith(code + ".")]
        inds = [] if items else subs
    parts = []
    if inds:
        parts.append(f"{len(inds)} {'sub-indicator' if not tools else 'indicator'}")
    if items:
        parts.append(f"{len(items)} item")
    lines = sorted(f.where.line for f in [*inds, *items])
    where = ""
    if lines:
        where = (
            f" (line {lines[0]})" if lines[0] == lines[-1] else f" (lines {lines[0]}-{lines[-1]})"
        )
    return (" and ".join(parts) or "own") + " scores" + where


def _node_items(fw: Framework, code: str) -> list[Any]:
    for ind in fw.indicators:
        if ind.code == code:
            return list(ind.all_items)
        for sub in ind.sub_indicators:
            if sub.code == code:
                return list(sub.items)
    return []


def _check_claims(year: YearFindings, result: engine.Result, problems: list[ReportProblem]) -> None:
    fw = result.framework
    year.totals = [_with_computed(c, result.total) for c in year.totals]
    year.tools = [_with_computed(c, result.tools.get(c.code)) for c in year.tools]
    for claim in [*year.totals, *year.tools]:
        if claim.agrees is False:
            what = "total" if claim.code == "total" else f"{claim.code} score"
            problems.append(
                ReportProblem(
                    "mismatch",
                    f"FY{year.year}: the report claims a {what} of {claim.value:g} but its "
                    f"{_basis(year, fw, claim.code)} give {claim.computed:.2f}",
                    claim.where.line,
                    year.year,
                )
            )
    for code, claimed in result.claimed.items():
        computed = result.scores[code]
        if abs(claimed - computed) > TOLERANCE + 1e-9:
            fig = year.indicators.get(code) or year.sub_indicators.get(code)
            problems.append(
                ReportProblem(
                    "mismatch",
                    f"FY{year.year} {code}: the report prints {claimed:g} but its "
                    f"{_basis(year, fw, code)} give {published(computed):.2f}",
                    fig.where.line if fig else None,
                    year.year,
                )
            )
    year.ratings = [RatingClaim(r.value, r.where, year.computed_rating) for r in year.ratings]
    for rating in year.ratings:
        if not _rating_fits_result(rating.value, result):
            problems.append(
                ReportProblem(
                    "mismatch",
                    f"FY{year.year}: the report claims rating {rating.value} but its total "
                    f"computed from its {_basis(year, fw, 'total')} is "
                    f"{published(result.total):.2f}, rating {year.computed_rating}",
                    rating.where.line,
                    year.year,
                )
            )


def _rating_fits_result(value: str, result: engine.Result) -> bool:
    if value in headline.LETTERS:
        return value == result.band.code
    if value == "ผ่าน":
        return result.passed
    if value == "ไม่ผ่าน":
        return not result.passed
    if result.qualitative is not None:
        return value == result.qualitative.label.th
    return result.passed == value.startswith("ผ่าน")


def rating_fits_total(fw: Framework, value: str, total: float) -> bool:
    """Whether a stated rating can go with a stated total (a level's tool conditions cannot be
    checked without the tools: only its total bound is)."""
    shown = published(total)
    passed = shown >= fw.pass_mark
    if value in headline.LETTERS:
        return value == fw.band_for(shown).code
    if value == "ผ่าน":
        return passed
    if value == "ไม่ผ่าน":
        return not passed
    levels = fw.qualitative_rating.levels if fw.qualitative_rating else ()
    level = next((lv for lv in levels if lv.label.th == value), None)
    if level is not None and shown < level.min_total:
        return False
    return passed == value.startswith("ผ่าน")


def _check_headline(year: YearFindings, fw: Framework, problems: list[ReportProblem]) -> None:
    """A year with only a stated total and rating: they must agree with each other."""
    chosen = next((c for c in year.totals if c.value == year.claimed_total), None)
    for claim in year.totals:
        if chosen is not None and abs(claim.value - chosen.value) > TOLERANCE + 1e-9:
            problems.append(
                ReportProblem(
                    "mismatch",
                    f"FY{year.year}: the report states a total of {claim.value:g} here but "
                    f"{chosen.value:g} at line {chosen.where.line}",
                    claim.where.line,
                    year.year,
                )
            )
    if chosen is None:
        return
    band = fw.band_for(published(chosen.value)).code
    for rating in year.ratings:
        if not rating_fits_total(fw, rating.value, chosen.value):
            problems.append(
                ReportProblem(
                    "mismatch",
                    f"FY{year.year}: the report claims rating {rating.value} but its stated "
                    f"total of {chosen.value:g} (line {chosen.where.line}) is rating {band}",
                    rating.where.line,
                    year.year,
                )
            )


def _with_computed(claim: Claim, computed: float | None) -> Claim:
    return Claim(claim.code, claim.value, claim.where, claim.how, computed)


def _numbering_check(year: YearFindings, problems: list[ReportProblem]) -> None:
    """Item titles printed next to OIT codes tell which numbering the report uses."""
    titled = [f for f in year.items.values() if f.code.startswith("o") and f.label]
    if len(titled) < 5:
        return
    fits: dict[str, int] = {}
    for fw in frameworks.available():
        try:
            candidate = frameworks.get(fw)
        except (frameworks.FrameworkInvalid, frameworks.FrameworkNotFound):
            continue
        fits[candidate.id] = sum(_title_fits(candidate, f) for f in titled)
    best = max(fits.items(), key=lambda kv: kv[1], default=None)
    if best and year.framework and best[0] != year.framework and best[1] > fits[year.framework]:
        problems.append(
            ReportProblem(
                "numbering",
                f"FY{year.year}: the OIT item titles follow the numbering of {best[0]}, not of "
                f"{year.framework} (the framework of FY{year.year}): check the year",
                year=year.year,
            )
        )


def _title_fits(fw: Framework, fig: Figure) -> bool:
    item = fw.item(fig.code)
    if item is None:
        return False
    return difflib.SequenceMatcher(None, _compact(fig.label), _compact(item.text)).ratio() >= 0.6


# ---------------------------------------------------------------------------------------------
# The reader


def read_report(text: str, *, source: str, years: Iterable[int] | None = None) -> ReportFindings:
    """Everything a published ITA report's text holds, with where it was found.

    ``years``: only keep these fiscal years (B.E.).
    """
    findings = ReportFindings(source)
    if len(re.sub(r"\s", "", text)) < 20:
        findings.problems.append(ReportProblem("no_text", SCANNED_HINT))
        return findings
    lines = split_lines(text)
    findings.results_year = find_results_year(lines)
    names = _agency_names(lines)
    if names:
        findings.agency, findings.other_agencies = names[0], names[1:]
        for other in names[1:]:
            findings.problems.append(
                ReportProblem(
                    "agency",
                    f"another agency is named: {other.name} ({other.count} time(s)); the report "
                    f"is about {names[0].name}: a copy-paste slip?",
                    other.where.line,
                )
            )
    collected = _walk(lines, findings.results_year)
    findings.problems += collected.problems
    _place_figures(findings, collected)
    _place_claims(findings, collected)
    _finish(findings, years)
    return findings


def _finish(findings: ReportFindings, years: Iterable[int] | None) -> None:
    wanted = set(years) if years is not None else None
    if wanted is not None:
        findings.years = {y: v for y, v in findings.years.items() if y in wanted}
        findings.problems = [p for p in findings.problems if p.year is None or p.year in wanted]
    findings.years = dict(sorted(findings.years.items()))
    for year in findings.years.values():
        _compute(year, findings.problems)
        _numbering_check(year, findings.problems)
    if not findings.usable:
        findings.problems.append(
            ReportProblem(
                "not_ita",
                "found no indicator or item scores: not an ITA results report (or its tables "
                "are images)",
            )
        )
    if findings.results_year is None and findings.usable:
        findings.problems.append(
            ReportProblem("no_year", "could not tell the fiscal year of the results")
        )


# ---------------------------------------------------------------------------------------------
# JSON


def _r2(value: float | None) -> float | None:
    return None if value is None else published(value)


def _where_json(where: Where) -> dict[str, Any]:
    text = " ".join(where.text.split())
    return {"line": where.line, "text": text if len(text) <= 300 else text[:299] + "…"}


def year_json(year: YearFindings) -> dict[str, Any]:
    found_at: dict[str, Any] = {}
    for fig in [*year.indicators.values(), *year.sub_indicators.values(), *year.items.values()]:
        found_at[fig.code] = {**_where_json(fig.where), "how": fig.how}
    return {
        "framework": year.framework,
        "indicators": {c: f.value for c, f in year.indicators.items()},
        "sub_indicators": {c: f.value for c, f in year.sub_indicators.items()},
        "items": {c: f.value for c, f in year.items.items()},
        "claimed_total": year.claimed_total,
        "headline_only": year.headline_only,
        "tools": year.published_tools,
        "published": year.published(),
        "computed_total": year.computed_total,
        "computed_tools": year.computed_tools,
        "rating": year.rating,
        "computed_rating": year.computed_rating,
        "complete": year.complete,
        "missing": year.missing,
        "claims": [
            {
                "code": c.code,
                "value": c.value,
                "how": c.how,
                "computed": _r2(c.computed),
                "agrees": c.agrees,
                **_where_json(c.where),
            }
            for c in [*year.totals, *year.tools]
        ]
        + [
            {"code": "rating", "value": r.value, "computed": r.computed, **_where_json(r.where)}
            for r in year.ratings
        ],
        "found_at": found_at,
    }


def findings_json(findings: ReportFindings) -> dict[str, Any]:
    agency = findings.agency
    return {
        "source": findings.source,
        "agency": agency.name if agency else None,
        "agency_found_at": _where_json(agency.where) if agency else None,
        "other_agencies": [
            {"name": a.name, "count": a.count, **_where_json(a.where)}
            for a in findings.other_agencies
        ],
        "results_year": findings.results_year,
        "years": {str(y): year_json(v) for y, v in findings.years.items()},
        "problems": [
            {"kind": p.kind, "line": p.line, "year": p.year, "message": p.message}
            for p in findings.problems
        ],
    }
