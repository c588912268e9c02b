"""The bulk file of many agencies' results: read in every encoding and layout, every kind of bad
row named with its line, column, value and reason, nothing passed that should not be."""

from __future__ import annotations

import pytest

from openita.importers import bulk
from openita.importers.scores import InputInvalid
from tests.importers.bulk_files import HEADER_TH, row, to_csv, to_xlsx

KNOWN = bulk.Directory(
    [
        bulk.KnownAgency(1, "เทศบาลตำบลหนึ่ง", "1500101", "เชียงใหม่", "สันทราย", "tambon"),
        bulk.KnownAgency(2, "องค์การบริหารส่วนตำบลสอง", "", "ลำพูน", "", "sao"),
        bulk.KnownAgency(3, "เทศบาลเมืองตัวอย่าง", "", "ตัวอย่าง", "", "town"),  # a test province
    ]
)


def good_rows() -> list[dict[str, str]]:
    return [
        row(1, "1500101", "เทศบาลตำบลหนึ่ง", "เชียงใหม่", "เทศบาลตำบล", 2568, 90),
        row(2, "", "องค์การบริหารส่วนตำบลสอง", "จ.ลำพูน", "อบต.", 2567, 80),
        row(3, "", "เทศบาลเมืองตัวอย่าง", "ตัวอย่าง", "ทม.", 2566, 70),
        row(4, "๑๕๐๐๑๐๑", "เทศบาลตำบลหนึ่ง", "Chiang Mai", "tambon", 2024, 88),  # 2567
    ]


def test_a_clean_file_in_every_encoding_and_as_a_workbook() -> None:
    text = to_csv(good_rows())
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("cp874"),
                 to_xlsx(good_rows())):  # fmt: skip
        report = bulk.check_bytes(data, "ผล.csv", KNOWN)
        assert report.ok, [str(b) for b in report.bad]
        assert [g.agency.id for g in report.good if isinstance(g.agency, bulk.KnownAgency)] == [
            1, 2, 3, 1
        ]  # fmt: skip
        assert [g.fiscal_year for g in report.good] == [2568, 2567, 2566, 2567]
        assert report.ignored_columns == ("ลำดับ",)
        first = report.good[0]
        assert first.scores["total"] == first.figures.total  # as published
        assert first.figures.figures["IIT"] == first.scores["IIT"]
        assert first.framework.id == "ita-2568"


def test_english_headers_and_items_are_read() -> None:
    header = ["agency_code", "province", "type", "fiscal_year", "total", "rating",
              "IIT", "EIT", "OIT", *(f"ind{n}" for n in range(1, 11))]  # fmt: skip
    cells = row(1, "1500101", "", "Chiang Mai", "tambon", 2568, 92)
    english = {"agency_code": cells["รหัสหน่วยงาน"], "province": cells["จังหวัด"],
               "type": cells["ประเภท"], "fiscal_year": cells["ปีงบประมาณ"],
               "total": cells["คะแนนรวม"], "rating": cells["ระดับ"]}  # fmt: skip
    english.update({k: v for k, v in cells.items() if k in header})
    report = bulk.check_bytes(to_csv([english], header).encode(), "en.csv", KNOWN)
    assert report.ok, [str(b) for b in report.bad]
    assert report.good[0].figures.band == cells["ระดับ"]


