"""One document model, built once per document and rendered to HTML/PDF and to DOCX.

Builders (``openita/documents/kinds/``) turn engine results and plan files into a Document;
renderers (``html.py`` + ``pdf.py``, ``docx.py``) turn a Document into a file. Renderers never
compute or format figures: every text is final when it enters the model, so the formats
cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from openita.text.thai import keep_together

Align = Literal["left", "center", "right", "justify"]
Shade = Literal["good", "bad", "header", "group"]  # green top items, red weak items, ...


@dataclass(frozen=True)
class Run:
    """A piece of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


Text = tuple[Run, ...]


def runs(*parts: str | Run) -> Text:
    """Plain strings become plain runs: ``runs("คะแนน ", Run("90.52", bold=True))``."""
    return tuple(p if isinstance(p, Run) else Run(p) for p in parts)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = document title, 2 = section, 3 = sub-section
    align: Align = "left"

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", keep_together(self.text))


@dataclass(frozen=True)
class Paragraph:
    content: Text
    align: Align = "justify"
    indent: bool = True  # first-line indent, as Thai official text has
    size: Literal["normal", "small"] = "normal"
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        # Body text keeps พ.ศ. with its year, a date whole and a number with its unit on one
        # line (no-break spaces); tables keep plain spaces, their narrow cells need the breaks.
        kept = tuple(replace(r, text=keep_together(r.text)) for r in self.content)
        object.__setattr__(self, "content", kept)


@dataclass(frozen=True)
class BulletList:
    items: tuple[Text, ...]
    marker: str = "-"  # "-", "❖", or "1." for a numbered list
    keep_with_next: bool = False  # the last item stays on the page of what follows


@dataclass(frozen=True)
class Cell:
    content: Text
    align: Align = "left"
    shade: Shade | None = None
    colspan: int = 1
    lines: tuple[Text, ...] = ()  # extra paragraphs inside the cell (steps of a measure)


def cell(text: str | Run, align: Align = "left", **kwargs: object) -> Cell:
    return Cell(runs(text), align, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the text width, in percent; a table's widths sum to 100
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A table that may break across pages; its header row repeats on every page."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str | None = None
    note: str | None = None  # under the table, small


@dataclass(frozen=True)
class Figure:
    png: bytes
    width_cm: float
    caption: str
    alt: str  # for screen readers and the text layer


@dataclass(frozen=True)
class Signature:
    """(ลงชื่อ) ..... / (name) / position lines; placed right of centre as in Thai letters."""

    name: str
    positions: tuple[str, ...]
    label: str = "(ลงชื่อ)"


@dataclass(frozen=True)
class MemoHead:
    """The head of a บันทึกข้อความ: emblem, title and the fields on their dotted lines."""

    unit: str  # ส่วนราชการ
    reference: str  # ที่
    date: str  # วันที่, already in Thai
    subject: str  # เรื่อง
    to: str  # เรียน
    emblem_png: bytes | None = None  # the agency's Garuda image; its space is kept when absent

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", keep_together(self.subject))


@dataclass(frozen=True)
class Comment:
    """A comment block of a reviewer: ความเห็น ........ then a signature."""

    signature: Signature
    text: str = ""


@dataclass(frozen=True)
class Approval:
    """The executive's order: เห็นชอบ / ไม่เห็นชอบ เนื่องจาก ..., with the decision if taken."""

    title: str  # e.g. คำสั่งของนายกเทศมนตรีตำบล...
    signature: Signature
    decision: Literal["approved", "rejected"] | None = None
    reason: str = ""
    approve_label: str = "เห็นชอบและอนุมัติ"
    reject_label: str = "ไม่เห็นชอบ เนื่องจาก"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Spacer:
    lines: float = 1.0


Block = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | Figure
    | Signature
    | MemoHead
    | Comment
    | Approval
    | PageBreak
    | Spacer
)


@dataclass(frozen=True)
class Page:
    """A4, margins in cm. The memo uses the correspondence regulation's 3 cm left, 2 cm right."""

    top: float = 2.5
    bottom: float = 2.0
    left: float = 3.0
    right: float = 2.0
    landscape: bool = False


@dataclass(frozen=True)
class Document:
    kind: Literal["analysis", "plan", "progress", "memo", "oit", "survey"]
    title: str  # the document's own title, also the PDF/DOCX title
    agency: str
    fiscal_year: int
    blocks: tuple[Block, ...]
    page: Page = field(default_factory=Page)
    font_size: float = 16.0  # points; Thai official documents use 16
    line_spacing: float = 1.45  # Sarabun's marks need room; the memo is set tighter
    thai_digits: bool = False  # page numbers in Thai digits (text is already formatted)
    page_numbers: bool = True
    subject: str = ""  # PDF/DOCX subject metadata: e.g. the framework that produced the figures
    keywords: tuple[str, ...] = ()

    def text_blocks(self) -> list[str]:
        """Every text of the document in order: for tests and for the slip checker."""
        return list(_texts(self.blocks))


def _texts(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        out += _block_texts(block)
    return out


def _join(text: Text) -> str:
    return "".join(r.text for r in text)


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [_join(block.content)]
    if isinstance(block, BulletList):
        return [_join(i) for i in block.items]
    if isinstance(block, Table):
        out = [c.title for c in block.columns]
        for row in block.rows:
            for c in row:
                out += [_join(c.content), *(_join(t) for t in c.lines)]
        return out
    if isinstance(block, Figure):
        return [block.caption]
    if isinstance(block, Signature):
        return [block.name, *block.positions]
    if isinstance(block, MemoHead):
        return [block.unit, block.reference, block.date, block.subject, block.to]
    if isinstance(block, Comment):
        return [block.text, *_block_texts(block.signature)]
    if isinstance(block, Approval):
        return [
            block.title,
            block.approve_label,
            block.reject_label,
            block.reason,
            *_block_texts(block.signature),
        ]
    return []
