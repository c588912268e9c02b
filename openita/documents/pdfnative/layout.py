"""Blocks -> boxes -> pages: the look of ``html.py``'s stylesheet, set directly.

Every block becomes a list of boxes (a line of text, a table row, a figure, a signature...);
a box is never split across pages and carries a display list relative to its top. The
paginator puts boxes one under the other, collapses vertical margins as CSS does, keeps
headings, captions and ``keep_with_next`` paragraphs with what follows, keeps two lines of a
paragraph together at the foot and head of a page (orphans and widows), and repeats a table's
header row on each new page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from openita.documents import model as m
from openita.documents.pdfnative.fonts import FACE_NAMES, FaceName, face
from openita.documents.pdfnative.text import Item, Line, break_lines, items_of, widest_word
from openita.documents.pdfnative.writer import Image, Node, OutlineEntry, PageOut, png_image
from openita.text.thai import thai_digits

CM = 72 / 2.54
A4 = (595.2756, 841.8898)
BLACK = (0.0, 0.0, 0.0)
SHADES: dict[str, tuple[float, float, float]] = {
    "good": (0xE2 / 255, 0xEF / 255, 0xDA / 255),
    "bad": (0xF8 / 255, 0xCB / 255, 0xAD / 255),
    "header": (0xD9 / 255, 0xD9 / 255, 0xD9 / 255),
    "group": (0xDD / 255, 0xEB / 255, 0xF7 / 255),
}
BORDER = 0.6
_CELL_PAD = 1.0 + BORDER / 2  # above and below a cell's text
INDENT = 1.25 * CM
# The correspondence regulation's บันทึกข้อความ: the title bold 29 pt, the labels of the head
# bold 20 pt, paragraphs indented 2.5 cm, page numbers from page 2 centred at the top (- ๒ -).
MEMO_TITLE_PT = 29.0
MEMO_LABEL_PT = 20.0
MEMO_INDENT = 2.5 * CM


def _f(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass
class TextOp:
    x: float
    baseline: float  # from the box top
    line: Line


@dataclass
class RectOp:
    x: float
    y: float
    w: float
    h: float
    fill: tuple[float, float, float] | None = None
    stroke: float = 0.0  # line width; 0 = none
    dash: bool = False


@dataclass
class LineOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    dotted: bool = False


@dataclass
class ImageOp:
    image: Image
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class MarkOp:
    """The start (``begin``) or the end of the marked content of the box's next structure
    element (``Box.nodes``, in order): a box with several elements (a table row's cells, a
    figure and its caption) marks each; a box without marks is one element's content."""

    begin: bool


Op = TextOp | RectOp | LineOp | ImageOp | MarkOp
MARK = "\x01"  # in drawn content: where the next element's marked content begins


@dataclass
class Box:
    height: float
    ops: list[Op] = field(default_factory=list)
    margin_top: float = 0.0
    margin_bottom: float = 0.0
    keep_next: bool = False  # stay on the page of the box that follows
    repeat: Box | None = None  # drawn first when this box starts a new page (table header)
    heading: tuple[str, int] | None = None  # an outline entry
    page_break: bool = False  # a forced break before this box
    local: str | None = None  # its operators drawn in its own space, when made once for all
    glyphs: list[dict[FaceName, set[int]]] = field(default_factory=list)  # with ``local``
    row: RowParts | None = None  # a table row that may be split between two lines
    nodes: tuple[Node, ...] = ()  # the structure elements its content belongs to, in order
    part: int = 0  # which part of its block (a list's item)


Laid = list[tuple[m.Cell, float, float, list[Op], float, list[float]]]


@dataclass(frozen=True)
class RowParts:
    """What a table row is made of, to split it at the foot of a page."""

    laid: Laid
    shade_all: str | None
    cuts: tuple[float, ...]  # the bottoms of its cells' lines, from the row's top
    line_height: float


_LINES: dict[tuple[m.Text, float, float, bool, float], list[Line]] = {}
_ROWS: dict[tuple[object, ...], list[Box]] = {}
_WIDEST: dict[tuple[m.Text, bool], float] = {}
SHRINK_STEPS = 4  # a table's text may be set up to 2 pt smaller, by half points


def _ascent_descent(size: float) -> tuple[float, float]:
    f = face("Regular")
    return f.ascent * size / f.upem, f.descent * size / f.upem


