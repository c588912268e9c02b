"""The report reader on seed 003 and on layouts written here (tabs, spaces, pipes, Thai
digits, other column orders, one year per table, a cut table, bad numbers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from openita.importers.reports import findings_json, normalize, read_report, split_lines

SEEDS = Path("/work/shared/seeds")
SEED3 = SEEDS / "003_905485496033a3c9.txt"
needs_seed = pytest.mark.skipif(not SEED3.exists(), reason="seed 003 not present")

IND_2565 = {
    "ind1": 95.21, "ind2": 92.11, "ind3": 94.38, "ind4": 91.96, "ind5": 91.82,
    "ind6": 81.03, "ind7": 76.92, "ind8": 78.64, "ind9": 94.64, "ind10": 100.0,
}  # fmt: skip
IND_2564 = {
    "ind1": 86.95, "ind2": 77.31, "ind3": 82.37, "ind4": 76.87, "ind5": 79.40,
    "ind6": 98.19, "ind7": 76.45, "ind8": 87.27, "ind9": 87.00, "ind10": 87.50,
}  # fmt: skip
IND_2563 = {
    "ind1": 88.52, "ind2": 74.70, "ind3": 82.59, "ind4": 77.03, "ind5": 80.53,
    "ind6": 89.87, "ind7": 90.03, "ind8": 79.17, "ind9": 34.47, "ind10": 12.50,
}  # fmt: skip
NAMES = {
    "ind1": "การปฏิบัติหน้าที่", "ind2": "การใช้งบประมาณ", "ind3": "การใช้อำนาจ",
    "ind4": "การใช้ทรัพย์สินของราชการ", "ind5": "การแก้ไขปัญหาการทุจริต",
    "ind6": "คุณภาพการดำเนินงาน", "ind7": "ประสิทธิภาพการสื่อสาร",
    "ind8": "การปรับปรุงระบบการทำงาน", "ind9": "การเปิดเผยข้อมูล", "ind10": "การป้องกันการทุจริต",
}  # fmt: skip
AGENCY = "องค์การบริหารส่วนตำบลหนองบัว"


def values(year_findings, level="indicators"):
    return {c: f.value for c, f in getattr(year_findings, level).items()}


@pytest.fixture(scope="module")
def seed():
    return read_report(SEED3.read_text(encoding="utf-8"), source="003.txt")


@needs_seed
def test_seed003_three_years_of_indicators(seed):
    assert set(seed.years) == {2563, 2564, 2565}
    assert values(seed.years[2563]) == IND_2563
    assert values(seed.years[2564]) == IND_2564
    assert values(seed.years[2565]) == IND_2565
    assert seed.agency is not None and seed.agency.name == "เทศบาลตำบลบ้านส้อง"
    assert seed.results_year == 2565 and seed.other_agencies == []


@needs_seed
def test_seed003_items_of_2565(seed):
    year = seed.years[2565]
    items = values(year, "items")
    assert len(items) == 88
    assert items["i1"] == 92.97 and items["e3"] == 68.93 and items["i26"] == 95.45
    assert items["o12"] == 0 and items["o20"] == 0 and items["o43"] == 100
    assert year.items["o12"].where.line == 289  # written ๐12 with a Thai zero
    assert values(year, "sub_indicators")["ind9.3"] == 85.71  # found by its range (o18 - o24)
    assert year.computed_total == 90.52 and year.computed_rating == "A" and year.rating == "A"
    assert not seed.years[2563].items


@needs_seed
def test_seed003_claims(seed):
    y63, y64 = seed.years[2563], seed.years[2564]
    assert y63.computed_total == 59.5 and y63.claimed_total == 59.5
    assert y64.computed_total in (85.26, 85.27)
    claims = {(c.value, c.where.line, c.how): c.agrees for c in y64.totals}
    assert claims[(85.29, 42, "sentence")] is False
    assert claims[(85.26, 56, "table")] is True
    assert y64.claimed_total == 85.26  # the table's figure
    slips = [p for p in seed.problems if p.kind == "mismatch"]
    assert len(slips) == 1 and slips[0].line == 42 and "85.29" in slips[0].message


@needs_seed
def test_seed003_json_keys(seed):
    data = findings_json(seed)
    assert {"agency", "years", "problems", "other_agencies"} <= set(data)
    year = data["years"]["2565"]
    for key in ("indicators", "items", "claimed_total", "computed_total", "rating", "claims"):
        assert key in year
    assert year["found_at"]["o12"]["line"] == 289


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_progress_reports_are_partial_or_not_ita():
    seed1 = next(SEEDS.glob("001_*"))
    found = read_report(seed1.read_text(encoding="utf-8"), source="001")
    assert found.agency is not None and found.agency.name == "องค์การบริหารส่วนตำบลห้วยทอง"
    year = found.years[2566]
    assert values(year) == {"ind9": 100.0, "ind10": 100.0}  # "ตัวชี้วัดที่ ๙ ... คือ ๑๐๐ คะแนน"
    assert not year.complete
    assert any(p.kind == "incomplete" for p in found.problems)
    assert [a.name for a in found.other_agencies] == ["องค์การบริหารส่วนตำบลหัว้าทอง"]
    seed2 = next(SEEDS.glob("002_*"))
    found2 = read_report(seed2.read_text(encoding="utf-8"), source="002")
    assert not found2.usable and any(p.kind == "not_ita" for p in found2.problems)
    assert "เทศบาลตำบลซาง" in [a.name for a in found2.other_agencies]


# --- synthetic layouts -----------------------------------------------------------------------


def _rows(fmt, scores):
    return "\n".join(fmt(n, code, NAMES[code], scores[code]) for n, code in enumerate(scores, 1))


def _multi_year(sep):
    head = f"อันดับ{sep}ตัวชี้วัด{sep}ปี 2563{sep}ปี 2564{sep}ปี 2565"
    rows = [
        f"{n}.{sep}{NAMES[c]}{sep}{IND_2563[c]:.2f}{sep}{IND_2564[c]:.2f}{sep}{IND_2565[c]:.2f}"
        for n, c in enumerate(IND_2565, 1)
    ]
    total = f"ผลคะแนนรวม{sep}{sep}59.50{sep}85.26{sep}90.52"
    return "\n".join([f"ผลการประเมิน ITA ของ{AGENCY}", head, *rows, total])


def _check_three_years(found):
    assert values(found.years[2563]) == IND_2563
    assert values(found.years[2564]) == IND_2564
    assert values(found.years[2565]) == IND_2565
    assert found.years[2565].claimed_total == 90.52
    assert found.agency is not None and found.agency.name == AGENCY


@pytest.mark.parametrize("sep", ["\t", "   ", " | "], ids=["tabs", "spaces", "pipes"])
def test_multi_year_table(sep):
    found = read_report(_multi_year(sep), source="t")
    _check_three_years(found)
    assert not [p for p in found.problems if p.kind == "mismatch"]


def test_single_spaces_as_from_pdftotext_without_layout():
    _check_three_years(read_report(_multi_year(" "), source="t"))


def test_thai_digits():
    thai = _multi_year("\t").translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    _check_three_years(read_report(thai, source="t"))


def test_years_in_another_order_and_rank_last():
    head = "ตัวชี้วัด | 2565 | 2564 | อันดับ"
    rows = [f"{NAMES[c]} | {IND_2565[c]} | {IND_2564[c]} | {n}" for n, c in enumerate(IND_2565, 1)]
    found = read_report("\n".join([f"ผลการประเมินของ{AGENCY}", head, *rows]), source="t")
    assert values(found.years[2565]) == IND_2565
    assert values(found.years[2564]) == IND_2564


def test_numbered_indicators_one_year_per_table():
    text = []
    for year, scores in ((2564, IND_2564), (2565, IND_2565)):
        text.append(f"ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}")
        text.append("ตัวชี้วัด\tคะแนน")
        text += [f"ตัวชี้วัดที่ {n} {NAMES[c]}\t{scores[c]}" for n, c in enumerate(scores, 1)]
        text.append(f"คะแนนรวม\t{85.26 if year == 2564 else 90.52}")
        text.append("")
    found = read_report("\n".join(text), source="t")
    assert values(found.years[2564]) == IND_2564
    assert values(found.years[2565]) == IND_2565
    assert found.years[2565].computed_total == 90.52


def test_table_cut_across_lines_and_pages():
    lines = [f"ผลการประเมิน ITA ปี 2565 ของ{AGENCY}", "ตัวชี้วัด\tคะแนน"]
    for n, code in enumerate(IND_2565, 1):
        if code == "ind4":
            lines += [f"{n}. {NAMES[code]}", f"{IND_2565[code]}"]  # the score on the next line
        elif code == "ind6":
            lines += ["\f", "- 2 -", f"{n}. {NAMES[code]}\t{IND_2565[code]}"]  # a page break
        else:
            lines.append(f"{n}. {NAMES[code]}\t{IND_2565[code]}")
    found = read_report("\n".join(lines), source="t")
    assert values(found.years[2565]) == IND_2565


def test_items_with_thai_digits_and_codes():
    text = "\n".join(
        [
            "ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
            "ข้อ\tประเด็นการประเมิน\tคะแนนที่ได้",
            "i๑\tบุคลากรในหน่วยงานของท่าน ปฏิบัติงาน รอบ 6 เดือน\t๙๒.๙๗",
            "O12 รายงานผลการดำเนินงานประจำปี 0",
            "๐๑๓\tคู่มือหรือมาตรฐานการปฏิบัติงาน\t๑๐๐",
            "e3 เจ้าหน้าที่ของหน่วยงาน มีการปิดบัง 120.5",
            "e4 ในระยะเวลา 1 ปีที่ผ่านมา\tN/A",
            "i1 ซ้ำ 50.00",
        ]
    )
    found = read_report(text, source="t")
    items = values(found.years[2565], "items")
    assert items == {"i1": 92.97, "o12": 0.0, "o13": 100.0}
    messages = " | ".join(p.message for p in found.problems)
    assert "e3: 120.5 is outside 0-100" in messages
    assert "e4: 'N/A' is not a score" in messages
    assert "i1: 50 here, but 92.97" in messages  # the first occurrence is kept
    assert any(p.kind == "incomplete" for p in found.problems)


def test_sentences():
    text = (
        f"{AGENCY} มีผลการประเมิน ITA ปีงบประมาณ พ.ศ. 2566 ได้คะแนนรวม 88.10 คะแนน "
        "ได้ระดับผลการประเมิน “A” แบบวัด IIT (90.5 คะแนน) ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล คือ "
        "95.00 คะแนน และมาตรการป้องกันการทุจริต 5 มาตรการ"
    )
    found = read_report(text, source="t")
    year = found.years[2566]
    assert year.claimed_total == 88.10 and year.rating == "A"
    assert values(year) == {"ind9": 95.0}
    assert [(c.code, c.value) for c in year.tools] == [("IIT", 90.5)]
    assert not year.complete


def test_scanned_pdf_has_no_text():
    found = read_report("\f\n  \n\f", source="scan.pdf")
    assert [p.kind for p in found.problems] == ["no_text"]
    assert "OCR" in found.problems[0].message and not found.usable


def test_not_an_ita_report():
    text = "รายงานการประชุมสภา\nวาระที่ 1 เรื่องที่ประธานแจ้งให้ทราบ\nมีผู้มาประชุม 12 คน\n"
    found = read_report(text * 3, source="minutes.txt")
    assert not found.usable and any(p.kind == "not_ita" for p in found.problems)


def test_prose_naming_indicators_is_no_table():
    text = (
        "ประกอบด้วย 5 ตัวชี้วัด คือ ตัวชี้วัดการปฏิบัติหน้าที่ ตัวชี้วัดการใช้งบประมาณ "
        "(น้ำหนักร้อยละ 30) ปีงบประมาณ พ.ศ. 2565"
    )
    assert not read_report(text, source="t").usable


def test_mismatched_year_columns_are_reported_not_guessed():
    text = "ตัวชี้วัด\tปี 2564\tปี 2565\nการปฏิบัติหน้าที่\t86.95\t95.21\t77.0\t66.0\n"
    found = read_report(text, source="t")
    assert not found.usable
    assert any("4 figure(s) for 2 year column(s)" in p.message for p in found.problems)


def test_years_filter():
    found = read_report(_multi_year("\t"), source="t", years=[2564])
    assert list(found.years) == [2564]


def test_normalise_and_join():
    assert normalize("๐12 รายงาน ๑๐๐") == "o12 รายงาน 100"
    assert normalize("คะแนน ๐.๕๐") == "คะแนน 0.50"
    lines = split_lines("i7 ท่านรู้เกี่ยวกับแผน\n84.94\n")
    assert lines[0].flat == "i7 ท่านรู้เกี่ยวกับแผน 84.94" and lines[0].no == 1


@pytest.mark.parametrize(
    ("sentence", "total", "rating"),
    [
        ("ปีงบประมาณ พ.ศ. 2565 ได้คะแนนรวม 90.52 คะแนน อยู่ในระดับ A", 90.52, "A"),
        # how much the total moved is not the total
        ("ปีงบประมาณ พ.ศ. 2565 เมื่อเทียบกับปีก่อน คะแนนรวมเพิ่มขึ้น 5.25 คะแนน", None, None),
        ("ปีงบประมาณ พ.ศ. 2565 คะแนนรวมลดลง 3.10 คะแนน", None, None),
        # a band to reach is not the band got
        ("ปีงบประมาณ พ.ศ. 2565 เพื่อให้ถึงระดับ AA (95.00 คะแนน) ควรยกระดับ 3 ข้อ", None, None),
        ("ปีงบประมาณ พ.ศ. 2565 เป้าหมายระดับ AA", None, None),
    ],
)
def test_changes_and_targets_are_not_claims(sentence, total, rating):
    found = read_report(sentence, source="t").years.get(2565)
    assert (found.claimed_total if found else None) == total
    assert (found.rating if found else None) == rating


def test_our_own_analysis_pdf_has_no_slips(tmp_path):
    # The analysis PDF OpenITA writes must read back without a slip (it used to report the
    # year-on-year change as the total, and the uplift plan's target band as the rating).
    from openita.documents.kinds import analysis as analysis_doc
    from openita.documents.pdf import render_pdf
    from openita.engine import analyze
    from openita.importers import load_result
    from openita.importers.slips import check_file
    from tests.conftest import EXAMPLES

    result = load_result([EXAMPLES / "bansong-2565.csv"])
    history = [load_result([EXAMPLES / f"bansong-{y}.csv"]) for y in (2563, 2564)]
    analysis = analyze(result, history)
    doc = analysis_doc.build(analysis, agency="เทศบาลตำบลบ้านส้อง", with_charts=False)
    pdf = tmp_path / "analysis.pdf"
    pdf.write_bytes(render_pdf(doc))
    findings, slips = check_file(pdf)
    assert slips == []
    year = findings.years[2565]
    assert year.claimed_total in (None, 90.52) and year.rating in (None, "A")
