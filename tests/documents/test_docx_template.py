"""DOCX renderer with an agency's letterhead template: the template's page setup, headers,
footers and styles are kept, its body dropped, and our body written as without one."""

from __future__ import annotations

import io

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm

from openita.documents.docx import render_docx
from openita.documents.model import Document, Heading, Page, Paragraph, Signature, runs
from tests.documents.conftest import plain

HEADER = "ตราหน่วยงาน"
FIRST_PAGE = "หัวกระดาษหน้าแรก"
FOOTER = "ถนนตัวอย่าง โทร. 0 0000 0000"
OLD_BODY = "ข้อความเดิมในแม่แบบ ต้องไม่ปรากฏ"
BODY = "ตามที่ เทศบาลตำบลตัวอย่าง ได้ดำเนินการตามมาตรการ"


def letterhead(*, first_page: bool = False, drop_headings: bool = False) -> bytes:
    """A letterhead as an agency would make it: A4, its own margins, a header and footer."""
    template = docx.Document()
    section = template.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.5), Cm(1.5)
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = FIRST_PAGE
    template.add_paragraph(OLD_BODY)
    template.add_table(rows=1, cols=2).cell(0, 0).text = OLD_BODY
    if drop_headings:
        styles = template.styles.element
        for style in list(styles):
            name = style.find(qn("w:name"))
            if name is not None and str(name.get(qn("w:val"))).startswith("heading"):
                styles.remove(style)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def document(*, landscape: bool = False, page_numbers: bool = True) -> Document:
    return Document(
        kind="plan",
        title="มาตรการส่งเสริมคุณธรรม",
        agency="เทศบาลตำบลตัวอย่าง",
        fiscal_year=2566,
        blocks=(
            Heading("มาตรการส่งเสริมคุณธรรม", 1),
            Paragraph(runs(BODY)),
            Signature("นางสาวตัวอย่าง ใจดี", ("นิติกร",)),
        ),
        page=Page(top=1.5, bottom=2.0, left=3.0, right=2.0, landscape=landscape),
        page_numbers=page_numbers,
    )


def cm(value: int | None) -> float:
    """An EMU length in cm to 0.01 (DOCX stores twips)."""
    assert value is not None
    return round(value / 360000, 2)


def body_text(out: docx.document.Document) -> str:
    return "\n".join(plain(p) for p in out.paragraphs) + "\n".join(
        plain(c) for t in out.tables for r in t.rows for c in r.cells
    )


def test_template_keeps_header_footer_and_margins_and_has_our_body() -> None:
    out = docx.Document(io.BytesIO(render_docx(document(), template=letterhead())))
    assert len(out.sections) == 1
    section = out.sections[0]
    assert section.header.paragraphs[0].text == HEADER
    assert FOOTER in [p.text for p in section.footer.paragraphs]
    assert (cm(section.page_width), cm(section.page_height)) == (21.0, 29.7)
    assert (cm(section.left_margin), cm(section.right_margin)) == (3.5, 1.5)
    assert (cm(section.top_margin), cm(section.bottom_margin)) == (2.5, 2.0)
    text = body_text(out)
    assert BODY in text and "นางสาวตัวอย่าง ใจดี" in text
    assert OLD_BODY not in text and not out.tables
    assert out.paragraphs[0].style is not None and out.paragraphs[0].style.name == "Heading 1"


def test_our_runs_are_still_thai() -> None:
    out = docx.Document(io.BytesIO(render_docx(document(), template=letterhead())))
    par = next(p for p in out.paragraphs if plain(p) == BODY)
    rpr = par.runs[0]._r.rPr
    assert rpr is not None
    fonts = rpr.find(qn("w:rFonts"))
    assert fonts is not None and fonts.get(qn("w:cs")) == "Sarabun"
    lang = rpr.find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:bidi")) == "th-TH"


def test_page_number_is_added_below_the_template_footer() -> None:
    out = docx.Document(io.BytesIO(render_docx(document(), template=letterhead())))
    footer = out.sections[0].footer
    assert footer.paragraphs[0].text == FOOTER
    assert "PAGE" in footer._element.xml
    without = docx.Document(
        io.BytesIO(render_docx(document(page_numbers=False), template=letterhead()))
    )
    assert "PAGE" not in without.sections[0].footer._element.xml


def test_first_page_letterhead_is_kept() -> None:
    out = docx.Document(io.BytesIO(render_docx(document(), template=letterhead(first_page=True))))
    section = out.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == FIRST_PAGE
    assert section.header.paragraphs[0].text == HEADER


def test_landscape_document_turns_the_template_page() -> None:
    out = docx.Document(io.BytesIO(render_docx(document(landscape=True), template=letterhead())))
    section = out.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (cm(section.page_width), cm(section.page_height)) == (29.7, 21.0)
    assert cm(section.left_margin) == 3.5
    assert section.header.paragraphs[0].text == HEADER


def test_template_without_heading_styles_gets_them() -> None:
    out = docx.Document(
        io.BytesIO(render_docx(document(), template=letterhead(drop_headings=True)))
    )
    heading = out.paragraphs[0]
    assert heading.style is not None and heading.style.name == "Heading 1"
    assert "<w:outlineLvl" in heading.style.element.xml


def test_without_template_nothing_changes() -> None:
    out = docx.Document(io.BytesIO(render_docx(document())))
    section = out.sections[0]
    assert (cm(section.left_margin), cm(section.top_margin)) == (3.0, 1.5)
    assert HEADER not in section.header._element.xml
