"""Render a Document to DOCX (python-docx), set up for Thai in Word and LibreOffice.

Thai needs more than a font name: every run and the base styles name Sarabun for the
complex-script slot too (``w:rFonts w:cs``), give the complex-script size (``w:szCs``), the Thai
language (``w:lang w:bidi``) and complex-script bold/italic (``w:bCs``/``w:iCs``); otherwise
Word draws Thai in a fallback face and drops bold. Theme fonts and colours of the default
template are removed, since a theme attribute overrides the explicit font name.

The renderer never formats figures: texts arrive final in the model. It only places them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import cast

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from openita.documents.docx_fonts import DIGITS_FAMILY, embed_fonts
from openita.documents.docx_stable import stable_docx
from openita.documents.fonts import FAMILY
from openita.documents.html import thai_words
from openita.documents.model import (
    Align,
    Approval,
    Block,
    BulletList,
    Cell,
    Column,
    Comment,
    Document,
    Figure,
    Heading,
    MemoHead,
    Page,
    PageBreak,
    Paragraph,
    Shade,
    Signature,
    Spacer,
    Table,
    Text,
)
from openita.documents.pdfnative.layout import Layout

__all__ = ["render_docx", "word_breaks"]

_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+|[^\u0e00-\u0e7f]+")

LANG = "th-TH"
A4_SHORT_CM = 21.0
A4_LONG_CM = 29.7
INDENT_CM = 1.25  # first-line indent of Thai official text
MEMO_INDENT_CM = 2.5  # the บันทึกข้อความ's first-line indent (correspondence regulation)
MEMO_LABEL_PT = 20.0  # its head's labels: ส่วนราชการ ที่ วันที่ เรื่อง
CELL_PAD_TWIPS = 40  # 2 pt above and below a cell's text: marks clear of the borders
CELL_SIDE_TWIPS = 60  # 3 pt left and right, as in the PDF
DOCX_SPARE_PT = 3.0  # a column's room beyond its widest word: Word and LibreOffice round
ZWSP = "\u200b"  # a break opportunity between Thai words, where the PDF breaks
WJ = "\u2060"  # no break here: inside a Thai word
_SLASH_THAI = re.compile(r"/(?=[\u0e01-\u0e4e])")
_WORD_INSIDE = re.compile(r"(?<![\u0e40-\u0e44])[\u0e01-\u0e2e\u0e40-\u0e44\u0e50-\u0e59]")
SIGNATURE_INDENT_CM = 8.0  # signature blocks sit right of centre
EMBLEM_HEIGHT_CM = 1.5
MEMO_TITLE = "บันทึกข้อความ"
MEMO_TITLE_PT = 29.0  # the correspondence regulation's size for the memo title
SIGN_LINE = "........................................"
CHECKED, UNCHECKED = "☑", "☐"
BORDER_COLOR = "000000"
SHADES: dict[Shade, str] = {
    "good": "E2EFDA",
    "bad": "F8CBAD",
    "header": "D9D9D9",
    "group": "DDEBF7",
}
ALIGNMENTS: dict[Align, WD_ALIGN_PARAGRAPH] = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,  # w:jc w:val="thaiDistribute"
}

# Schema order of the child elements we write (subsets of the OOXML sequences).
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription",
)  # fmt: skip
TRPR_ORDER = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
)  # fmt: skip
TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)  # fmt: skip
SECTPR_ORDER = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
    "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
BORDER_SIDES = ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV")
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
THEME_COLOR_ATTRS = ("w:themeColor", "w:themeShade", "w:themeTint")


@dataclass
class _Ctx:
    """What every block renderer needs: the target document and the source's settings."""

    out: DocxDocument
    size: float  # base font size, points
    text_width: int  # EMU
    memo: bool = False  # a บันทึกข้อความ: its indent, label size and page numbers
    layout: Layout | None = None  # the PDF's layout, for table widths laid out from content
    table_size: float = 0.0  # the text size of the table being written
    digits_font: bool = False  # a page number set in Sarabun Thai Digits (docx_fonts)