def bad_file() -> tuple[str, dict[int, tuple[str, str]]]:
    """A file with one bad row of every kind; line -> (reason, column) expected."""
    rows = good_rows()[:1]  # line 2 is good
    expect: dict[int, tuple[str, str]] = {}

    def add(cells: dict[str, str], reason: str, column: str) -> None:
        rows.append(cells)
        expect[len(rows) + 1] = (reason, column)

    add(row(0, "", "เทศบาลตำบลไม่มี", "เชียงใหม่", "ทต.", 2568, 90), "unknown_agency",
        "ชื่อหน่วยงาน")  # fmt: skip
    add(row(0, "9999999", "", "เชียงใหม่", "ทต.", 2568, 90), "unknown_code", "รหัสหน่วยงาน")
    add(row(0, "", "องค์การบริหารส่วนตำบลสอง", "เมืองไม่มีจริง", "อบต.", 2568, 90),
        "unknown_province", "จังหวัด")  # fmt: skip
    add(row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "สหกรณ์", 2568, 90), "unknown_kind",
        "ประเภท")  # fmt: skip
    add(row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "ทต.", 2568, 90), "kind_mismatch",
        "ประเภท")  # fmt: skip
    out_of_range = row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "", 2568, 90)
    out_of_range["ind3"] = "104.5"
    add(out_of_range, "out_of_range", "ind3")
    not_number = row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "", 2566, 90)
    not_number["EIT"] = "ดี"
    add(not_number, "not_a_number", "EIT")
    disagree = row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "", 2565, 90)
    disagree["คะแนนรวม"] = f"{float(disagree['คะแนนรวม']) + 0.5:.2f}"
    add(disagree, "disagrees", "คะแนนรวม")
    rating = row(0, "", "องค์การบริหารส่วนตำบลสอง", "ลำพูน", "", 2564, 90)
    rating["ระดับ"] = "C"
    add(rating, "rating_disagrees", "ระดับ")
    add(row(0, "1500101", "เทศบาลตำบลหนึ่ง", "เชียงใหม่", "", 2568, 91), "duplicate", "")
    no_framework = row(0, "1500101", "", "เชียงใหม่", "", 2568, 90)
    no_framework["ปีงบประมาณ"] = "2590"
    add(no_framework, "no_framework", "ปีงบประมาณ")
    bad_year = row(0, "1500101", "", "", "", 2568, 90)
    bad_year["ปีงบประมาณ"] = "ปีหน้า"
    add(bad_year, "bad_year", "ปีงบประมาณ")
    incomplete = row(0, "1500101", "", "", "", 2563, 90)
    incomplete["ind2"] = incomplete["IIT"] = incomplete["คะแนนรวม"] = ""
    add(incomplete, "not_scorable", "")
    add({"ปีงบประมาณ": "2568", "คะแนนรวม": "90"}, "no_agency", "")
    moved = row(0, "1500101", "", "ลำพูน", "", 2566, 90)
    add(moved, "province_mismatch", "จังหวัด")
    return to_csv(rows, [*HEADER_TH, "o99"]), expect


def test_every_bad_row_is_named_with_line_column_value_and_reason() -> None:
    text, expect = bad_file()
    report = bulk.check_bytes(text.encode("cp874"), "bad.csv", KNOWN)
    assert not report.ok
    assert [g.line for g in report.good] == [2]  # the good row is still checked as good
    found = {(b.line, b.reason, b.column) for b in report.bad}
    for line, (reason, column) in expect.items():
        assert (line, reason, column) in found, (line, reason, sorted(found))
    assert report.bad_lines == sorted(expect)
    first = next(b for b in report.bad if b.reason == "duplicate")
    assert first.message == "the same agency and year as line 2"
    ranged = next(b for b in report.bad if b.reason == "out_of_range")
    assert ranged.value == "104.5" and "104.5" in str(ranged) and "line" in str(ranged)
    disagrees = next(b for b in report.bad if b.reason == "disagrees")
    assert "more than rounding" in disagrees.message


def test_an_unknown_score_column_is_bad_only_where_it_has_a_value() -> None:
    cells = good_rows()[0]
    with_value = dict(row(2, "1500101", "", "", "", 2566, 90), o99="100")
    report = bulk.check_bytes(
        to_csv([cells, with_value], [*HEADER_TH, "o99"]).encode(), "x.csv", KNOWN
    )
    assert [(b.line, b.reason, b.column) for b in report.bad] == [(3, "unknown_score_code", "o99")]


def test_rounding_is_not_a_disagreement() -> None:
    cells = good_rows()[0]
    cells["คะแนนรวม"] = f"{float(cells['คะแนนรวม']) + 0.01:.2f}"
    assert bulk.check_bytes(to_csv([cells]).encode(), "x.csv", KNOWN).ok


