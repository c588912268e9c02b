"""Documents that state only a year's total and rating: announcements, news items, tables of
totals over several years, in the phrasings, emphasis, digits and line wraps agencies use."""

from __future__ import annotations

import pytest

from openita.importers.headline import rating_token, ratings_in, year_mentions
from openita.importers.reports import findings_json, read_report


def headline(text: str) -> dict[int, tuple[float | None, str | None]]:
    found = read_report(text, source="t")
    return {y: (v.claimed_total, v.rating) for y, v in found.years.items() if v.headline_only}


ANNOUNCEMENT = """ประกาศองค์การบริหารส่วนตำบลโนนสูง
เรื่อง ประชาสัมพันธ์ผลการประเมินคุณธรรมและความโปร่งใส
ประกาศ ณ วันที่ 15 มกราคม 2568

ด้วยองค์การบริหารส่วนตำบลโนนสูง ได้เข้ารับการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน
ของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ผลปรากฏว่ามีผลคะแนน ๙๒.๕๐ คะแนน
อยู่ในระดับ “A” จึงประกาศให้ทราบโดยทั่วกัน
"""


def test_announcement_with_thai_digits_wrapped_and_a_date_year():
    found = read_report(ANNOUNCEMENT, source="announcement.txt")
    assert list(found.years) == [2567]  # not 2568, the year of the announcement's date
    year = found.years[2567]
    assert year.headline_only and year.claimed_total == 92.5 and year.rating == "A"
    assert year.totals[0].where.line == 6  # the line the figure is on
    assert found.usable and not [p for p in found.problems if p.kind == "mismatch"]
    assert found.agency is not None and found.agency.name == "องค์การบริหารส่วนตำบลโนนสูง"


@pytest.mark.parametrize(
    ("text", "year", "total", "rating"),
    [
        # news item, markdown bold, the figure's year in its own sentence
        (
            "ข่าวประชาสัมพันธ์ ประจำปี 2568\n\n**เทศบาลเมืองบางบัวทอง** ผ่านการประเมิน ITA "
            "ปี 2566 ด้วยคะแนน **96.38** คะแนน ได้ระดับ **AA**",
            2566,
            96.38,
            "AA",
        ),
        # "ผลการประเมินอยู่ที่", the year from the heading above
        (
            "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2565\n\nเทศบาลตำบลหนองปลิง "
            "ผลการประเมินอยู่ที่ 88.41 คะแนน ระดับ a",
            2565,
            88.41,
            "A",
        ),
        # "ได้รับคะแนนรวม", a qualitative level in guillemets
        (
            "อบต.ป่าแดง ได้รับคะแนนรวม 91.07 คะแนน ในการประเมิน ITA ปีงบประมาณ 2568 "
            "ผลการประเมินระดับ «ผ่านดี»",
            2568,
            91.07,
            "ผ่านดี",
        ),
        # "คะแนนเฉลี่ย", straight quotes
        (
            "ผลการประเมิน ITA ปี 2566 องค์การบริหารส่วนตำบลคลองเก้า มีคะแนนเฉลี่ย 85.50 คะแนน ระดับ 'A'",
            2566,
            85.5,
            "A",
        ),
        # the rating before the score, the year after the figure on its line
        (
            "รายงานประจำปี 2568\nเทศบาลตำบลท่าข้าม ได้ระดับ A (ผ่าน) ด้วยคะแนน 89.90 คะแนน "
            "จากการประเมิน ITA ประจำปีงบประมาณ 2567",
            2567,
            89.9,
            "A",
        ),
        # "(ผ่าน) ระดับ AA", "ได้คะแนน" with a connector in quotes
        (
            "ผลการประเมิน ITA ปี พ.ศ. 2567 ของ ทต.บ้านโพธิ์ ได้คะแนน “95.12” คะแนน (ผ่าน) ระดับ AA",
            2567,
            95.12,
            "AA",
        ),
        # an English-ish label and "เท่ากับ"
        (
            "ITA 2567 ของเทศบาลนครยะลา: ผลการประเมิน เท่ากับ 97.02 คะแนน ผลการประเมิน: ผ่านดีเยี่ยม",
            2567,
            97.02,
            "ผ่านดีเยี่ยม",
        ),
        # a plain pass word, no band
        (
            "องค์การบริหารส่วนจังหวัดน่าน มีผลคะแนน ITA ปีงบประมาณ 2566 ที่ 86.77 คะแนน ผลการประเมิน ผ่าน",
            2566,
            86.77,
            "ผ่าน",
        ),
        # a short year (ปี 67)
        ("ผลการประเมิน ITA ปี 67 ของ ทต.นาดี คะแนน 93.45 คะแนน ระดับ A", 2567, 93.45, "A"),
        # the band in brackets after the score, a colon as the connector
        ("ผลคะแนน ITA ประจำปี 2567 : 93.45 คะแนน (A)", 2567, 93.45, "A"),
        ("ผลการประเมิน ITA ปีงบประมาณ 2567 คะแนนที่ได้ 93.45 ผลการประเมิน ผ่าน (A)", 2567, 93.45, "A"),
        # a total under 85 and the word for it
        (
            "ผลการประเมิน ITA ปี 2568 ของ อบต.หัวนา ได้ 72.30 คะแนน ระดับ ต้องปรับปรุง",
            2568,
            72.3,
            "ต้องปรับปรุง",
        ),
        # the total as a percentage word, a threshold and a national average in the same text
        (
            "เทศบาลตำบลบ้านดอน แจ้งผลการประเมิน ITA ปี 2568 โดยผลคะแนนรวมของหน่วยงาน\n"
            "อยู่ที่ร้อยละ 79.33 ซึ่งต่ำกว่าเกณฑ์ 85 คะแนน ระดับผลการประเมิน: ต้องปรับปรุง\n"
            "ทั้งนี้ค่าเฉลี่ยระดับประเทศปี 2568 คือ 93.82 คะแนน",
            2568,
            79.33,
            "ต้องปรับปรุง",
        ),
    ],
)
def test_sentence_shapes(text, year, total, rating):
    assert headline(text) == {year: (total, rating)}


