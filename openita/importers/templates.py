"""Score templates to fill in: one row per code of a framework, with its Thai label.

The template is a score file as ``read_file`` reads it (docs/input-formats.md): columns
``code``, ``score`` and ``ชื่อ/ประเด็น`` (ignored when read), a ``fiscal_year`` row and a
``framework`` row, then one row per item (or per indicator). CSV is written as UTF-8 with a
BOM so that Excel shows the Thai; XLSX has a bold header, a Thai font, grey code and label
cells and blank score cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openita.frameworks import Framework

Level = Literal["items", "indicators"]
HEADER = ("code", "score", "ชื่อ/ประเด็น")
FONT = "Sarabun"  # a free face of the official design; Laksaman is Debian's copy of it
GREY = "E7E6E6"


@dataclass(frozen=True)
class Row:
    code: str
    score: str
    label: str


def template_rows(
    fw: Framework, level: Level = "items", fiscal_year: int | None = None
) -> list[Row]:
    year = str(fiscal_year) if fiscal_year is not None else ""
    rows = [
        Row("fiscal_year", year, "ปีงบประมาณ (พ.ศ.) ของผลคะแนน เช่น 2565"),
        Row("framework", fw.id, fw.title.th),
    ]
    for tool in fw.tools:
        for ind in tool.indicators:
            if level == "indicators":
                rows.append(Row(ind.code, "", f"{tool.code} ตัวชี้วัด: {ind.name.th}"))
                continue
            for item in ind.all_items:
                rows.append(Row(item.code, "", f"{ind.name.th}: {item.text}"))
    return rows


def template_csv(fw: Framework, level: Level = "items", fiscal_year: int | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in template_rows(fw, level, fiscal_year):
        writer.writerow((row.code, row.score, row.label))
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(fw: Framework, level: Level = "items", fiscal_year: int | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "scores"
    sheet.append(list(HEADER))
    grey = PatternFill("solid", start_color=GREY, end_color=GREY)
    for cell in sheet[1]:
        cell.font = Font(name=FONT, bold=True, size=14)
    for row in template_rows(fw, level, fiscal_year):
        sheet.append([row.code, row.score or None, row.label])
        code_cell, score_cell, label_cell = sheet[sheet.max_row]
        for cell in (code_cell, label_cell):
            cell.fill = grey
            cell.font = Font(name=FONT, size=14, color="404040")
        score_cell.font = Font(name=FONT, size=14)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 90
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_template(
    fw: Framework, output: Path, level: Level = "items", fiscal_year: int | None = None
) -> None:
    """Write the template; the format follows the extension (.csv or .xlsx)."""
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        data = template_xlsx(fw, level, fiscal_year)
    elif suffix == ".csv":
        data = template_csv(fw, level, fiscal_year)
    else:
        raise ValueError(f"{output}: the template is .csv or .xlsx, not {suffix or 'no extension'}")
    output.write_bytes(data)
