"""Shared pieces of the document builders: number and date formats, names, small tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from openita.documents import thai
from openita.documents.model import Cell, Column, Paragraph, Run, Table, Text, runs
from openita.frameworks import Framework

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