def test_two_years_in_one_sentence_each_takes_its_own():
    text = (
        "ผลการประเมิน ITA ของเทศบาลตำบลนาป่า ปี 2566 ได้ 88.10 คะแนน ระดับ A และปี 2567 "
        "ได้ 92.50 คะแนน ระดับ “AA”"
    )
    found = read_report(text, source="t")
    assert found.years[2566].claimed_total == 88.1 and found.years[2566].rating == "A"
    assert found.years[2567].claimed_total == 92.5 and found.years[2567].rating == "AA"
    # AA does not go with 92.50: said, naming both figures
    slips = [p.message for p in found.problems if p.kind == "mismatch"]
    assert slips == [
        "FY2567: the report claims rating AA but its stated total of 92.5 (line 1) is rating A"
    ]


def test_a_sentence_wrapped_across_lines_as_pdftotext_gives_it():
    text = (
        "ข่าวประชาสัมพันธ์ เทศบาลตำบลเวียงเหนือ ประจำเดือนธันวาคม 2567\n"
        "เทศบาลตำบลเวียงเหนือ ขอแสดงความยินดีกับบุคลากรทุกท่าน ในโอกาสที่ผลการประเมิน\n"
        "คุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ.\n"
        "2567 ของเทศบาลได้รับคะแนนรวม\n"
        "94.17 คะแนน อยู่ในระดับ\n"
        "A\n"
    )
    assert headline(text) == {2567: (94.17, "A")}