class Layout:
    def __init__(self, doc: m.Document) -> None:
        self.doc = doc
        p = doc.page
        self.width, self.height = (A4[1], A4[0]) if p.landscape else A4
        self.left = p.left * CM
        self.right = self.width - p.right * CM
        self.top = p.top * CM
        self.bottom = self.height - p.bottom * CM
        self.text_width = self.right - self.left
        self.size = doc.font_size
        self.small = doc.font_size - 2
        self.memo = doc.kind == "memo"
        self.indent = MEMO_INDENT if self.memo else INDENT
        self.pages: list[PageOut] = []
        self.used: dict[FaceName, set[int]] = {n: set() for n in FACE_NAMES}
        self.images: list[Image] = []
        self._image_index: dict[int, int] = {}
        self.outline: list[OutlineEntry] = []
        self.structure = Node("Document")  # the tagged PDF's structure tree
        self._glyph_sets: dict[int, dict[FaceName, set[int]]] = {}
        # the items of a table's texts, made while measuring its columns, for its lines
        self._items: dict[tuple[m.Text, float, bool], tuple[Item, ...]] = {}

    # text

    def lines(
        self,
        text: m.Text,
        size: float,
        width: float,
        *,
        bold: bool = False,
        indent: float = 0.0,
    ) -> list[Line]:
        key = (text, size, round(width, 2), bold, round(indent, 2))
        found = _LINES.get(key)
        if found is None:
            items = self._items.get((text, size, bold)) or items_of(text, size, bold)
            found = _LINES[key] = break_lines(items, width, indent)
            if len(_LINES) > 50_000:
                _LINES.clear()
        return found

    def text_box_ops(
        self,
        lines: list[Line],
        x: float,
        width: float,
        line_height: float,
        size: float,
        align: m.Align = "left",
        top: float = 0.0,
    ) -> list[Op]:
        ascent, descent = _ascent_descent(size)
        baseline = top + (line_height - ascent - descent) / 2 + ascent
        ops: list[Op] = []
        for k, line in enumerate(lines):
            dx = 0.0
            if align == "center":
                dx = (width - line.width) / 2
            elif align == "right":
                dx = width - line.width
            ops.append(TextOp(x + dx, baseline + k * line_height, line))
        return ops

    def paragraph_boxes(
        self,
        text: m.Text,
        *,
        size: float,
        line_height: float,
        x: float | None = None,
        width: float | None = None,
        align: m.Align = "left",
        indent: float = 0.0,
        bold: bool = False,
        margin_top: float = 0.0,
        margin_bottom: float = 0.0,
    ) -> list[Box]:
        x = self.left if x is None else x
        width = self.text_width if width is None else width
        lines = self.lines(text, size, width, bold=bold, indent=indent)
        boxes = [
            Box(line_height, self.text_box_ops([ln], x, width, line_height, size, align))
            for ln in lines
        ]
        boxes[0].margin_top = margin_top
        boxes[-1].margin_bottom = margin_bottom
        n = len(boxes)
        if n >= 2:  # orphans and widows: two lines at least either side of a page break
            boxes[0].keep_next = True
            boxes[-2].keep_next = True
        return boxes

    # blocks

    def heading(self, b: m.Heading) -> list[Box]:
        size = self.size + {1: 4, 2: 1}.get(b.level, 0)
        boxes = self.paragraph_boxes(
            m.runs(b.text),
            size=size,
            line_height=size * 1.3,
            align=b.align,
            bold=True,
            margin_top=0.4 * size,
            margin_bottom=0.3 * size,
        )
        for box in boxes:
            box.keep_next = True
        boxes[0].heading = (b.text, b.level)
        return boxes

    def paragraph(self, b: m.Paragraph) -> list[Box]:
        size = self.small if b.size == "small" else self.size
        boxes = self.paragraph_boxes(
            b.content,
            size=size,
            line_height=size * self.doc.line_spacing,
            align="left" if b.align == "justify" else b.align,
            indent=self.indent if b.indent else 0.0,
            margin_bottom=0.35 * size,
        )
        if b.keep_with_next:
            boxes[-1].keep_next = True
        return boxes

    def bullets(self, b: m.BulletList) -> list[Box]:
        size = self.size
        lh = size * self.doc.line_spacing
        boxes: list[Box] = []
        for n, item in enumerate(b.items, 1):
            marker = f"{n}." if b.marker == "1." else b.marker
            mark = self.lines(m.runs(marker), size, self.text_width)[0]
            x = self.left + INDENT + mark.width + 0.4 * size
            width = self.right - x
            lines = self.lines(item, size, width)
            for k, line in enumerate(lines):
                ops = []
                if k == 0:
                    ops += self.text_box_ops([mark], self.left + INDENT, mark.width, lh, size)
                ops += self.text_box_ops([line], x, width, lh, size)
                boxes.append(Box(lh, ops, part=n))
            if len(lines) >= 2:
                boxes[-len(lines)].keep_next = True
                boxes[-2].keep_next = True
        if boxes:
            boxes[-1].margin_bottom = 0.35 * size
            boxes[-1].keep_next = b.keep_with_next
        return boxes

    def _cell(
        self, c: m.Cell, x: float, width: float, size: float, lh: float, bold: bool = False
    ) -> tuple[list[Op], float, list[float]]:
        """A cell's text ops (relative to the row top), its content height and the bottom of
        each of its lines (where a too-tall row may be cut)."""
        inner = width - 6.0 - BORDER
        tx = x + 3.0 + BORDER / 2
        ops: list[Op] = []
        y = 1.0 + BORDER / 2
        cuts: list[float] = []
        align: m.Align = "left" if c.align == "justify" else c.align
        for k, text in enumerate((c.content, *c.lines)):
            if k:
                y += 0.15 * size
            lines = self.lines(text, size, inner, bold=bold)
            ops += self.text_box_ops(lines, tx, inner, lh, size, align, top=y)
            for _ in lines:
                y += lh
                cuts.append(y)
        return ops, y + 1.0 + BORDER / 2, cuts

    def _row(
        self,
        cells: list[tuple[m.Cell, float, float]],
        size: float,
        lh: float,
        *,
        bold: bool = False,
        shade_all: str | None = None,
    ) -> list[Box]:
        """A table row's boxes, fresh copies of boxes drawn once per process."""
        key = (
            tuple((c, round(x, 2), round(w, 2)) for c, x, w in cells),
            size,
            lh,
            bold,
            shade_all,
            round(self.bottom - self.top, 2),
        )
        found = _ROWS.get(key)
        if found is None:
            found = _ROWS[key] = [
                _freeze(b) for b in self._make_row(cells, size, lh, bold, shade_all)
            ]
            if len(_ROWS) > 20_000:
                _ROWS.clear()
        return [replace(b) for b in found]

    def _make_row(
        self,
        cells: list[tuple[m.Cell, float, float]],
        size: float,
        lh: float,
        bold: bool,
        shade_all: str | None,
    ) -> list[Box]:
        laid = [(c, x, w, *self._cell(c, x, w, size, lh, bold)) for c, x, w in cells]
        height = max(h for *_, h, _ in laid)
        # one box; the paginator splits it between lines where it does not fit (a row taller
        # than a page, or one at the foot of a page)
        box = self._row_box(laid, 0.0, height, height, shade_all)
        box.row = RowParts(laid, shade_all, _row_cuts(laid), lh)
        return [box]

    def split_row(self, box: Box, room: float) -> tuple[Box, Box] | None:
        """A row that does not fit the rest of a page, cut after the lowest line that fits
        ``room``: each cell keeps the lines above the cut and its other lines start the
        rest of the row on the next page, two lines at least on each side (as a browser
        splits a row); None when no cut fits."""
        parts = box.row
        if parts is None:
            return None
        fits = [
            y
            for y in parts.cuts
            if y - 2 * parts.line_height + 0.01 >= _CELL_PAD
            and y + _CELL_PAD <= room
            and box.height - y >= 2 * parts.line_height
        ]
        if not fits:
            return None
        cut = max(fits)
        first_laid: Laid = []
        rest_laid: Laid = []
        for cell, x, w, ops, _, cuts in parts.laid:
            lines = [op for op in ops if isinstance(op, TextOp)]
            keep = [(op, y) for op, y in zip(lines, cuts, strict=True) if y <= cut + 0.01]
            move = [(op, y) for op, y in zip(lines, cuts, strict=True) if y > cut + 0.01]
            first_laid.append(
                (cell, x, w, [op for op, _ in keep], cut + _CELL_PAD, [y for _, y in keep])
            )
            shift = move[0][1] - parts.line_height - _CELL_PAD if move else 0.0
            rest_laid.append(
                (
                    cell,
                    x,
                    w,
                    [TextOp(op.x, op.baseline - shift, op.line) for op, _ in move],
                    (move[-1][1] - shift + _CELL_PAD) if move else 0.0,
                    [y - shift for _, y in move],
                )
            )
        height = max(h for *_, h, _ in rest_laid)
        first = self._row_box(first_laid, 0.0, cut + _CELL_PAD, cut + _CELL_PAD, parts.shade_all)
        rest = self._row_box(rest_laid, 0.0, height, height, parts.shade_all)
        first.repeat = rest.repeat = box.repeat
        rest.margin_bottom = box.margin_bottom
        rest.keep_next = box.keep_next  # the rest keeps what the row kept with it
        first.nodes = rest.nodes = box.nodes  # the same cells, on two pages
        rest.row = RowParts(rest_laid, parts.shade_all, _row_cuts(rest_laid), parts.line_height)
        return first, rest

    def _row_box(
        self,
        laid: Laid,
        start: float,
        end: float,
        height: float,
        shade_all: str | None,
    ) -> Box:
        ops: list[Op] = []
        for c, x, w, _, _, _ in laid:
            shade = shade_all or c.shade
            if shade:
                ops.append(RectOp(x, 0.0, w, height, fill=SHADES[shade]))
        for _, _, _, cell_ops, _, _ in laid:
            ops.append(MarkOp(True))  # each cell is an element of its own (TH, TD)
            for op in cell_ops:
                if isinstance(op, TextOp) and start - 0.01 <= op.baseline - 1 < end:
                    ops.append(TextOp(op.x, op.baseline - start, op.line))
            ops.append(MarkOp(False))
        for _, x, w, _, _, _ in laid:
            ops.append(RectOp(x, 0.0, w, height, stroke=BORDER))
        return Box(height, ops)

    def widest(self, text: m.Text, size: float, bold: bool) -> float:
        """The widest unbreakable piece of ``text``, per point of size (cached for the
        process; widths are proportional to the size) times ``size``. The text's items are
        kept for ``lines`` while the table is laid out, so they are made once."""
        key = (text, bold)
        found = _WIDEST.get(key)
        if found is None:
            items = items_of(text, size, bold)
            self._items[(text, size, bold)] = items
            found = _WIDEST[key] = widest_word(items) / size
            if len(_WIDEST) > 50_000:
                _WIDEST.clear()
        return found * size

    def columns(self, b: m.Table, spare: float = 0.0) -> tuple[float, list[float]]:
        """The table's text size and column widths: the shares the model gives, unless a
        word is wider than its column; then the columns with room to spare give it some, and
        if that is not enough the table's text is set smaller, by half points (at most 2 pt).
        Only what still does not fit is cut, between syllables (``text._split_word``).
        ``spare`` is room to add to each column's need (the DOCX's, for other layouts)."""
        n = len(b.columns)
        base = [self.text_width * c.width / 100 for c in b.columns]
        pad = 6.0 + BORDER + spare
        cap = 0.45 * self.text_width  # a long URL or number is cut rather than widen its column
        need = [0.0] * n
        size = self.small
        for step in range(SHRINK_STEPS + 1):
            size = self.small - 0.5 * step
            need = [self.widest(m.runs(col.title), size, True) for col in b.columns]
            for row in b.rows:
                bold = any(c.shade == "header" for c in row)
                k = 0
                for c in row:
                    span = max(1, c.colspan)
                    if span == 1 and k < n:
                        for text in (c.content, *c.lines):
                            need[k] = max(need[k], self.widest(text, size, bold))
                    k += span
            need = [min(cap, w + pad) for w in need]
            widths = _share(base, need, strict=True)
            if widths is not None:
                return size, widths
        return size, _share(base, need, strict=False) or base

    def table(self, b: m.Table) -> list[Box]:
        size, widths = self.columns(b)
        lh = size * 1.35
        boxes: list[Box] = []
        if b.caption:
            caption = self.paragraph_boxes(
                m.runs(b.caption),
                size=self.size,
                line_height=self.size * self.doc.line_spacing,
                align="center",
                bold=True,
                margin_top=0.4 * self.size,
                margin_bottom=0.2 * self.size,
            )
            for box in caption:
                box.keep_next = True
            boxes += caption
        xs = [self.left]
        for width in widths:
            xs.append(xs[-1] + width)
        head_cells = [
            (m.Cell(m.runs(col.title), "center"), xs[k], xs[k + 1] - xs[k])
            for k, col in enumerate(b.columns)
        ]
        header = self._row(head_cells, size, lh, bold=True, shade_all="header")[0]
        header.margin_top = 0.2 * size
        header.keep_next = True
        boxes.append(header)
        for row in b.rows:
            cells = []
            k = 0
            for c in row:
                span = max(1, c.colspan)
                end = min(k + span, len(b.columns))
                cells.append((c, xs[k], xs[end] - xs[k]))
                k = end
            bold = any(c.shade == "header" for c in row)
            # a row across the whole table (a group's title) stays with the row under it,
            # unless it carries two lines of its own text under the title (a heading with
            # its paragraph: it may end a page, the table then starts where it fits)
            spanning = len(row) == 1 and row[0].colspan >= len(b.columns) > 1
            keep = spanning and self._own_lines(row[0], cells[0][2], size, bold) < 2
            for box in self._row(cells, size, lh, bold=bold):
                box.repeat = header
                box.keep_next = keep
                boxes.append(box)
        boxes[-1].margin_bottom = 0.5 * size
        self._items.clear()
        if b.note:
            note = self.paragraph_boxes(
                m.runs(b.note),
                size=self.small,
                line_height=self.small * self.doc.line_spacing,
                margin_bottom=0.35 * self.small,
            )
            note[0].margin_top = -0.2 * self.small  # collapses with the table's margin
            boxes += note
        return boxes

    def _own_lines(self, c: m.Cell, width: float, size: float, bold: bool) -> int:
        """How many lines a cell's text under its first paragraph takes."""
        inner = width - 6.0 - BORDER  # as in ``_cell``
        return sum(len(self.lines(text, size, inner, bold=bold)) for text in c.lines)

    def image(self, png: bytes) -> tuple[int, Image]:
        img = png_image(png)
        if id(img) not in self._image_index:
            self._image_index[id(img)] = len(self.images)
            self.images.append(img)
        return self._image_index[id(img)], img

    def figure(self, b: m.Figure) -> list[Box]:
        _, img = self.image(b.png)
        w = min(b.width_cm * CM, self.text_width)
        h = w * img.height / img.width
        ops: list[Op] = [
            MarkOp(True),  # the figure, then its caption
            ImageOp(img, self.left + (self.text_width - w) / 2, 0.0, w, h),
            MarkOp(False),
            MarkOp(True),
        ]
        size = self.small
        lh = size * self.doc.line_spacing
        lines = self.lines(m.runs(b.caption), size, self.text_width)
        ops += self.text_box_ops(lines, self.left, self.text_width, lh, size, "center", top=h)
        ops.append(MarkOp(False))
        margin = 0.4 * self.size
        return [Box(h + lh * len(lines), ops, margin_top=margin, margin_bottom=margin)]

    def signature_ops(self, b: m.Signature, top: float) -> tuple[list[Op], float]:
        x = self.left + 0.45 * self.text_width
        width = self.right - x
        size = self.size
        lh = size * self.doc.line_spacing
        texts = [
            f"{b.label} ........................................",
            f"({b.name})",
            *b.positions,
        ]
        ops: list[Op] = []
        y = top
        for t in texts:
            lines = self.lines(m.runs(t), size, width)
            ops += self.text_box_ops(lines, x, width, lh, size, "center", top=y)
            y += lh * len(lines)
        return ops, y - top

    def signature(self, b: m.Signature) -> list[Box]:
        ops, h = self.signature_ops(b, 0.0)
        return [Box(h, ops, margin_top=1.2 * self.size, margin_bottom=0.6 * self.size)]

    def memo_head(self, b: m.MemoHead) -> list[Box]:
        size = self.size
        lh = size * self.doc.line_spacing
        ops: list[Op] = []
        title_h = 1.5 * CM
        if b.emblem_png:  # 1.5 cm high, as wide as its own proportions make it
            _, img = self.image(b.emblem_png)
            ops.append(MarkOp(True))  # the emblem (a figure), then the head's text
            ops.append(ImageOp(img, self.left, 0.0, title_h * img.width / img.height, title_h))
            ops.append(MarkOp(False))
            ops.append(MarkOp(True))
        title = self.lines(m.runs(m.Run("บันทึกข้อความ", bold=True)), MEMO_TITLE_PT, self.text_width)
        ops += self.text_box_ops(
            title, self.left, self.text_width, title_h, MEMO_TITLE_PT, "center"
        )
        y = title_h + 0.3 * size
        label_size = MEMO_LABEL_PT
        field_lh = max(lh, label_size * self.doc.line_spacing)

        def field(
            label: str,
            value: str,
            x: float,
            width: float,
            top: float,
            rule: bool = True,
            at: float = label_size,
        ) -> float:
            # the label at its own size, the value after it on the same baseline
            head = self.lines(m.runs(m.Run(label, bold=True)), at, width)[0]
            gap = 0.3 * size
            lines = self.lines(m.runs(value), size, width, indent=head.width + gap)
            label_ops = self.text_box_ops([head], x, width, field_lh, size, top=top)
            ops.extend(label_ops)
            ops.extend(self.text_box_ops(lines[:1], x, width, field_lh, size, top=top))
            ops.extend(self.text_box_ops(lines[1:], x, width, lh, size, top=top + field_lh))
            bottom = top + field_lh + lh * (len(lines) - 1)
            if rule:
                ops.append(LineOp(x, bottom, x + width, bottom, BORDER, dotted=True))
            return bottom + BORDER

        gap = 0.15 * size
        y = field("ส่วนราชการ", b.unit, self.left, self.text_width, y) + gap
        half = (self.text_width - size) / 2
        y1 = field("ที่", b.reference, self.left, half, y + gap, rule=False)
        y2 = field("วันที่", b.date, self.left + half + size, half, y + gap, rule=False)
        bottom = max(y1, y2)
        ops.append(LineOp(self.left, bottom, self.right, bottom, BORDER, dotted=True))
        y = bottom + BORDER + gap
        y = field("เรื่อง", b.subject, self.left, self.text_width, y + gap) + gap
        y = field("เรียน", b.to, self.left, self.text_width, y + 0.5 * size, rule=False, at=size)
        if b.emblem_png:
            ops.append(MarkOp(False))
        return [Box(y, ops, margin_bottom=gap)]

    def comment(self, b: m.Comment) -> list[Box]:
        size = self.size
        lh = size * self.doc.line_spacing
        text = (m.Run("ความเห็น", bold=True), m.Run(" " + (b.text or "." * 80)))
        lines = self.lines(text, size, self.text_width)
        ops = self.text_box_ops(lines, self.left, self.text_width, lh, size)
        y = lh * len(lines) + 1.2 * size
        sig, h = self.signature_ops(b.signature, y)
        return [Box(y + h, ops + sig, margin_top=0.8 * size, margin_bottom=0.6 * size)]

    def approval(self, b: m.Approval) -> list[Box]:
        size = self.size
        lh = size * self.doc.line_spacing
        ops: list[Op] = []
        y = 0.0

        def put(text: m.Text, x: float) -> None:
            nonlocal y
            lines = self.lines(text, size, self.right - x)
            ops.extend(self.text_box_ops(lines, x, self.right - x, lh, size, top=y))
            y += lh * len(lines)

        put((m.Run(b.title, bold=True),), self.left)
        yes = "☑" if b.decision == "approved" else "☐"
        no = "☑" if b.decision == "rejected" else "☐"
        put(m.runs(f"{yes} {b.approve_label}"), self.left + INDENT)
        put(m.runs(f"{no} {b.reject_label} {b.reason or '.' * 50}"), self.left + INDENT)
        y += 1.2 * size
        sig, h = self.signature_ops(b.signature, y)
        return [Box(y + h, ops + sig, margin_top=0.8 * size, margin_bottom=0.6 * size)]

    def boxes(self, b: m.Block) -> list[Box]:
        if isinstance(b, m.Heading):
            return self.heading(b)
        if isinstance(b, m.Paragraph):
            return self.paragraph(b)
        if isinstance(b, m.BulletList):
            return self.bullets(b)
        if isinstance(b, m.Table):
            return self.table(b)
        if isinstance(b, m.Figure):
            return self.figure(b)
        if isinstance(b, m.Signature):
            return self.signature(b)
        if isinstance(b, m.MemoHead):
            return self.memo_head(b)
        if isinstance(b, m.Comment):
            return self.comment(b)
        if isinstance(b, m.Approval):
            return self.approval(b)
        if isinstance(b, m.PageBreak):
            return [Box(0.0, page_break=True)]
        return [Box(b.lines * 1.2 * self.size)]

    # pages

    def run(self) -> None:
        boxes: list[Box] = []
        for block in self.doc.blocks:
            if isinstance(block, m.Signature) and boxes:
                # a signature never starts a page alone: it takes the closing lines with it
                boxes[-1].keep_next = True
            made = self.boxes(block)
            self._tag(block, made)
            boxes += made
        self._paginate(boxes)
        if self.doc.page_numbers:
            self._page_numbers()

    def _tag(self, block: m.Block, boxes: list[Box]) -> None:
        """The structure elements of a block, under the document's, and each box's share."""
        parent = self.structure
        if isinstance(block, m.Heading):
            node = parent.add(f"H{min(max(block.level, 1), 6)}")
            for box in boxes:
                box.nodes = (node,)
        elif isinstance(block, m.BulletList):
            items = parent.add("L")
            bodies: dict[int, Node] = {}
            for box in boxes:
                if box.part not in bodies:
                    bodies[box.part] = items.add("LI").add("LBody")
                box.nodes = (bodies[box.part],)
        elif isinstance(block, m.Table):
            table = parent.add("Table")
            caption: Node | None = None
            note: Node | None = None
            rows = 0
            for box in boxes:
                if box.row is not None:
                    row = table.add("TR")
                    role = "TH" if rows == 0 else "TD"
                    box.nodes = tuple(row.add(role) for _ in box.row.laid)
                    rows += 1
                elif rows == 0:
                    caption = caption or table.add("Caption")
                    box.nodes = (caption,)
                else:
                    note = note or parent.add("P")
                    box.nodes = (note,)
        elif isinstance(block, m.Figure):
            for box in boxes:
                box.nodes = (parent.add("Figure", alt=block.alt or block.caption),)
                box.nodes += (parent.add("Caption"),)
        elif isinstance(block, m.MemoHead) and block.emblem_png:
            for box in boxes:
                box.nodes = (parent.add("Figure", alt="ตราครุฑ"), parent.add("P"))
        elif not isinstance(block, m.Spacer | m.PageBreak):
            # paragraphs, signatures, the memo's head, comments, approvals
            node = parent.add("P")
            for box in boxes:
                box.nodes = (node,)

    def _paginate(self, boxes: list[Box]) -> None:
        page = self._new_page()
        y = self.top
        pending = 0.0
        at_top = True
        # at the start and after a forced break a block keeps its top margin, as in CSS
        forced = True
        n = len(boxes)
        for k, box in enumerate(boxes):
            if box.page_break:
                if not at_top:
                    page = self._new_page()
                    y, pending, at_top = self.top, 0.0, True
                forced = True
                continue
            gap = 0.0 if at_top else max(pending, box.margin_top) + min(0.0, box.margin_top)
            if forced:
                gap = max(0.0, box.margin_top)
            forced = False
            if box.row is not None:
                # a table row that does not fit the rest of the page: split between lines,
                # rather than leave the page half empty
                split = self._split_here(box, y + gap)
                if split is not None:
                    box, rest = split
                    boxes[k] = box
                    boxes.insert(k + 1, rest)
                    n = len(boxes)
            need = box.height
            j = k
            while boxes[j].keep_next and j + 1 < n and not boxes[j + 1].page_break:
                # a table row that may be split needs only its first lines here
                need += _first_part(boxes[j + 1]) + max(
                    boxes[j].margin_bottom, boxes[j + 1].margin_top
                )
                j += 1
                if need > self.bottom - self.top:
                    break
                if j - k >= 3:
                    break
            fits_alone = y + gap + box.height <= self.bottom + 0.01
            if (
                not at_top
                and (y + gap + need > self.bottom + 0.01)
                and (need <= self.bottom - self.top or not fits_alone)
            ):
                page = self._new_page()
                y, pending, at_top, gap = self.top, 0.0, True, 0.0
                if box.repeat is not None:  # the header again: an artifact this time
                    self._draw(page, box.repeat, y, artifact=True)
                    y += box.repeat.height
                    at_top = False
                if box.row is not None:  # taller than the page
                    split = self._split_here(box, y)
                    if split is not None:
                        box, rest = split
                        boxes[k] = box
                        boxes.insert(k + 1, rest)
                        n = len(boxes)
            y += gap
            if box.heading is not None:
                self.outline.append(
                    OutlineEntry(
                        box.heading[0], box.heading[1], len(self.pages) - 1, self.height - y
                    )
                )
            self._draw(page, box, y)
            y += box.height
            pending = box.margin_bottom
            at_top = False

    def _split_here(self, box: Box, y: float) -> tuple[Box, Box] | None:
        """``box`` (a table row) split to fit from ``y`` to the page's foot, if it does not."""
        if y + box.height <= self.bottom + 0.01:
            return None
        return self.split_row(box, self.bottom - y)

    def _marked(self, page: PageOut, body: str, nodes: tuple[Node, ...]) -> str:
        """``body`` with its marked content numbered on ``page`` (MCIDs) and recorded in its
        elements; without elements, an artifact (a repeated header, a spacer)."""
        at = len(self.pages) - 1
        if MARK not in body:
            if not nodes:
                return f"/Artifact BMC {body} EMC" if body else body
            node = nodes[0]
            node.kids.append((at, len(page.marks)))
            page.marks.append(node)
            return f"/{node.role} <</MCID {len(page.marks) - 1}>> BDC {body} EMC"
        parts = body.split(MARK)
        out = [parts[0]]
        for k, part in enumerate(parts[1:]):
            if k < len(nodes):
                node = nodes[k]
                node.kids.append((at, len(page.marks)))
                page.marks.append(node)
                out.append(f"/{node.role} <</MCID {len(page.marks) - 1}>> BDC {part}")
            else:
                out.append(f"/Artifact BMC {part}")
        return "".join(out)

    def glyphs_used(self) -> dict[FaceName, set[int]]:
        """The glyphs drawn, by face (for the font subsets)."""
        for glyphs in self._glyph_sets.values():
            for name, gids in glyphs.items():
                self.used[name] |= gids
        self._glyph_sets.clear()
        return self.used

    def _new_page(self) -> PageOut:
        page = PageOut()
        self.pages.append(page)
        return page

    def _page_numbers(self) -> None:
        size = self.small
        ascent, descent = _ascent_descent(size)
        mid = (self.bottom + self.height) / 2
        if self.memo:  # correspondence: from page 2, centred at the top, at the text's size
            size = self.size
            ascent, descent = _ascent_descent(size)
            mid = self.top / 2
        for k, page in enumerate(self.pages, 1):
            if self.memo and k == 1:
                continue
            number = str(k)
            if self.doc.thai_digits:
                number = thai_digits(number)
            line = self.lines(m.runs(f"- {number} -"), size, self.text_width)[0]
            x = self.left + (self.text_width - line.width) / 2
            self._text(page, x, mid + (ascent - descent) / 2, line)

    # drawing

    def _text(self, page: PageOut, x: float, baseline: float, line: Line) -> None:
        """A line outside the document's structure (a page number): an artifact."""
        glyphs: list[dict[FaceName, set[int]]] = []
        body = " ".join(_render([TextOp(x, baseline, line)], self.height, {}, glyphs))
        page.content.append(f"/Artifact BMC {body} EMC")
        for g in glyphs:
            self._glyph_sets[id(g)] = g

    def _draw(self, page: PageOut, box: Box, top: float, *, artifact: bool = False) -> None:
        base = self.height - top  # the box's top edge in PDF space
        if box.local is not None:  # drawn once in its own space, placed here
            body = f"q 1 0 0 1 0 {base:.2f} cm {box.local} Q"
            glyphs = box.glyphs
        else:
            glyphs = []
            body = " ".join(_render(box.ops, base, self._image_index, glyphs))
        page.content.append(self._marked(page, body, () if artifact else box.nodes))
        for g in glyphs:
            self._glyph_sets[id(g)] = g  # merged once, in ``glyphs_used``