def render_docx(
    doc: Document, *, template: bytes | None = None, embed_sarabun: bool = True
) -> bytes:
    """The document as DOCX bytes: A4, Sarabun, Thai language, tables and figures.

    ``template`` is an agency's letterhead (a DOCX): the output then starts from it, keeping
    its page setup (size and margins; turned to landscape when the document needs it), its
    headers and footers (including a different first page) and its styles, with its body
    content dropped; Normal and Heading 1-3 are still set up for Thai, as every run is.
    """
    out = new_document(io.BytesIO(template)) if template is not None else new_document()
    if template is not None:
        _clear_body(out)
        width = _template_page(out, doc)
    else:
        width = _setup_page(out, doc)
    ctx = _Ctx(
        out=out,
        size=doc.font_size,
        text_width=width,
        memo=doc.kind == "memo",
        layout=Layout(replace(doc, page=_page_of(doc, width))),
    )
    _setup_styles(out, doc.font_size)
    _set_properties(out, doc)
    if doc.page_numbers and not (template is not None and _has_page_field(out)):
        if ctx.memo and template is None:  # a letterhead keeps its header: footer numbers
            _memo_page_numbers(ctx, thai=doc.thai_digits)
        else:
            _page_number_footer(ctx, thai=doc.thai_digits)
    for block in doc.blocks:
        _block(ctx, block)
    buffer = io.BytesIO()
    out.save(buffer)
    # Sarabun travels with the file: Word on a machine without it would use another face.
    # The Thai page numbers' face always does: no machine has it.
    data = buffer.getvalue()
    if embed_sarabun or ctx.digits_font:
        data = embed_fonts(data, sarabun=embed_sarabun, thai_digits=ctx.digits_font)
    return stable_docx(data)  # the same bytes for the same document (docx_stable.py)


# --- XML helpers ------------------------------------------------------------------------------


