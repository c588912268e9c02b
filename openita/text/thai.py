"""Thai text helpers for official documents: digits, Buddhist-era years, dates, fiscal years.

Pure functions, no I/O. Dates are ``datetime.date`` objects in the Gregorian calendar (C.E.);
Thai text shows the Buddhist-era year (B.E. = C.E. + 543). The fiscal year (ปีงบประมาณ) runs
1 October - 30 September and is named after the B.E. year in which it ends. Every function that
produces text takes ``digits="arabic"`` (0-9) or ``digits="thai"`` (๐-๙).
"""

from __future__ import annotations

import math
import re
from datetime import date

from openita.engine.rounding import published
from openita.text.normalise import compact

__all__ = [
    "BE_OFFSET",
    "MONTHS_ABBR",
    "MONTHS_FULL",
    "arabic_digits",
    "be_year",
    "ce_year",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "format_date",
    "format_score",
    "parse_thai_date",
    "round_label",
    "round_period",
    "thai_digits",
]

BE_OFFSET = 543
"""B.E. year minus C.E. year."""

MONTHS_FULL: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
"""Thai month names, January first."""

MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
"""Abbreviated Thai month names, January first."""

DIGIT_STYLES = ("arabic", "thai")
DATE_STYLES = ("full", "abbr", "month", "long")
ROUND_MONTHS = (6, 12)

_ARABIC = "0123456789"
_THAI = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans(_ARABIC, _THAI)
_TO_ARABIC = str.maketrans(_THAI, _ARABIC)

_FISCAL_START_MONTH = 10  # the fiscal year starts on 1 October


# --- digits ----------------------------------------------------------------------------------


def thai_digits(text: str) -> str:
    """Replace Arabic digits 0-9 with Thai digits ๐-๙; everything else is unchanged."""
    return text.translate(_TO_THAI)


def arabic_digits(text: str) -> str:
    """Replace Thai digits ๐-๙ with Arabic digits 0-9; everything else is unchanged."""
    return text.translate(_TO_ARABIC)


def _with_digits(text: str, digits: str) -> str:
    """Return ``text`` (written with Arabic digits) in the requested digit style."""
    _check_digits(digits)
    return thai_digits(text) if digits == "thai" else text


def _check_digits(digits: str) -> None:
    if digits not in DIGIT_STYLES:
        raise ValueError(f"unknown digits {digits!r}; expected one of {DIGIT_STYLES}")


# --- years -----------------------------------------------------------------------------------


def be_year(ce_year: int) -> int:
    """Buddhist-era year of a C.E. year: 2023 -> 2566."""
    return ce_year + BE_OFFSET


def ce_year(be_year: int) -> int:
    """C.E. year of a Buddhist-era year: 2566 -> 2023."""
    return be_year - BE_OFFSET


# --- dates -----------------------------------------------------------------------------------


def format_date(d: date, *, style: str = "full", digits: str = "arabic") -> str:
    """Write a date in Thai with its B.E. year.

    Styles, for 3 April 2023: ``full`` "3 เมษายน 2566", ``abbr`` "3 เม.ย. 2566",
    ``month`` "เมษายน 2566", ``long`` "วันที่ 3 เดือนเมษายน พ.ศ. 2566" (memo style).
    """
    _check_digits(digits)
    return _with_digits(_date_text(d, style), digits)


def _date_text(d: date, style: str) -> str:
    month, year = MONTHS_FULL[d.month - 1], be_year(d.year)
    if style == "full":
        return f"{d.day} {month} {year}"
    if style == "abbr":
        return f"{d.day} {MONTHS_ABBR[d.month - 1]} {year}"
    if style == "month":
        return f"{month} {year}"
    if style == "long":
        return f"วันที่ {d.day} เดือน{month} พ.ศ. {year}"
    raise ValueError(f"unknown date style {style!r}; expected one of {DATE_STYLES}")


def _month_pattern() -> str:
    """Alternation of every month name, longest first, so no name matches a prefix of another."""
    names = sorted(MONTHS_FULL + MONTHS_ABBR, key=len, reverse=True)
    return "|".join(re.escape(name) for name in names)


_MONTH_NUMBERS = {name: i + 1 for i, name in enumerate(MONTHS_FULL)} | {
    name: i + 1 for i, name in enumerate(MONTHS_ABBR)
}
_DATE_RE = re.compile(
    r"(?:วันที่\s*)?(?P<day>\d{1,2})\s*(?:เดือน\s*)?"
    rf"(?P<month>{_month_pattern()})\s*(?:พ\.\s*ศ\.\s*)?(?P<year>\d{{4}})"
)
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")


_MIN_BE_YEAR = 2400  # a year below this is a C.E. year written by mistake


def parse_thai_date(text: str) -> date:
    """Read a Thai date with a B.E. year, in Arabic or Thai digits, into a date.

    Accepts "3 เมษายน 2566", "3 เม.ย. 2566", "๓ เมษายน ๒๕๖๖", "3 เมษายน พ.ศ. 2566" and
    "วันที่ 3 เดือนเมษายน พ.ศ. 2566"; raises ValueError naming the text otherwise.
    """
    cleaned = arabic_digits(text).translate(_INVISIBLE).strip()
    match = _DATE_RE.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"cannot read {text!r} as a Thai date such as '3 เมษายน 2566'")
    day = int(match["day"])
    month = _MONTH_NUMBERS[match["month"]]
    be = int(match["year"])
    if be < _MIN_BE_YEAR:
        raise ValueError(f"{text!r}: year {be} is not a B.E. year (B.E. = C.E. + 543)")
    year = ce_year(be)
    try:
        return date(year, month, day)
    except ValueError as err:
        raise ValueError(f"{text!r} is not a real date: {err}") from err