def _first_part(box: Box) -> float:
    """The least of ``box`` that must stay on a page: its first two lines when it is a table
    row that may be split, else all of it."""
    parts = box.row
    if parts is None:
        return box.height
    least = 2 * parts.line_height
    cuts = [
        y + _CELL_PAD
        for y in parts.cuts
        if y - least + 0.01 >= _CELL_PAD and box.height - y >= least
    ]
    return min(cuts, default=box.height)


def _row_cuts(laid: Laid) -> tuple[float, ...]:
    """Where a row may be cut: the bottoms of its cells' lines."""
    return tuple(sorted({y for *_, cuts in laid for y in cuts}))


def _share(base: list[float], need: list[float], *, strict: bool) -> list[float] | None:
    """Column widths: each at least what it needs, taken from the room the others have over
    their own need, in proportion; None when there is not room enough (``strict``), else
    each column's larger width scaled to the table's."""
    deficit = sum(max(0.0, n - b) for b, n in zip(base, need, strict=True))
    if deficit <= 0.01:
        return base
    slack = sum(max(0.0, b - n) for b, n in zip(base, need, strict=True))
    if slack >= deficit:
        return [
            n if n >= b else b - (b - n) * deficit / slack for b, n in zip(base, need, strict=True)
        ]
    if strict:
        return None
    wide = [max(b, n) for b, n in zip(base, need, strict=True)]
    scale = sum(base) / sum(wide)
    return [w * scale for w in wide]