def test_agencies_are_created_only_when_asked_and_only_with_what_they_need() -> None:
    rows = [
        row(1, "5001", "อบต.ใหม่", "จังหวัดเชียงราย", "อบต.", 2568, 90, district="แม่สาย"),
        row(2, "5001", "อบต.ใหม่", "เชียงราย", "อบต.", 2567, 85),  # the same new agency
        row(3, "", "เทศบาลใหม่", "เชียงราย", "", 2568, 85),  # no type
    ]
    data = to_csv(rows).encode()
    refused = bulk.check_bytes(data, "x.csv", KNOWN)
    assert {b.reason for b in refused.bad} == {"unknown_code", "unknown_agency"}
    asked = bulk.check_bytes(data, "x.csv", KNOWN, bulk.Rules(create_agencies=True))
    assert [(b.line, b.reason) for b in asked.bad] == [(4, "cannot_create")]
    assert "a type" in asked.bad[0].message
    assert [(a.name, a.code, a.province, a.district, a.kind) for a in asked.to_create] == [
        ("อบต.ใหม่", "5001", "เชียงราย", "แม่สาย", "sao")
    ]
    assert asked.good[0].agency is asked.good[1].agency


def test_provinces_limit_what_may_be_imported() -> None:
    data = to_csv(good_rows()[:2]).encode()
    rules = bulk.Rules(provinces=frozenset({"ลำพูน"}))
    report = bulk.check_bytes(data, "x.csv", KNOWN, rules)
    assert [(b.line, b.reason) for b in report.bad] == [(2, "not_allowed")]
    assert [g.line for g in report.good] == [3]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        ("ชื่อ,คะแนน\nก,1\n".encode(), "no header row"),
        (b"PK\x03\x04 not really a zip", "not"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_an_unreadable_file_says_why(data: bytes, says: str) -> None:
    with pytest.raises(InputInvalid) as caught:
        bulk.read_table(data, "x.csv")
    assert says in str(caught.value)


def test_kinds_are_read_as_people_write_them() -> None:
    assert bulk.kind_of("อบต.") == "sao"
    assert bulk.kind_of("เทศบาลนคร") == "city"
    assert bulk.kind_of(" TAMBON ") == "tambon"
    assert bulk.kind_of("สหกรณ์") is None


def test_rows_of_items_only_go_through_the_batch_scorer_with_the_same_figures() -> None:
    from openita import engine, frameworks
    from openita.engine import batch

    fw = frameworks.get("ita-2568")
    codes = batch.item_codes(fw)
    oit = {i.code for i in fw.tool("OIT").items}  # type: ignore[union-attr]
    header = ["ชื่อหน่วยงาน", "จังหวัด", "ประเภท", "ปีงบประมาณ", "ระดับ", *codes]
    rows = []
    for n in range(8):
        items = {c: (100.0 if (k + n) % 3 else 0.0) if c in oit else 60.0 + (k * 7 + n) % 40
                 for k, c in enumerate(codes)}  # fmt: skip
        band = engine.official(engine.score(fw, items)).band.code
        cells = {"ชื่อหน่วยงาน": f"อบต.ทดสอบ {n}", "จังหวัด": "น่าน", "ประเภท": "อบต.",
                 "ปีงบประมาณ": "2568", "ระดับ": band}  # fmt: skip
        cells.update({c: f"{v:g}" for c, v in items.items()})
        rows.append(cells)
    rows[3]["ระดับ"] = "F" if rows[3]["ระดับ"] != "F" else "AA"
    rows[5]["o1"] = "50"  # an all-or-nothing OIT item given 50: the engine says why
    rules = bulk.Rules(create_agencies=True)
    report = bulk.check_bytes(to_csv(rows, header).encode(), "items.csv", bulk.Directory([]), rules)
    assert [g.line for g in report.good] == [2, 3, 4, 6, 8, 9]
    for g in report.good:
        assert g.figures == batch.figures_of(engine.score(fw, g.scores))
    assert [(b.line, b.reason, b.column) for b in report.bad] == [
        (5, "rating_disagrees", "ระดับ"), (7, "not_scorable", "o1")
    ]  # fmt: skip
    assert "0 or 100" in report.bad[1].message


def test_an_agency_to_create_must_fit_what_is_stored() -> None:
    long = row(1, "9" * 21, "ก" * 201, "น่าน", "อบต.", 2568, 90, district="อ" * 101)
    report = bulk.check_bytes(to_csv([long]).encode(), "x.csv", KNOWN, bulk.Rules(True))
    assert sorted((b.reason, b.column) for b in report.bad) == [
        ("too_long", "ชื่อหน่วยงาน"), ("too_long", "รหัสหน่วยงาน"), ("too_long", "อำเภอ")
    ]  # fmt: skip
    assert not report.to_create
