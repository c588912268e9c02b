"""Thai text helpers: digits, B.E. years, dates, fiscal years, rounds, scores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openita.text import thai
from openita.text.thai import (
    MONTHS_ABBR,
    MONTHS_FULL,
    arabic_digits,
    be_year,
    ce_year,
    fiscal_year_bounds,
    fiscal_year_of,
    format_date,
    format_score,
    parse_thai_date,
    round_label,
    round_period,
    thai_digits,
)

APR_3_2023 = date(2023, 4, 3)

# --- digits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arabic", "thai"),
    [
        ("0123456789", "๐๑๒๓๔๕๖๗๘๙"),
        ("2566", "๒๕๖๖"),
        ("90.52", "๙๐.๕๒"),
        ("ที่ นร 0105/123", "ที่ นร ๐๑๐๕/๑๒๓"),
        ("ไม่มีตัวเลข", "ไม่มีตัวเลข"),
        ("", ""),
    ],
)
def test_digits_convert_both_ways(arabic: str, thai: str) -> None:
    assert thai_digits(arabic) == thai
    assert arabic_digits(thai) == arabic


def test_digit_conversion_leaves_other_digits_alone() -> None:
    assert thai_digits("๑2") == "๑๒"
    assert arabic_digits("๑2") == "12"
    assert thai_digits("abc ก-ฮ") == "abc ก-ฮ"


# --- years -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("ce", "be"), [(2022, 2565), (2023, 2566), (2024, 2567), (1957, 2500)])
def test_be_and_ce_years(ce: int, be: int) -> None:
    assert be_year(ce) == be
    assert ce_year(be) == ce


# --- months ----------------------------------------------------------------------------------


def test_month_tables() -> None:
    assert len(MONTHS_FULL) == 12
    assert len(MONTHS_ABBR) == 12
    assert MONTHS_FULL[0] == "มกราคม"
    assert MONTHS_FULL[3] == "เมษายน"
    assert MONTHS_FULL[11] == "ธันวาคม"
    assert MONTHS_ABBR == (
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
    assert len(set(MONTHS_FULL + MONTHS_ABBR)) == 24


# --- format_date -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "style", "digits", "expected"),
    [
        (APR_3_2023, "full", "arabic", "3 เมษายน 2566"),
        (APR_3_2023, "abbr", "arabic", "3 เม.ย. 2566"),
        (APR_3_2023, "month", "arabic", "เมษายน 2566"),
        (APR_3_2023, "long", "arabic", "วันที่ 3 เดือนเมษายน พ.ศ. 2566"),
        (APR_3_2023, "full", "thai", "๓ เมษายน ๒๕๖๖"),
        (APR_3_2023, "abbr", "thai", "๓ เม.ย. ๒๕๖๖"),
        (APR_3_2023, "month", "thai", "เมษายน ๒๕๖๖"),
        (APR_3_2023, "long", "thai", "วันที่ ๓ เดือนเมษายน พ.ศ. ๒๕๖๖"),
        (date(2023, 6, 30), "month", "arabic", "มิถุนายน 2566"),
        (date(2024, 2, 29), "full", "arabic", "29 กุมภาพันธ์ 2567"),
        (date(2022, 12, 31), "abbr", "thai", "๓๑ ธ.ค. ๒๕๖๕"),
        (date(2023, 1, 1), "full", "arabic", "1 มกราคม 2566"),
    ],
)
def test_format_date(d: date, style: str, digits: str, expected: str) -> None:
    assert format_date(d, style=style, digits=digits) == expected


def test_format_date_defaults_to_full_with_arabic_digits() -> None:
    assert format_date(APR_3_2023) == "3 เมษายน 2566"


@pytest.mark.parametrize(
    ("style", "digits", "bad"),
    [
        ("short", "arabic", "short"),
        ("", "arabic", "''"),
        ("FULL", "arabic", "FULL"),
        ("full", "latin", "latin"),
        ("full", "Thai", "Thai"),
    ],
)
def test_format_date_rejects_unknown_options(style: str, digits: str, bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        format_date(APR_3_2023, style=style, digits=digits)


# --- parse_thai_date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 เมษายน 2566", APR_3_2023),
        ("3 เม.ย. 2566", APR_3_2023),
        ("๓ เมษายน ๒๕๖๖", APR_3_2023),
        ("3 เมษายน พ.ศ. 2566", APR_3_2023),
        ("วันที่ 3 เดือนเมษายน พ.ศ. 2566", APR_3_2023),
        ("วันที่ ๓ เดือนเมษายน พ.ศ. ๒๕๖๖", APR_3_2023),
        ("  03  เมษายน   2566 ", APR_3_2023),
        ("3 เมษายน พ.ศ.2566", APR_3_2023),
        ("3 เมษายน\u00a02566", APR_3_2023),
        ("3เมษายน2566", APR_3_2023),
        ("29 กุมภาพันธ์ 2567", date(2024, 2, 29)),
        ("1 มี.ค. 2566", date(2023, 3, 1)),
        ("31 มีนาคม 2566", date(2023, 3, 31)),
        ("30 ก.ย. 2566", date(2023, 9, 30)),
        ("1 ต.ค. 2565", date(2022, 10, 1)),
    ],
)
def test_parse_thai_date(text: str, expected: date) -> None:
    assert parse_thai_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "เมษายน 2566",
        "3 April 2566",
        "3 เมษา 2566",
        "3 เมษายน 66",
        "3 เมษายน 2566 เวลา 10.00 น.",
        "2023-04-03",
        "3 เม.ย 2566",
    ],
)
def test_parse_thai_date_rejects_unreadable_text(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read") as info:
        parse_thai_date(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["29 กุมภาพันธ์ 2566", "31 เมษายน 2566", "0 มกราคม 2566", "32 มกราคม 2566"],
)
def test_parse_thai_date_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ValueError, match="not a real date") as info:
        parse_thai_date(text)
    assert repr(text) in str(info.value)


def _every_month() -> list[date]:
    """The first and the last day of every month of 2024 (a leap year)."""
    firsts = [date(2024, m, 1) for m in range(1, 13)]
    lasts = [date(2024, m + 1, 1) - timedelta(days=1) for m in range(1, 12)]
    return firsts + lasts + [date(2024, 12, 31)]


@pytest.mark.parametrize("d", _every_month(), ids=str)
@pytest.mark.parametrize("style", ["full", "abbr", "long"])
@pytest.mark.parametrize("digits", ["arabic", "thai"])
def test_format_then_parse_round_trips(d: date, style: str, digits: str) -> None:
    assert parse_thai_date(format_date(d, style=style, digits=digits)) == d


# --- fiscal years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2022, 9, 30), 2565),
        (date(2022, 10, 1), 2566),
        (date(2023, 1, 1), 2566),
        (date(2023, 9, 30), 2566),
        (date(2023, 10, 1), 2567),
        (date(2023, 12, 31), 2567),
        (date(2024, 2, 29), 2567),
        (date(2026, 10, 1), 2570),
        (date(2027, 9, 30), 2570),
    ],
)
def test_fiscal_year_of(d: date, fy: int) -> None:
    assert fiscal_year_of(d) == fy


@pytest.mark.parametrize(
    ("fy", "first", "last"),
    [
        (2566, date(2022, 10, 1), date(2023, 9, 30)),
        (2567, date(2023, 10, 1), date(2024, 9, 30)),
        (2570, date(2026, 10, 1), date(2027, 9, 30)),
    ],
)
def test_fiscal_year_bounds(fy: int, first: date, last: date) -> None:
    assert fiscal_year_bounds(fy) == (first, last)
    assert fiscal_year_of(first) == fy
    assert fiscal_year_of(last) == fy
    assert fiscal_year_of(first - timedelta(days=1)) == fy - 1
    assert fiscal_year_of(last + timedelta(days=1)) == fy + 1


# --- reporting rounds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "months", "first", "last"),
    [
        (2566, 6, date(2022, 10, 1), date(2023, 3, 31)),
        (2566, 12, date(2022, 10, 1), date(2023, 9, 30)),
        (2567, 6, date(2023, 10, 1), date(2024, 3, 31)),
        (2567, 12, date(2023, 10, 1), date(2024, 9, 30)),
    ],
)
def test_round_period(fy: int, months: int, first: date, last: date) -> None:
    assert round_period(fy, months) == (first, last)


@pytest.mark.parametrize("months", [0, 3, 9, 11, 13, -6])
def test_round_period_rejects_other_lengths(months: int) -> None:
    with pytest.raises(ValueError, match=f"{months} months"):
        round_period(2566, months)


@pytest.mark.parametrize(
    ("fy", "months", "digits", "expected"),
    [
        (2566, 6, "arabic", "รอบ 6 เดือน (ตุลาคม 2565 – มีนาคม 2566)"),
        (2566, 12, "arabic", "รอบ 12 เดือน (ตุลาคม 2565 – กันยายน 2566)"),
        (2566, 6, "thai", "รอบ ๖ เดือน (ตุลาคม ๒๕๖๕ – มีนาคม ๒๕๖๖)"),
        (2570, 12, "thai", "รอบ ๑๒ เดือน (ตุลาคม ๒๕๖๙ – กันยายน ๒๕๗๐)"),
    ],
)
def test_round_label(fy: int, months: int, digits: str, expected: str) -> None:
    assert round_label(fy, months, digits=digits) == expected


def test_round_label_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="9 months"):
        round_label(2566, 9)
    with pytest.raises(ValueError, match="roman"):
        round_label(2566, 6, digits="roman")


# --- format_score ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (90.52, "arabic", "90.52"),
        (90.5249, "arabic", "90.52"),
        (85.256, "arabic", "85.26"),
        (100, "arabic", "100.00"),
        (100.0, "arabic", "100.00"),
        (0, "arabic", "0.00"),
        (-0.001, "arabic", "0.00"),
        (7.5, "arabic", "7.50"),
        (90.52, "thai", "๙๐.๕๒"),
        (100.0, "thai", "๑๐๐.๐๐"),
    ],
)
def test_format_score(value: float, digits: str, expected: str) -> None:
    assert format_score(value, digits=digits) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_format_score_rejects_non_finite(value: float) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        format_score(value)


def test_format_score_rejects_unknown_digits() -> None:
    with pytest.raises(ValueError, match="arab"):
        format_score(90.0, digits="arab")


def test_ce_year_written_by_mistake_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not a B\.E\. year"):
        parse_thai_date("3 เมษายน 2023")


def test_format_score_rounds_half_up_like_published_figures() -> None:
    assert format_score(84.995) == "85.00"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ประจำปีงบประมาณ พ.ศ. 2566", "ประจำปีงบประมาณ พ.ศ.\u00a02566"),
        ("(ตุลาคม 2565 – มีนาคม 2566)", "(ตุลาคม\u00a02565 – มีนาคม\u00a02566)"),
        ("วันที่ 3 เมษายน 2566", "วันที่\u00a03\u00a0เมษายน\u00a02566"),
        ("ภายใน ๓๑ มี.ค. ๒๕๖๖", "ภายใน ๓๑\u00a0มี.ค.\u00a0๒๕๖๖"),
        (
            "รอบ 6 เดือน จำนวน 11 มาตรการ ได้ 90.52 คะแนน",
            "รอบ\u00a06\u00a0เดือน จำนวน 11\u00a0มาตรการ ได้ 90.52\u00a0คะแนน",
        ),
        ("ที่ สฎ ๕๒๑๐๑/๑๒๓", "ที่ สฎ ๕๒๑๐๑/๑๒๓"),  # not a number after ที่
        ("ปี 2566 ฉบับที่ 3", "ปี 2566 ฉบับที่\u00a03"),  # a year and the next word may part
        ("ไม่มีช่องว่าง", "ไม่มีช่องว่าง"),
    ],
)
def test_keep_together(text: str, kept: str) -> None:
    assert thai.keep_together(text) == kept
    assert kept.replace("\u00a0", " ") == text  # the same text, spaces that do not break


def test_paragraphs_and_headings_keep_together_but_tables_do_not() -> None:
    from openita.documents.model import Cell, Heading, Paragraph, runs

    assert Paragraph(runs("ปี พ.ศ. 2566")).content[0].text == "ปี พ.ศ.\u00a02566"
    assert Heading("แผนปี พ.ศ. 2566").text == "แผนปี พ.ศ.\u00a02566"
    assert Cell(runs("31 มี.ค. 2566")).content[0].text == "31 มี.ค. 2566"