def _line_body(line: Line) -> tuple[str, dict[FaceName, set[int]]]:
    """A line's text operators after its position (made once: lines are cached), then the
    glyphs it draws as paths, placed from the line's start."""
    if line.body is None or line.glyphs is None:
        out = []
        current: tuple[FaceName, float] | None = None
        glyphs: dict[FaceName, set[int]] = {}
        paths: list[str] = []
        x0 = line.items[0][0] if line.items else 0.0
        for x, p in line.items:
            if (p.face, p.size) != current:
                current = (p.face, p.size)
                out.append(f"/F{FACE_NAMES.index(p.face)} {_f(p.size)} Tf")
            out.append(p.ops)
            glyphs.setdefault(p.face, set()).update(p.gids)
            if p.paths:
                f = face(p.face)
                k = p.size / f.upem
                for dx, rise, gid in p.paths:
                    paths.append(
                        f"q {k:.5f} 0 0 {k:.5f} {_f(x - x0 + dx)} {_f(rise)} cm {f.path(gid)} f Q"
                    )
        out.append("ET")
        if paths:  # outside the text object, in the line's own space
            out.append("q 1 0 0 1 {x} {y} cm " + " ".join(paths) + " Q")
        line.body = " ".join(out)
        line.glyphs = glyphs
    return line.body, line.glyphs