# --- fiscal years and reporting rounds -------------------------------------------------------


def fiscal_year_of(d: date) -> int:
    """B.E. fiscal year that a date falls in: 30 Sep 2023 -> 2566, 1 Oct 2023 -> 2567."""
    ends_in = d.year + 1 if d.month >= _FISCAL_START_MONTH else d.year
    return be_year(ends_in)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of a B.E. fiscal year: 2566 -> (2022-10-01, 2023-09-30)."""
    end_year = ce_year(fy_be)
    return date(end_year - 1, _FISCAL_START_MONTH, 1), date(end_year, 9, 30)


def round_period(fy_be: int, months: int) -> tuple[date, date]:
    """First and last day of a reporting round: 6 months is Oct-Mar, 12 months is Oct-Sep."""
    if months not in ROUND_MONTHS:
        raise ValueError(f"unknown reporting round of {months!r} months; expected 6 or 12")
    start, end = fiscal_year_bounds(fy_be)
    if months == 6:
        end = date(end.year, 3, 31)
    return start, end


def round_label(fy_be: int, months: int, *, digits: str = "arabic") -> str:
    """Thai label of a reporting round: "รอบ 6 เดือน (ตุลาคม 2565 – มีนาคม 2566)"."""
    _check_digits(digits)
    start, end = round_period(fy_be, months)
    span = f"{_date_text(start, 'month')} – {_date_text(end, 'month')}"
    return _with_digits(f"รอบ {months} เดือน ({span})", digits)


# --- numbers ---------------------------------------------------------------------------------


def format_score(value: float, *, digits: str = "arabic") -> str:
    """A score with two decimals, as in ITA reports: 90.5249 -> "90.52", 100 -> "100.00"."""
    _check_digits(digits)
    if not math.isfinite(value):
        raise ValueError(f"cannot format score {value!r}: not a finite number")
    text = f"{published(value):.2f}"
    if text == "-0.00":  # a tiny negative rounding residue is shown as zero
        text = "0.00"
    return _with_digits(text, digits)


# --- keeping together what a line must not split ------------------------------------------------

NBSP = "\u00a0"
_DIGIT = "[0-9๐-๙]"
_UNITS = "คะแนน|มาตรการ|เดือน|ข้อ|ชุด|ครั้ง|ตัวชี้วัด|คน|ราย|แห่ง|บาท|โครงการ"
_KEEP = re.compile(
    # พ.ศ. 2566; เมษายน 2566, เม.ย. 2566; รอบ 6; ฉบับที่ 3
    rf"(พ\.ศ\.|ค\.ศ\.|รอบ|ที่|{_month_pattern()}) (?={_DIGIT})"
    # 3 เมษายน; a number and its unit: 11 มาตรการ, 90.52 คะแนน
    rf"|({_DIGIT}) (?=(?:{_month_pattern()}|{_UNITS}))"
)


def keep_together(text: str) -> str:
    """Turn the spaces a Thai line must not break at into no-break spaces: between พ.ศ. and its
    year, a day, month and year, รอบ/ที่ and their number, and a number and its unit (11
    มาตรการ, 90.52 คะแนน). Extracted text reads the same: NFKC turns them back into spaces."""
    if " " not in text:
        return text
    return _KEEP.sub(lambda m: (m.group(1) or m.group(2)) + NBSP, text)


_DASHES = re.compile("[\u2010-\u2015\u2212]")


def title_key(text: str) -> str:
    """A title reduced to what makes it the same title: for comparing OIT item titles across
    framework versions and agencies' copies: ``normalise.compact`` (zero-width characters,
    both ways of typing sara am and its tone mark, Thai digits, case, every space: Thai writers
    space phrases differently, ``ต่าง ๆ`` / ``ต่างๆ``), with every dash made '-'."""
    return _DASHES.sub("-", compact(text))


def words(text: str) -> list[str]:
    """``text`` cut into words (Thai by PyThaiNLP's dictionary, other text at spaces and
    punctuation), spaces and line breaks kept as their own pieces: ``"".join`` gives it back."""
    if not text:
        return []
    from openita.text.dictionary import segment  # slow to import: only when asked

    return [w for w in segment(text) if w]


def word_diff(before: str, after: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """The two texts as runs of ``(text, changed)``: in ``before`` the words taken out are
    changed, in ``after`` the words put in. Runs are merged, so a run is never split needlessly."""
    from difflib import SequenceMatcher

    a, b = words(before), words(after)
    old: list[tuple[str, bool]] = []
    new: list[tuple[str, bool]] = []

    def add(runs: list[tuple[str, bool]], text: str, changed: bool) -> None:
        if not text:
            return
        if runs and runs[-1][1] == changed:
            runs[-1] = (runs[-1][0] + text, changed)
        else:
            runs.append((text, changed))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        add(old, "".join(a[i1:i2]), op != "equal")
        add(new, "".join(b[j1:j2]), op != "equal")
    return old, new