@pytest.mark.parametrize(
    "table",
    [
        # markdown
        "| ปีงบประมาณ | คะแนน | ระดับ |\n|---|---|---|\n| 2564 | 79.12 | B |\n"
        "| 2565 | 86.40 | A |\n| 2566 | ๙๕.๑๐ | **AA** |\n| 2567 | 93.00 | ผ่านดี |",
        # a rating cell that says it twice: the band wins over a bare ผ่าน
        "| ปีงบประมาณ | คะแนน | ผลการประเมิน |\n|---|---|---|\n| 2564 | 79.12 | ไม่ผ่าน (ระดับ B) |\n"
        "| 2565 | 86.40 | ผ่าน (ระดับ A) |\n| 2566 | 95.10 | AA |\n| 2567 | 93.00 | ผ่านดี |",
        # layout text
        "ปี พ.ศ.      ผลคะแนน      ระดับผลการประเมิน\n2564         79.12        B\n"
        "2565         86.40        A\n2566         95.10        AA\n2567         93.00        ผ่านดี",
        # the years in columns
        "ปีงบประมาณ\t2564\t2565\t2566\t2567\nคะแนน\t79.12\t86.40\t95.10\t93.00\n"
        "ระดับ\tB\tA\tAA\tผ่านดี",
    ],
    ids=["markdown", "band-in-brackets", "layout", "years-in-columns"],
)
def test_a_table_of_totals_over_several_years(table):
    text = "ผลการประเมิน ITA ย้อนหลังของเทศบาลตำบลท่าช้าง\n\n" + table
    assert headline(text) == {
        2564: (79.12, "B"),
        2565: (86.4, "A"),
        2566: (95.1, "AA"),
        2567: (93.0, "ผ่านดี"),
    }


def test_year_rows_without_a_header_need_a_rating():
    text = "ผลการประเมิน ITA ของเทศบาลตำบลท่าช้าง\n2566  88.10  A\n2567  92.50  A\n"
    assert headline(text) == {2566: (88.1, "A"), 2567: (92.5, "A")}
    # a bare "2567 12" (a year and a count) is no total
    assert not read_report("ผลการประเมิน ITA\n2567  12\n", source="t").usable


@pytest.mark.parametrize(
    "sentence",
    [
        "ค่าเฉลี่ยระดับประเทศ ปี 2567 อยู่ที่ 93.82 คะแนน",
        "ผลการประเมิน ITA ปี 2567 หน่วยงานที่ได้คะแนน 85 คะแนนขึ้นไปถือว่าผ่านเกณฑ์",
        "ผลการประเมิน ITA ปี 2567 เพื่อให้ได้ 95.00 คะแนน ควรยกระดับ 3 ข้อ",
        "ผลการประเมิน ITA ปี 2567 คะแนนรวมเพิ่มขึ้น 4.10 คะแนน",
        "ผลการประเมิน ITA ปี 2567 ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้ 100 คะแนน",
        "ผลการประเมิน ITA ปี 2567 ผ่านเกณฑ์ (85 คะแนน)",
        "ผลการประเมิน ITA ปี 2567 มีประเด็นที่ได้คะแนน 0 คะแนน จำนวน 2 ประเด็น",
        "ผลการประเมิน ITA ปี 2567 คะแนนรวม ระบุไว้ 85.29 แต่คำนวณจากองค์ประกอบได้ 85.27",
        "ผลการประเมิน ITA ปี 2567 จำแนกเป็น 7 ระดับ ระดับ AA คือ 95 - 100 คะแนน",
        "การประชุมประจำปี 2567 มีผู้เข้าร่วม 45 คน ได้คะแนนความพึงพอใจ 4.50 คะแนน",
    ],
)
def test_figures_that_are_not_the_total(sentence):
    found = read_report(sentence, source="t")
    year = found.years.get(2567)
    assert year is None or (year.claimed_total is None and year.rating is None), sentence


def test_totals_that_disagree_are_named_with_their_lines():
    text = (
        "ผลการประเมิน ITA ปีงบประมาณ 2567 ของ อบต.ดอนแก้ว ได้คะแนน 92.50 คะแนน\n\n"
        "สรุป ผลการประเมิน ITA ปี 2567 ได้คะแนนรวม 92.05 คะแนน\n"
    )
    found = read_report(text, source="t")
    slips = [str(p) for p in found.problems if p.kind == "mismatch"]
    assert slips == ["line 3: FY2567: the report states a total of 92.05 here but 92.5 at line 1"]