def _render(
    ops: list[Op],
    base: float,
    images: dict[int, int],
    glyphs: list[dict[FaceName, set[int]]],
) -> list[str]:
    """Content-stream operators of ``ops``, whose y grows downwards from PDF height ``base``;
    the glyph sets of the text drawn are added to ``glyphs``."""
    c: list[str] = []
    artifact = False  # within a run of rules and shades, marked as one artifact
    for op in ops:
        if artifact and not isinstance(op, RectOp | LineOp):
            c.append("EMC")
            artifact = False
        if isinstance(op, TextOp):
            line = op.line
            if not line.items:
                continue
            body, used = _line_body(line)
            glyphs.append(used)
            x, y = op.x + line.items[0][0], base - op.baseline
            xs, ys = f"{x:.2f}", f"{y:.2f}"
            if "{x}" in body:
                body = body.replace("{x}", xs).replace("{y}", ys)
            c.append(f"BT 1 0 0 1 {xs} {ys} Tm {body}")
            for dx, p in line.items:
                if p.underline:
                    uy = base - op.baseline - 0.1 * p.size
                    c.append(f"{_f(op.x + dx)} {_f(uy)} {_f(p.width)} {_f(0.05 * p.size)} re f")
        elif isinstance(op, MarkOp):
            c.append(MARK if op.begin else "EMC")
        elif isinstance(op, RectOp):
            if not artifact:
                c.append("/Artifact BMC")
                artifact = True
            y = base - op.y - op.h
            if op.fill is not None:
                r, g, b = op.fill
                c.append(
                    f"{r:.3f} {g:.3f} {b:.3f} rg {op.x:.2f} {y:.2f} {op.w:.2f} {op.h:.2f} re f 0 g"
                )
            if op.stroke:
                c.append(f"{op.stroke:.2f} w {op.x:.2f} {y:.2f} {op.w:.2f} {op.h:.2f} re S")
        elif isinstance(op, LineOp):
            if not artifact:
                c.append("/Artifact BMC")
                artifact = True
            dash = "[0.6 1.8] 0 d 1 J " if op.dotted else ""
            c.append(
                f"q {dash}{_f(op.width)} w {_f(op.x1)} {_f(base - op.y1)} m "
                f"{_f(op.x2)} {_f(base - op.y2)} l S Q"
            )
        else:
            index = images[id(op.image)]
            c.append(
                f"q {_f(op.w)} 0 0 {_f(op.h)} {_f(op.x)} {_f(base - op.y - op.h)} cm"
                f" /Im{index} Do Q"
            )
    if artifact:
        c.append("EMC")
    return c


def _freeze(box: Box) -> Box:
    """Draw a box without images once in its own space (top edge at y = 0), for reuse."""
    glyphs: list[dict[FaceName, set[int]]] = []
    box.local = " ".join(_render(box.ops, 0.0, {}, glyphs))
    box.glyphs = glyphs
    box.ops = []  # drawn from ``local`` from now on: the ops would only burden the collector
    return box
