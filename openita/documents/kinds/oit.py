"""The OIT checklist as the agency submits it: item, title, link(s), in the documents' style."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from openita.documents.kinds.common import Fmt, bold, para, simple_table
from openita.documents.model import Block, Cell, Document, Heading, Run, Spacer, cell, runs
from openita.frameworks import Framework


def oit_checklist(
    *,
    agency: str,
    fiscal_year: int,
    framework: Framework,
    rows: Sequence[tuple[str, str, Sequence[str]]],
    today: dt.date,
    thai_digits: bool = False,
) -> Document:
    """``rows``: (code, title, URLs) in the framework's order."""
    fmt = Fmt(thai_digits)
    title = "รายการข้อมูลการเปิดเผยข้อมูลสาธารณะ (OIT)"
    status = " (หลักเกณฑ์ฉบับชั่วคราว)" if framework.status == "provisional" else ""
    blocks: list[Block] = [
        Heading(title, level=1, align="center"),
        Heading(f"{agency} ประจำปีงบประมาณ พ.ศ. {fmt.num(fiscal_year)}", level=2, align="center"),
        para(
            f"รายการข้อและลิงก์ของข้อมูลที่หน่วยงานเผยแพร่บนเว็บไซต์ ตามแบบตรวจการเปิดเผยข้อมูล"
            f"สาธารณะ (OIT) ของหลักเกณฑ์ {framework.id} รุ่น {fmt.num(framework.version)}{status}"
            f" ข้อมูล ณ วันที่ {fmt.date(today)}"
        ),
        Spacer(0.5),
    ]
    table_rows: list[tuple[Cell, ...]] = []
    for code, item_title, urls in rows:
        label = code.upper()
        links = tuple(runs(u) for u in urls)
        first = cell(urls[0]) if urls else cell(Run("ยังไม่มีลิงก์", italic=True))
        table_rows.append(
            (
                Cell(bold(fmt.num(label)), "center"),
                cell(item_title),
                Cell(first.content, lines=links[1:]) if urls else first,
            )
        )
    blocks.append(
        simple_table([("ข้อ", 9, "center"), ("หัวข้อ", 41, "left"), ("ลิงก์", 50, "left")], table_rows)
    )
    return Document(
        kind="oit",
        title=f"{title} {agency} ปีงบประมาณ {fiscal_year}",
        agency=agency,
        fiscal_year=fiscal_year,
        blocks=tuple(blocks),
        thai_digits=thai_digits,
        subject=f"OIT {framework.id} v{framework.version}",
    )