def _element(tag: str, **attrs: str) -> BaseOxmlElement:
    element = cast(BaseOxmlElement, OxmlElement(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _child(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """The ``tag`` child of ``parent``, created at its schema position when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return cast(BaseOxmlElement, found)
    new = _element(tag)
    later = {qn(t) for t in order[order.index(tag) + 1 :]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(new)
            return new
    parent.append(new)
    return new


def _set(element: BaseOxmlElement, **attrs: str) -> BaseOxmlElement:
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _drop_attrs(element: BaseOxmlElement, names: Sequence[str]) -> None:
    for name in names:
        element.attrib.pop(qn(name), None)


def _format_rpr(
    rpr: BaseOxmlElement, size: float, *, bold: bool = False, italic: bool = False
) -> None:
    """Sarabun in every script slot, size for Latin and Thai, Thai language, CS bold/italic."""
    fonts = _child(rpr, "w:rFonts", RPR_ORDER)
    _drop_attrs(fonts, THEME_FONT_ATTRS)
    _set(fonts, ascii=FAMILY, hAnsi=FAMILY, eastAsia=FAMILY, cs=FAMILY)
    if bold:
        _child(rpr, "w:b", RPR_ORDER)
        _child(rpr, "w:bCs", RPR_ORDER)
    if italic:
        _child(rpr, "w:i", RPR_ORDER)
        _child(rpr, "w:iCs", RPR_ORDER)
    half_points = str(round(size * 2))
    _set(_child(rpr, "w:sz", RPR_ORDER), val=half_points)
    _set(_child(rpr, "w:szCs", RPR_ORDER), val=half_points)
    _set(_child(rpr, "w:lang", RPR_ORDER), val=LANG, bidi=LANG)


def _shade(tc_pr: BaseOxmlElement, fill: str) -> None:
    _set(_child(tc_pr, "w:shd", TCPR_ORDER), val="clear", color="auto", fill=fill)


# --- page, styles, properties ---------------------------------------------------------------


def _page_of(doc: Document, width: int) -> Page:
    """The document's page with the DOCX's text width (a letterhead may change it)."""
    long = A4_LONG_CM if doc.page.landscape else A4_SHORT_CM
    return replace(doc.page, right=long - doc.page.left - width / 360000)


def _setup_page(out: DocxDocument, doc: Document) -> int:
    """A4 in the document's orientation and margins; returns the text width in EMU."""
    page = doc.page
    section = out.sections[0]
    short, long = Cm(A4_SHORT_CM), Cm(A4_LONG_CM)
    if page.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long, short
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long
    section.top_margin, section.bottom_margin = Cm(page.top), Cm(page.bottom)
    section.left_margin, section.right_margin = Cm(page.left), Cm(page.right)
    width = long if page.landscape else short
    return int(width - Cm(page.left) - Cm(page.right))


def _clear_body(out: DocxDocument) -> None:
    """Drop a template's body content; its last section's properties (``w:sectPr``: page
    setup, header and footer references, different first page) stay."""
    body = out.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _template_page(out: DocxDocument, doc: Document) -> int:
    """Keep the template's page size and margins (A4 and the document's margins where it
    names none); a landscape document turns the page. Returns the text width in EMU."""
    page = doc.page
    section = out.sections[-1]
    width = section.page_width or Cm(A4_SHORT_CM)
    height = section.page_height or Cm(A4_LONG_CM)
    if page.landscape != (width > height):
        width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Emu(width), Emu(height)
    margins = (
        ("top_margin", page.top),
        ("bottom_margin", page.bottom),
        ("left_margin", page.left),
        ("right_margin", page.right),
    )
    for name, fallback in margins:
        if getattr(section, name) is None:
            setattr(section, name, Cm(fallback))
    left, right = section.left_margin or 0, section.right_margin or 0
    return int(width - left - right)


def _has_page_field(out: DocxDocument) -> bool:
    """Whether the template's footers or headers already print page numbers."""
    for section in out.sections:
        for part in (section.footer, section.header, section.first_page_footer):
            if part.is_linked_to_previous:
                continue
            xml = part._element.xml
            if " PAGE " in xml or 'w:instr="PAGE' in xml or "> PAGE<" in xml:
                return True
    return False


def _setup_styles(out: DocxDocument, size: float) -> None:
    _setup_defaults(out, size)
    normal = cast(ParagraphStyle, out.styles["Normal"])
    _format_rpr(_style_rpr(normal), size)
    _single_spacing(normal)
    for level, extra, before in ((1, 4.0, 12.0), (2, 1.0, 10.0), (3, 0.0, 8.0)):
        _heading_style(out, level, size + extra, before)


def _setup_defaults(out: DocxDocument, size: float) -> None:
    """Document defaults without theme fonts, so no style falls back to Calibri/Cambria."""
    defaults = out.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        _format_rpr(cast(BaseOxmlElement, rpr), size)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        _set(cast(BaseOxmlElement, spacing), before="0", after="0", line="240", lineRule="auto")


def _style_rpr(style: ParagraphStyle) -> BaseOxmlElement:
    return _child(style.element, "w:rPr", STYLE_ORDER)


def _single_spacing(style: ParagraphStyle) -> None:
    fmt = style.paragraph_format
    fmt.line_spacing = 1.0
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _heading_style(out: DocxDocument, level: int, size: float, before: float) -> None:
    """Word's own Heading N (the navigation pane needs it), in Sarabun, black and bold."""
    name = f"Heading {level}"
    if name not in out.styles:  # a letterhead template may not define it
        added = out.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        added.base_style = out.styles["Normal"]
        ppr = added.element.get_or_add_pPr()
        _set(_child(ppr, "w:outlineLvl", PPR_ORDER), val=str(level - 1))
    style = cast(ParagraphStyle, out.styles[name])
    rpr = _style_rpr(style)
    _format_rpr(rpr, size, bold=True)
    for tag in ("w:i", "w:iCs"):
        found = rpr.find(qn(tag))
        if found is not None:
            rpr.remove(found)
    color = _child(rpr, "w:color", RPR_ORDER)
    _drop_attrs(color, THEME_COLOR_ATTRS)
    _set(color, val="000000")
    fmt = style.paragraph_format
    fmt.line_spacing = 1.0
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(6)
    fmt.keep_with_next = True
    if level == 1:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _set_properties(out: DocxDocument, doc: Document) -> None:
    props = out.core_properties
    props.title = doc.title
    props.subject = doc.subject
    props.keywords = ", ".join(doc.keywords)
    props.language = LANG
    props.author = doc.agency
    props.last_modified_by = doc.agency
    props.category = doc.kind
    props.comments = ""  # the template says "generated by python-docx"
    props.created = props.modified = datetime.now(UTC)
    _drop_thumbnail(out)


def _drop_thumbnail(out: DocxDocument) -> None:
    """The template's thumbnail shows an empty page: no preview is better than a wrong one."""
    rels = out.part.package.rels
    for rel_id in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rel_id]


def _page_number_footer(ctx: _Ctx, *, thai: bool) -> None:
    """``- n -`` centred in the footer."""
    footer = ctx.out.sections[0].footer
    footer.is_linked_to_previous = False
    first = footer.paragraphs[0] if footer.paragraphs else None
    # A letterhead's footer keeps its own lines; the number goes on a line of its own.
    par = first if first is not None and not first.runs else footer.add_paragraph()
    _page_number(ctx, par, ctx.size - 2, thai=thai)


def _memo_page_numbers(ctx: _Ctx, *, thai: bool) -> None:
    """The correspondence regulation's numbers: none on page 1, ``- n -`` centred at the top
    from page 2 (a different first page with an empty header)."""
    section = ctx.out.sections[0]
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    par = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    _page_number(ctx, par, ctx.size, thai=thai)
    section.first_page_header.is_linked_to_previous = False


def _page_number(ctx: _Ctx, par: DocxParagraph, size: float, *, thai: bool) -> None:
    """``- PAGE -`` in ``par``, centred. Thai digits: the section's page number format
    (``w:pgNumType w:fmt="thaiNumbers"``), which Word applies to a PAGE field without a
    format switch, and the field set in ``Sarabun Thai Digits``, whose 0-9 are ๐-๙, for
    LibreOffice, which ignores that format and prints 1 2 3 (docx_fonts). The switch
    ``\\* ThaiArabic`` gives Thai digits in Word but Thai letters (ก ข ค) in LibreOffice."""
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if thai:
        sect_pr = cast(BaseOxmlElement, ctx.out.sections[0]._sectPr)
        _set(_child(sect_pr, "w:pgNumType", SECTPR_ORDER), fmt="thaiNumbers")
        ctx.digits_font = True
    family = DIGITS_FAMILY if thai else None
    _add_run(par, "- ", size)
    _field_char(par, "begin", size, family)
    instr = _element("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = " PAGE "
    _field_run(par, "", size, family)._r.append(instr)
    _field_char(par, "separate", size, family)
    _field_run(par, "๑" if thai else "1", size, family)
    _field_char(par, "end", size, family)
    _add_run(par, " -", size)


def _field_run(par: DocxParagraph, text: str, size: float, family: str | None) -> DocxRun:
    """A run of a field, in ``family`` (every script slot) when given, else in Sarabun."""
    run = _add_run(par, text, size)
    if family is not None:
        fonts = cast(BaseOxmlElement, run._r.get_or_add_rPr()).find(qn("w:rFonts"))
        _set(fonts, ascii=family, hAnsi=family, eastAsia=family, cs=family)
    return run


def _field_char(par: DocxParagraph, kind: str, size: float, family: str | None = None) -> None:
    _field_run(par, "", size, family)._r.append(_element("w:fldChar", fldCharType=kind))


# --- runs and paragraphs ----------------------------------------------------------------------


def _add_run(
    par: DocxParagraph,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> DocxRun:
    run = par.add_run(word_breaks(text))
    rpr = cast(BaseOxmlElement, run._r.get_or_add_rPr())
    _format_rpr(rpr, size, bold=bold, italic=italic)
    if underline:
        _set(_child(rpr, "w:u", RPR_ORDER), val="single")
    return run


def word_breaks(text: str) -> str:
    """A zero-width space between two Thai words (PyThaiNLP newmm, as the PDF breaks), so
    that Word and LibreOffice break lines between words, not inside one."""
    if not any("\u0e01" <= ch <= "\u0e4e" for ch in text):
        return text
    out: list[str] = []
    for match in _THAI_RUN.finditer(text):
        chunk = match.group()
        if chunk[0] >= "\u0e00":
            out.append(ZWSP.join(_joined(w) for w in thai_words(chunk) if w))
        else:
            out.append(chunk)
    # a break after a slash before a Thai word (ผลลัพธ์/ความสำเร็จ), as the PDF allows
    return _SLASH_THAI.sub("/" + ZWSP, "".join(out))


def _joined(word: str) -> str:
    """A word joiner before each consonant, leading vowel and Thai digit inside the word
    (not after a leading vowel, never next to a mark, so shaping is untouched): LibreOffice's
    own Thai dictionary then finds no break inside the word (or number) either."""
    return word[0] + _WORD_INSIDE.sub(WJ + r"\g<0>", word[1:]) if len(word) > 1 else word


def _add_text(par: DocxParagraph, text: Text, size: float, *, bold: bool = False) -> None:
    for run in text:
        _add_run(
            par,
            run.text,
            size,
            bold=bold or run.bold,
            italic=run.italic,
            underline=run.underline,
        )


def _new_paragraph(ctx: _Ctx, align: Align = "left") -> DocxParagraph:
    par = ctx.out.add_paragraph()
    par.alignment = ALIGNMENTS[align]
    return par


def _dotted_to(par: DocxParagraph, position: int) -> None:
    """A dotted line from the text to ``position`` (a tab with a dot leader)."""
    par.paragraph_format.tab_stops.add_tab_stop(
        Emu(position), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS
    )


def _plain(ctx: _Ctx, text: str, align: Align = "left", *, bold: bool = False) -> DocxParagraph:
    par = _new_paragraph(ctx, align)
    _add_run(par, text, ctx.size, bold=bold)
    return par


# --- blocks -----------------------------------------------------------------------------------


def _block(ctx: _Ctx, block: Block) -> None:
    if isinstance(block, Heading):
        _heading(ctx, block)
    elif isinstance(block, Paragraph):
        _paragraph(ctx, block)
    elif isinstance(block, BulletList):
        _bullets(ctx, block)
    elif isinstance(block, Table):
        _table(ctx, block)
    elif isinstance(block, Figure):
        _figure(ctx, block)
    elif isinstance(block, Signature):
        _signature(ctx, block)
    elif isinstance(block, MemoHead):
        _memo_head(ctx, block)
    elif isinstance(block, Comment):
        _comment(ctx, block)
    elif isinstance(block, Approval):
        _approval(ctx, block)
    elif isinstance(block, PageBreak):
        _add_run(ctx.out.add_paragraph(), "", ctx.size).add_break(WD_BREAK.PAGE)
    else:
        _spacer(ctx, block)


def _heading(ctx: _Ctx, block: Heading) -> None:
    """Heading 1-3; level 1 is centred by its style, ``align`` other than left overrides."""
    level = min(max(block.level, 1), 3)
    par = ctx.out.add_paragraph(style=f"Heading {level}")
    if block.align != "left" or level != 1:
        par.alignment = ALIGNMENTS[block.align]
    extra = {1: 4.0, 2: 1.0, 3: 0.0}[level]
    _add_run(par, block.text, ctx.size + extra, bold=True)


def _paragraph(ctx: _Ctx, block: Paragraph) -> None:
    par = _new_paragraph(ctx, block.align)
    fmt = par.paragraph_format
    if block.indent:
        fmt.first_line_indent = Cm(MEMO_INDENT_CM if ctx.memo else INDENT_CM)
    if block.keep_with_next:
        fmt.keep_with_next = True
    size = ctx.size - 2 if block.size == "small" else ctx.size
    _add_text(par, block.content, size)


def _bullets(ctx: _Ctx, block: BulletList) -> None:
    """Each item a paragraph: the marker hangs left of the text, which wraps at the indent."""
    hang = Cm(0.75)
    text_at = Cm(INDENT_CM) + hang
    for number, item in enumerate(block.items, 1):
        par = _new_paragraph(ctx)
        fmt = par.paragraph_format
        fmt.left_indent = Emu(text_at)
        fmt.first_line_indent = Emu(-hang)
        fmt.tab_stops.add_tab_stop(Emu(text_at))
        marker = f"{number}." if block.marker == "1." else block.marker
        _add_run(par, f"{marker}\t", ctx.size)
        _add_text(par, item, ctx.size)
        if block.keep_with_next and number == len(block.items):
            fmt.keep_with_next = True


def _spacer(ctx: _Ctx, block: Spacer) -> None:
    for _ in range(max(1, round(block.lines))):
        ctx.out.add_paragraph()


# --- tables -----------------------------------------------------------------------------------


def _table(ctx: _Ctx, block: Table) -> None:
    if block.caption:
        _plain(ctx, block.caption, "center", bold=True).paragraph_format.keep_with_next = True
    # the widths and size the PDF uses: a column as wide as its widest word when the others
    # have room, else the table's text a little smaller (pdfnative.layout.Layout.columns)
    ctx.table_size, points = (
        ctx.layout.columns(block, DOCX_SPARE_PT) if ctx.layout else (ctx.size - 2, [])
    )
    if points:
        scale = ctx.text_width / sum(points)
        widths = [round(p * scale) for p in points]
    else:
        widths = [round(ctx.text_width * c.width / 100) for c in block.columns]
    table = ctx.out.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    _table_properties(table, widths)
    _header_row(ctx, table.rows[0], block.columns, widths)
    for row, cells in zip(table.rows[1:], block.rows, strict=True):
        _body_row(ctx, row, cells, widths)
        if len(cells) == 1 and cells[0].colspan >= len(widths) > 1:
            _group_row(row, cells[0])
    if block.note:
        _add_run(_new_paragraph(ctx), block.note, ctx.size - 2)


def _table_properties(table: DocxTable, widths: list[int]) -> None:
    """Fixed layout, centred, column widths, single black borders."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Emu(width)
    tbl_pr = cast(BaseOxmlElement, table._tbl.tblPr)
    _set(_child(tbl_pr, "w:tblW", TBLPR_ORDER), w=str(Emu(sum(widths)).twips), type="dxa")
    borders = _child(tbl_pr, "w:tblBorders", TBLPR_ORDER)
    for side in BORDER_SIDES:
        borders.append(_element(side, val="single", sz="4", space="0", color=BORDER_COLOR))
    margins = _child(tbl_pr, "w:tblCellMar", TBLPR_ORDER)
    for side, width in (
        ("w:top", CELL_PAD_TWIPS),
        ("w:left", CELL_SIDE_TWIPS),
        ("w:bottom", CELL_PAD_TWIPS),
        ("w:right", CELL_SIDE_TWIPS),
    ):
        margins.append(_element(side, w=str(width), type="dxa"))


def _row_properties(row: _Row) -> BaseOxmlElement:
    return cast(BaseOxmlElement, row._tr.get_or_add_trPr())


def _header_row(ctx: _Ctx, row: _Row, columns: Sequence[Column], widths: list[int]) -> None:
    """Bold titles on grey, repeated at the top of every page (``w:tblHeader``)."""
    _child(_row_properties(row), "w:tblHeader", TRPR_ORDER)
    for cell, column, width in zip(row.cells, columns, widths, strict=True):
        cell.width = Emu(width)
        _shade(_cell_properties(cell), SHADES["header"])
        par = cell.paragraphs[0]
        par.alignment = ALIGNMENTS["center"]
        _add_run(par, column.title, ctx.table_size, bold=True)


def _body_row(ctx: _Ctx, row: _Row, cells: Sequence[Cell], widths: list[int]) -> None:
    """Cells left to right; a colspan merges the grid cells it covers (rows may split)."""
    grid = 0
    for source in cells:
        if grid >= len(widths):
            break
        span = max(1, min(source.colspan, len(widths) - grid))
        target = row.cells[grid]
        if span > 1:
            target = target.merge(row.cells[grid + span - 1])
        target.width = Emu(sum(widths[grid : grid + span]))
        _fill_cell(ctx, target, source)
        grid += span


def _group_row(row: _Row, source: Cell) -> None:
    """A row across the whole table (a group's title) is not split between pages; a bare
    title also stays with the row under it, as in the PDF (a title with text of its own may
    end a page, a heading with its paragraph)."""
    _child(_row_properties(row), "w:cantSplit", TRPR_ORDER)
    if not source.lines:
        for par in row.cells[0].paragraphs:
            par.paragraph_format.keep_with_next = True


def _cell_properties(cell: _Cell) -> BaseOxmlElement:
    return cast(BaseOxmlElement, cell._tc.get_or_add_tcPr())


def _fill_cell(ctx: _Ctx, target: _Cell, source: Cell) -> None:
    size = ctx.table_size
    bold = source.shade == "header"
    if source.shade:
        _shade(_cell_properties(target), SHADES[source.shade])
    par = target.paragraphs[0]
    par.alignment = ALIGNMENTS[source.align]
    _add_text(par, source.content, size, bold=bold)
    for line in source.lines:
        extra = target.add_paragraph()
        extra.alignment = ALIGNMENTS[source.align]
        _add_text(extra, line, size, bold=bold)


# --- figures, signatures, memo parts ----------------------------------------------------------


def _figure(ctx: _Ctx, block: Figure) -> None:
    par = _new_paragraph(ctx, "center")
    par.paragraph_format.keep_with_next = True
    run = _add_run(par, "", ctx.size)
    shape = run.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    shape._inline.docPr.set("descr", block.alt)
    _add_run(_new_paragraph(ctx, "center"), block.caption, ctx.size - 2)


def _signature(ctx: _Ctx, block: Signature) -> None:
    """(ลงชื่อ)...... / (name) / positions, centred in a block that starts 8 cm from the left.
    The paragraph before stays with it: a signature never starts a page alone."""
    last = ctx.out.element.body[-1] if len(ctx.out.element.body) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last = last.getprevious()
    if last is not None and last.tag == qn("w:p"):
        DocxParagraph(last, ctx.out._body).paragraph_format.keep_with_next = True
    lines = [f"{block.label}{SIGN_LINE}", f"({block.name})", *block.positions]
    for index, line in enumerate(lines):
        par = _plain(ctx, line, "center")
        fmt = par.paragraph_format
        fmt.left_indent = Cm(SIGNATURE_INDENT_CM)
        fmt.keep_with_next = index < len(lines) - 1
        if index == 0:
            fmt.space_before = Pt(ctx.size)


def _memo_head(ctx: _Ctx, block: MemoHead) -> None:
    _memo_title(ctx, block.emblem_png)
    _memo_field(ctx, [("ส่วนราชการ", block.unit, ctx.text_width)])
    half = ctx.text_width // 2
    _memo_field(ctx, [("ที่", block.reference, half), ("วันที่", block.date, ctx.text_width)])
    _memo_field(ctx, [("เรื่อง", block.subject, ctx.text_width)])
    to = _plain(ctx, "เรียน", bold=True)
    to.paragraph_format.space_before = Pt(ctx.size / 2)
    _add_run(to, f" {block.to}", ctx.size)


def _memo_title(ctx: _Ctx, emblem: bytes | None) -> None:
    """The emblem at the left margin and the title centred on the text width by a tab stop.

    The line is at least the emblem's height, so the head keeps its place without an emblem.
    """
    par = _new_paragraph(ctx)
    fmt = par.paragraph_format
    fmt.tab_stops.add_tab_stop(Emu(ctx.text_width // 2), WD_TAB_ALIGNMENT.CENTER)
    ppr = cast(BaseOxmlElement, par._p.get_or_add_pPr())
    height = str(Cm(EMBLEM_HEIGHT_CM).twips)
    _set(_child(ppr, "w:spacing", PPR_ORDER), line=height, lineRule="atLeast")
    fmt.keep_with_next = True
    if emblem is not None:
        run = _add_run(par, "", ctx.size)
        shape = run.add_picture(io.BytesIO(emblem), height=Cm(EMBLEM_HEIGHT_CM))
        shape._inline.docPr.set("descr", "ตราครุฑ")
    _add_run(par, f"\t{MEMO_TITLE}", MEMO_TITLE_PT, bold=True)


def _memo_field(ctx: _Ctx, fields: Sequence[tuple[str, str, int]]) -> None:
    """Bold labels, their values, and a dotted line from each value to its end position."""
    par = _new_paragraph(ctx)
    par.paragraph_format.keep_with_next = True
    for index, (label, value, end) in enumerate(fields):
        _dotted_to(par, end)
        _add_run(par, label if index == 0 else f"\t{label}", MEMO_LABEL_PT, bold=True)
        _add_run(par, f" {value}", ctx.size)
    _add_run(par, "\t", ctx.size)


def _comment(ctx: _Ctx, block: Comment) -> None:
    par = _plain(ctx, "ความเห็น", bold=True)
    fmt = par.paragraph_format
    fmt.space_before = Pt(ctx.size / 2)
    fmt.keep_with_next = True
    _opinion(ctx, par, block.text)
    _signature(ctx, block.signature)


def _opinion(ctx: _Ctx, par: DocxParagraph, text: str) -> None:
    """The text after a label, or a dotted line to the right margin when there is none."""
    if text:
        _add_run(par, f" {text}", ctx.size)
    else:
        _dotted_to(par, ctx.text_width)
        _add_run(par, " \t", ctx.size)


def _approval(ctx: _Ctx, block: Approval) -> None:
    title = _plain(ctx, block.title, bold=True)
    title.paragraph_format.space_before = Pt(ctx.size / 2)
    title.paragraph_format.keep_with_next = True
    choices = (
        (block.decision == "approved", block.approve_label, None),
        (block.decision == "rejected", block.reject_label, block.reason),
    )
    for checked, label, reason in choices:
        par = _plain(ctx, f"{CHECKED if checked else UNCHECKED} {label}")
        par.paragraph_format.left_indent = Cm(INDENT_CM)
        par.paragraph_format.keep_with_next = True
        if reason is not None:
            _opinion(ctx, par, reason)
    _signature(ctx, block.signature)