def test_json_of_a_headline_only_year():
    data = findings_json(read_report(ANNOUNCEMENT, source="a.txt"))
    year = data["years"]["2567"]
    assert year["headline_only"] is True
    assert year["claimed_total"] == 92.5 and year["rating"] == "A"
    assert year["computed_total"] is None and year["items"] == {} and not year["complete"]
    claims = {c["code"]: c for c in year["claims"]}
    assert claims["total"]["line"] == 6 and "๙๒.๕๐" in claims["total"]["text"]
    assert claims["rating"]["value"] == "A"


def test_full_years_are_not_headline_only():
    text = "ผลการประเมิน ITA ปี 2565\nตัวชี้วัด\tคะแนน\nการเปิดเผยข้อมูล\t94.64\n"
    year = read_report(text, source="t").years[2565]
    assert not year.headline_only and year.has_scores


@pytest.mark.parametrize(
    ("token", "value"),
    [("a", "A"), ("Aa", "AA"), ("(ผ่าน)", "ผ่าน"), ("ผ่านดีเยี่ยม", "ผ่านดีเยี่ยม"), ("G", None)],
)
def test_rating_tokens(token, value):
    assert rating_token(token) == value


def test_ratings_in_text_skip_targets_and_legends():
    assert [r for _, r in ratings_in("ได้ระดับ B เพื่อให้ถึงระดับ AA")] == ["B"]
    assert ratings_in("ระดับ AA หมายถึง 95.00 - 100 คะแนน") == []
    assert [r for _, r in ratings_in("ผลการประเมิน ไม่ผ่าน")] == ["ไม่ผ่าน"]
    assert ratings_in("ผ่านการประเมิน และผ่านช่องทางออนไลน์") == []


def test_dates_and_periods_are_not_fiscal_years():
    text = "ลงวันที่ 15 ม.ค. 2568 แผนแม่บท (พ.ศ. 2561 - 2580) ผลการประเมินปี 2567"
    assert [y for _, y in year_mentions(text)] == [2567]


def test_the_results_year_of_an_announcement_is_not_its_date():
    assert read_report(ANNOUNCEMENT, source="a.txt").results_year == 2567


@pytest.mark.parametrize(
    ("text", "rating", "fits"),
    [
        ("ผลการประเมิน ITA ปี 2568 ของ อบต.หัวนา ได้ 62.30 คะแนน ผลการประเมิน ไม่ผ่าน", "ไม่ผ่าน", True),
        ("ผลการประเมิน ITA ปี 2568 ของ อบต.หัวนา ได้ 90.30 คะแนน ผลการประเมิน ไม่ผ่าน", "ไม่ผ่าน", False),
        (
            "ผลการประเมิน ITA ปี 2568 ของ อบต.หัวนา ได้ 62.30 คะแนน ระดับ ต้องปรับปรุงโดยด่วน",
            "ต้องปรับปรุงโดยด่วน",
            True,
        ),
        ("ผลการประเมิน ITA ปี 2568 ได้ 90.30 คะแนน ระดับ ผ่านดีเยี่ยม", "ผ่านดีเยี่ยม", False),
        ("ผลการประเมิน ITA ปี 2568 ได้ 96.30 คะแนน ระดับ ผ่าน", "ผ่าน", True),
        ("ผลการประเมิน ITA ปี 2565 ได้ 84.99 คะแนน ระดับ B", "B", True),
        ("ผลการประเมิน ITA ปี 2565 ได้ 84.99 คะแนน ระดับ A", "A", False),
    ],
)
def test_a_stated_rating_is_checked_against_the_stated_total(text, rating, fits):
    found = read_report(text, source="t")
    year = next(iter(found.years.values()))
    assert year.headline_only and year.rating == rating
    slips = [p for p in found.problems if p.kind == "mismatch"]
    assert (not slips) is fits, slips
