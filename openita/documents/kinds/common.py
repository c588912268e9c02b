"""Shared pieces of the document builders: number and date formats, names, small tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openita.documents.model import (
    Block,
    Cell,
    Column,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Spacer,
    Table,
    Text,
    runs,
)
from openita.frameworks import Framework
from openita.text import thai

DIRECTION_FALLBACK = "ทบทวนสาเหตุที่ได้คะแนนต่ำและกำหนดวิธีปฏิบัติที่ชัดเจน พร้อมสื่อสารให้ผู้เกี่ยวข้องทราบ"


@dataclass(frozen=True)
class Fmt:
    """Every number and date a document prints goes through here (Arabic or Thai digits)."""

    thai_digits: bool = False

    @property
    def digits(self) -> str:
        return "thai" if self.thai_digits else "arabic"

    def score(self, value: float | None) -> str:
        return "-" if value is None else thai.format_score(value, digits=self.digits)

    def num(self, value: int | str) -> str:
        text = str(value)
        return thai.thai_digits(text) if self.thai_digits else text

    def date(self, value: dt.date, style: str = "full") -> str:
        return thai.format_date(value, style=style, digits=self.digits)

    def signed(self, value: float | None) -> str:
        if value is None:
            return "-"
        sign = "+" if value > 0 else ("-" if value < 0 else "")
        return sign + self.score(abs(value))


def indicator_label(framework: Framework, code: str, fmt: Fmt) -> str:
    number = [i.code for i in framework.indicators].index(code) + 1
    return f"{fmt.num(number)}. {framework.name_of(code)}"


def para(*parts: str | Run, indent: bool = True) -> Paragraph:
    return Paragraph(runs(*parts), indent=indent)


def simple_table(
    columns: Sequence[tuple[str, float, str]],
    rows: Sequence[Sequence[Cell]],
    caption: str | None = None,
    note: str | None = None,
) -> Table:
    total = sum(w for _, w, _ in columns)
    if abs(total - 100) > 0.01:
        raise ValueError(f"column widths sum to {total:g}, not 100: {[c[0] for c in columns]}")
    cols = tuple(Column(t, w, a) for t, w, a in columns)  # type: ignore[arg-type]
    return Table(cols, tuple(tuple(r) for r in rows), caption, note)


def bold(text: str) -> Text:
    return (Run(text, bold=True),)


def indicator_of(framework: Framework, code: str) -> str | None:
    """The indicator an item, sub-indicator or indicator code belongs to."""
    for ind in framework.indicators:
        if code == ind.code or any(s.code == code for s in ind.sub_indicators):
            return ind.code
        if any(i.code == code for i in ind.all_items):
            return ind.code
    return None


def item_range(codes: Sequence[str], fmt: Fmt) -> str:
    """``(o1 – o9)`` as the seeds print an indicator's items."""
    if not codes:
        return ""
    return f"({codes[0]} – {codes[-1]})" if len(codes) > 1 else f"({codes[0]})"


def named(framework: Framework, code: str) -> str:
    """How prose names a finding: an item by its question's words, else by its Thai name."""
    return framework.name_of(code)


def cover_page(
    lines: Sequence[str], agency: str, year_line: str, emblem_png: bytes | None
) -> list[Block]:
    """A cover page as agencies print one: the emblem, the title, the agency, the fiscal year."""
    blocks: list[Block] = [Spacer(4)]
    if emblem_png is not None:
        blocks.append(Figure(emblem_png, 3.0, "", "ตราสัญลักษณ์ของหน่วยงาน"))
        blocks.append(Spacer(2))
    else:
        blocks.append(Spacer(6))
    blocks += [Heading(text, 1, "center") for text in lines]
    blocks += [Spacer(2), Heading(agency, 1, "center"), Heading(year_line, 1, "center")]
    blocks.append(PageBreak())
    return blocks


def foreword_blocks(text: str, agency: str, fmt: Fmt, dated: str | None = None) -> list[Block]:
    """คำนำ: the paragraphs (blank lines part them), then the agency and the month, right."""
    blocks: list[Block] = [Heading("คำนำ", 2, "center")]
    blocks += [para(fmt.num(p) if fmt.thai_digits else p) for p in text.split("\n\n") if p.strip()]
    blocks.append(Paragraph(runs(agency), align="right", indent=False))
    if dated:
        blocks.append(Paragraph(runs(dated), align="right", indent=False))
    return blocks


def colophon(fw: Framework, fmt: Fmt) -> Paragraph:
    """A discreet note of the framework the figures follow (provisional when it is): every
    document with figures states it."""
    text = f"หลักเกณฑ์{fw.title.th} ({fw.id} ฉบับที่ {fmt.num(fw.version)})"
    if fw.status != "verified":
        text += " ข้อมูลหลักเกณฑ์บางส่วนเป็นข้อมูลชั่วคราว"
    return Paragraph(runs(text), align="left", indent=False, size="small")
