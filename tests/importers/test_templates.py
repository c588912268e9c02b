"""Templates round-trip: written, filled as an officer would, read back and scored."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from openita import frameworks
from openita.importers import load_result, read_file
from openita.importers.templates import template_csv, write_template
from tests.conftest import EXAMPLES

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _seed_scores() -> dict[str, str]:
    rows = csv.reader((EXAMPLES / "bansong-2565.csv").read_text(encoding="utf-8").splitlines())
    return {r[0]: r[1] for r in rows if r and r[0][:1] in "ieo" and r[0][1:].isdigit()}


def _fill_csv(data: bytes, scores: dict[str, str]) -> str:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows[1:]:
        if row[0] == "fiscal_year":
            row[1] = "2565"
        elif row[0] in scores:
            row[1] = scores[row[0]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_template_rows():
    fw = frameworks.get("ita-2565")
    text = template_csv(fw).decode("utf-8-sig")
    assert text.startswith("code,score,ชื่อ/ประเด็น")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:4]] == ["fiscal_year", "framework", "i1"]
    assert len(rows) == 1 + 2 + 88 and all(r[1] == "" for r in rows[3:])
    ind = list(csv.reader(io.StringIO(template_csv(fw, "indicators").decode("utf-8-sig"))))
    assert [r[0] for r in ind[3:]] == [f"ind{n}" for n in range(1, 11)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp874", "utf-8"])
def test_csv_round_trip(tmp_path: Path, encoding: str):
    fw = frameworks.get("ita-2565")
    filled = _fill_csv(template_csv(fw), _seed_scores())
    path = tmp_path / "filled.csv"
    path.write_bytes(filled.encode(encoding))
    data = read_file(path)
    assert data.problems == [] and data.fiscal_year == 2565 and data.framework == "ita-2565"
    assert len(data.scores) == 88
    assert round(load_result([path]).total, 2) == 90.52


def test_xlsx_round_trip_with_title_row_and_thai_digits(tmp_path: Path):
    fw = frameworks.get("ita-2565")
    path = tmp_path / "t.xlsx"
    write_template(fw, path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet["A1"].font.bold and sheet["A1"].value == "code"
    assert sheet["C4"].fill.start_color.rgb.endswith("E7E6E6") and sheet["B4"].value is None
    sheet.insert_rows(1)
    sheet["A1"] = "แบบกรอกคะแนน ITA เทศบาลตำบลทดสอบ"
    sheet.merge_cells("A1:C1")
    scores = _seed_scores()
    for row in sheet.iter_rows(min_row=3):
        code = row[0].value
        if code == "fiscal_year":
            row[1].value = "๒๕๖๕"
        elif code in scores:
            row[1].value = (
                scores[code].translate(THAI) if code.startswith("e") else float(scores[code])
            )
    sheet.insert_rows(10)  # a blank row in the middle
    book.save(path)
    data = read_file(path)
    assert data.problems == [] and data.fiscal_year == 2565 and len(data.scores) == 88
    assert data.scores["e3"] == 68.93
    assert round(load_result([path]).total, 2) == 90.52


def test_template_refuses_other_extensions(tmp_path: Path):
    with pytest.raises(ValueError):
        write_template(frameworks.get("ita-2565"), tmp_path / "t.ods")
