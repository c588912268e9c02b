"""Bulk files for the tests: consistent rows built with the engine, then spoilt one way each."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openita import engine, frameworks
from openita.engine.rounding import published

INDICATORS = [f"ind{n}" for n in range(1, 11)]
HEADER_TH = ["ลำดับ", "รหัสหน่วยงาน", "ชื่อหน่วยงาน", "จังหวัด", "อำเภอ", "ประเภท", "ปีงบประมาณ",
             "คะแนนรวม", "ระดับ", "IIT", "EIT", "OIT", *INDICATORS]  # fmt: skip


def figures(year: int, base: float) -> dict[str, str]:
    """Indicators around ``base`` and the tools, total and band they give, as published."""
    fw = frameworks.for_year(year + 543 if year < 2400 else year)
    assert fw is not None
    given = {code: round(min(100.0, base + (n % 4) * 1.5), 2) for n, code in enumerate(INDICATORS)}
    result = engine.official(engine.score(fw, given))
    cells = {code: f"{value:.2f}" for code, value in given.items()}
    for tool in ("IIT", "EIT", "OIT"):
        cells[tool] = f"{published(result.scores[tool]):.2f}"
    cells["คะแนนรวม"] = f"{published(result.total):.2f}"
    cells["ระดับ"] = result.band.code
    return cells


def row(
    n: int,
    code: str,
    name: str,
    province: str,
    kind: str,
    year: int,
    base: float,
    district: str = "",
) -> dict[str, str]:
    cells = {"ลำดับ": str(n), "รหัสหน่วยงาน": code, "ชื่อหน่วยงาน": name, "จังหวัด": province,
             "อำเภอ": district, "ประเภท": kind, "ปีงบประมาณ": str(year)}  # fmt: skip
    cells.update(figures(year, base))
    return cells


def to_csv(rows: Sequence[dict[str, str]], header: Sequence[str] = HEADER_TH) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def to_xlsx(rows: Sequence[dict[str, str]], header: Sequence[str] = HEADER_TH) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ผลการประเมิน ITA รายหน่วยงาน"])  # a title row above the header
    sheet.append(list(header))
    for r in rows:
        sheet.append([_cell(r.get(h, "")) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(text: str) -> object:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text
