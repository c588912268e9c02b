"""DOCX renderer: every block kind, re-opened with python-docx and checked at the XML level."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from openita.documents.docx import render_docx
from openita.documents.model import (
    Approval,
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
    Run,
    Signature,
    Spacer,
    Table,
    cell,
    runs,
)
from tests.documents.conftest import plain

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
JUSTIFIED = "ตามที่ เทศบาลตำบลเซกา ได้ดำเนินการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส"
FIGURE_ALT = "กราฟแท่งคะแนนรายตัวชี้วัด i1 ถึง i10"
ROWS = 40


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG written by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def signature(name: str) -> Signature:
    return Signature(name=name, positions=("หัวหน้าสำนักปลัด", "รักษาราชการแทนปลัดเทศบาล"))


def big_table() -> Table:
    rows: list[tuple[Cell, ...]] = [
        (cell("หมวดการใช้อำนาจ", shade="group", colspan=3),),
    ]
    for n in range(1, ROWS):
        rows.append(
            (
                cell(f"i{n}", "center"),
                Cell(
                    runs(f"ตัวชี้วัดที่ {n} การปฏิบัติหน้าที่"),
                    lines=(runs(f"ขั้นตอนที่ {n}.1 ประชุมชี้แจง"),) if n == 2 else (),
                ),
                cell(f"{80 + n / 10:.2f}", "right", shade="good" if n == 1 else None),
            )
        )
    return Table(
        columns=(
            Column("ตัวชี้วัด", 15, "center"),
            Column("ประเด็น", 65),
            Column("คะแนน", 20, "right"),
        ),
        rows=tuple(rows),
        caption="ตารางที่ ๑ คะแนนรายตัวชี้วัด",
        note="หมายเหตุ: คะแนนเต็ม ๑๐๐",
    )


def full_document(**kwargs: object) -> Document:
    blocks = (
        MemoHead(
            unit="สำนักปลัด เทศบาลตำบลเซกา อำเภอเซกา จังหวัดบึงกาฬ",
            reference="บก ๗๑๒๐๑/๑๒๓",
            date="๓ เมษายน ๒๕๖๖",
            subject="รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส",
            to="นายกเทศมนตรีตำบลเซกา",
        ),
        Heading("รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", level=1),
        Heading("ส่วนที่ ๑ บทนำ", level=2),
        Heading("๑.๑ ความเป็นมา", level=3),
        Paragraph(runs(JUSTIFIED)),
        Paragraph(
            runs("คะแนนรวม ", Run("90.52", bold=True), " คะแนน ", Run("ระดับ A", italic=True)),
            align="left",
            indent=False,
            keep_with_next=True,
        ),
        Paragraph(runs("ที่มา: สำนักงาน ป.ป.ช."), align="right", size="small"),
        BulletList((runs("ข้อแรก"), runs("ข้อที่สอง"))),
        BulletList((runs("มาตรการที่หนึ่ง"), runs("มาตรการที่สอง")), marker="1."),
        BulletList((runs("ประเด็นเด่น"),), marker="❖"),
        big_table(),
        Figure(png=tiny_png(), width_cm=8.0, caption="แผนภาพที่ ๑ คะแนน", alt=FIGURE_ALT),
        Signature(name="นางสาวพิไลพร อะปะหัง", positions=("นิติกร ปฏิบัติการ",)),
        PageBreak(),
        Comment(signature=signature("นางสาวกัญชพร เชื้อนพงษ์"), text="เห็นควรอนุมัติ"),
        Comment(signature=signature("นางจันทร์เพ็ญ เชื้อนพงษ์")),
        Spacer(2),
        Approval(
            title="คำสั่งของนายกเทศมนตรีตำบลเซกา",
            signature=Signature(name="นายทิมพร วรรณภูมิ", positions=("นายกเทศมนตรีตำบลเซกา",)),
            decision="rejected",
            reason="ขอให้ทบทวนเป้าหมาย",
        ),
        MemoHead(
            unit="กองคลัง",
            reference="บก ๗๑๒๐๑/๔๕๖",
            date="๑ ตุลาคม ๒๕๖๖",
            subject="ขออนุมัติแผน",
            to="ปลัดเทศบาล",
            emblem_png=tiny_png(10, 12),
        ),
        Approval(
            title="คำสั่งของนายกเทศมนตรี",
            signature=Signature(name="นายเอ บี", positions=("นายก",)),
            decision="approved",
        ),
    )
    return Document(
        kind="memo",
        title="บันทึกข้อความ รายงานผล ITA",
        agency="เทศบาลตำบลเซกา",
        fiscal_year=2566,
        blocks=blocks,
        subject="ITA 2566",
        keywords=("ITA", "คุณธรรม"),
        **kwargs,  # type: ignore[arg-type]
    )


def twips(value: int | None) -> int:
    assert value is not None
    return round(value / 635)


def same_length(value: int | None, cm: float) -> bool:
    """Equal to ``cm`` within a twip (Word stores page sizes and indents in twips)."""
    return abs(twips(value) - Cm(cm).twips) <= 1


def reopen(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def xml_part(data: bytes, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def table_texts(table: DocxTable) -> list[str]:
    out: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for c in row.cells:
            if id(c._tc) not in seen:
                seen.add(id(c._tc))
                out += [plain(p) for p in c.paragraphs]
    return out


def body_texts(out: DocxDocument) -> list[str]:
    texts: list[str] = []
    for item in out.iter_inner_content():
        if isinstance(item, DocxParagraph):
            texts.append(plain(item))
        else:
            texts += table_texts(item)
    return texts


@pytest.fixture(scope="module")
def model() -> Document:
    return full_document()


@pytest.fixture(scope="module")
def data(model: Document) -> bytes:
    return render_docx(model)


@pytest.fixture(scope="module")
def body(data: bytes) -> etree._Element:
    return xml_part(data)


def test_is_a_docx(data: bytes) -> None:
    assert data[:2] == b"PK"
    reopen(data)


def test_every_text_in_order(model: Document, data: bytes) -> None:
    joined = "\n".join(body_texts(reopen(data)))
    position = 0
    for text in model.text_blocks():
        found = joined.find(text, position)
        assert found >= 0, f"missing or out of order: {text!r}"
        position = found + len(text)


def test_table_rows_header_and_breaks(data: bytes) -> None:
    table = reopen(data).tables[0]
    assert len(table.rows) == ROWS + 1
    header = table.rows[0]._tr
    assert header.find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert [plain(c) for c in table.rows[0].cells] == ["ตัวชี้วัด", "ประเด็น", "คะแนน"]
    # rows may break across pages, except a row across the whole table (a group's title)
    for row in table.rows:
        spanning = len({id(c._tc) for c in row.cells}) == 1
        assert bool(row._tr.xpath("./w:trPr/w:cantSplit")) is spanning
    header_runs = table.rows[0].cells[0].paragraphs[0].runs
    assert all(r.bold for r in header_runs)


def test_table_borders_widths_shading_and_colspan(data: bytes, body: etree._Element) -> None:
    tbl = body.find(f".//{w('tbl')}")
    assert tbl is not None
    borders = tbl.find(f"{w('tblPr')}/{w('tblBorders')}")
    assert borders is not None
    assert {b.get(w("val")) for b in borders} == {"single"}
    assert {b.get(w("color")) for b in borders} == {"000000"}
    fills = [s.get(w("fill")) for s in tbl.iter(w("shd"))]
    assert fills.count("D9D9D9") == 3  # the header row
    assert "E2EFDA" in fills and "DDEBF7" in fills
    spans = [s.get(w("val")) for s in tbl.iter(w("gridSpan"))]
    assert spans == ["3"]
    grid = [int(g.get(w("w"), "0")) for g in tbl.iter(w("gridCol"))]
    text_width = Cm(21.0 - 3.0 - 2.0).twips
    assert abs(sum(grid) - text_width) <= 3
    assert abs(grid[1] - round(text_width * 0.65)) <= 2
    group_row = reopen(data).tables[0].rows[1]
    assert plain(group_row.cells[0]) == "หมวดการใช้อำนาจ"


def test_cell_lines_and_alignment(data: bytes) -> None:
    table = reopen(data).tables[0]
    steps = table.rows[3].cells[1].paragraphs
    assert [plain(p) for p in steps] == ["ตัวชี้วัดที่ 2 การปฏิบัติหน้าที่", "ขั้นตอนที่ 2.1 ประชุมชี้แจง"]
    score = table.rows[2].cells[2].paragraphs[0]
    assert score._p.xpath("./w:pPr/w:jc/@w:val") == ["right"]


def test_every_run_is_thai_sarabun(body: etree._Element) -> None:
    run_list = list(body.iter(w("r")))
    assert len(run_list) > 100
    for r in run_list:
        rpr = r.find(w("rPr"))
        assert rpr is not None
        fonts = rpr.find(w("rFonts"))
        assert fonts is not None
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(w(slot)) == "Sarabun"
        assert rpr.find(w("sz")) is not None
        assert rpr.find(w("szCs")) is not None
        lang = rpr.find(w("lang"))
        assert lang is not None and lang.get(w("bidi")) == "th-TH"


def test_bold_and_italic_runs_have_complex_script_twins(body: etree._Element) -> None:
    bold = [r for r in body.iter(w("rPr")) if r.find(w("b")) is not None]
    italic = [r for r in body.iter(w("rPr")) if r.find(w("i")) is not None]
    assert bold and italic
    assert all(r.find(w("bCs")) is not None for r in bold)
    assert all(r.find(w("iCs")) is not None for r in italic)


def test_run_properties_in_schema_order(body: etree._Element) -> None:
    order = ["rFonts", "b", "bCs", "i", "iCs", "color", "sz", "szCs", "u", "lang"]
    for rpr in body.iter(w("rPr")):
        names = [etree.QName(child).localname for child in rpr]
        known = [n for n in names if n in order]
        assert known == sorted(known, key=order.index)


def test_normal_style_and_headings(data: bytes) -> None:
    styles = xml_part(data, "word/styles.xml")
    for style_id in ("Normal", "Heading1", "Heading2", "Heading3"):
        style = styles.find(f"{w('style')}[@{w('styleId')}='{style_id}']")
        assert style is not None
        fonts = style.find(f"{w('rPr')}/{w('rFonts')}")
        assert fonts is not None and fonts.get(w("cs")) == "Sarabun"
        assert fonts.get(w("asciiTheme")) is None and fonts.get(w("cstheme")) is None
        assert style.find(f"{w('rPr')}/{w('szCs')}") is not None
        lang = style.find(f"{w('rPr')}/{w('lang')}")
        assert lang is not None and lang.get(w("val")) == "th-TH"
        if style_id != "Normal":
            color = style.find(f"{w('rPr')}/{w('color')}")
            assert color is not None and color.get(w("val")) == "000000"
            assert color.get(w("themeColor")) is None
            assert style.find(f"{w('rPr')}/{w('bCs')}") is not None
    normal = styles.find(f"{w('style')}[@{w('styleId')}='Normal']")
    assert normal is not None
    spacing = normal.find(f"{w('pPr')}/{w('spacing')}")
    assert spacing is not None and spacing.get(w("line")) == "240"
    sizes = {
        sid: styles.find(f"{w('style')}[@{w('styleId')}='{sid}']/{w('rPr')}/{w('sz')}")
        for sid in ("Normal", "Heading1", "Heading2", "Heading3")
    }
    assert {k: v.get(w("val")) for k, v in sizes.items() if v is not None} == {
        "Normal": "32",
        "Heading1": "40",
        "Heading2": "34",
        "Heading3": "32",
    }


def test_headings_use_word_heading_styles(data: bytes) -> None:
    paragraphs = reopen(data).paragraphs
    styled = {plain(p): p.style.name for p in paragraphs if p.style is not None}
    # พ.ศ. stays with its year: a no-break space between them
    assert styled["รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๖"] == "Heading 1"
    assert styled["ส่วนที่\u00a0๑ บทนำ"] == "Heading 2"
    assert styled["๑.๑ ความเป็นมา"] == "Heading 3"


def test_justified_paragraph_is_thai_distributed(data: bytes) -> None:
    paragraphs = {plain(p): p for p in reopen(data).paragraphs}
    justified = paragraphs[JUSTIFIED]._p
    assert justified.xpath("./w:pPr/w:jc/@w:val") == ["thaiDistribute"]
    indent = justified.xpath("./w:pPr/w:ind/@w:firstLine")
    assert indent == [str(Cm(2.5).twips)]  # the memo's 2.5 cm
    small = paragraphs["ที่มา: สำนักงาน ป.ป.ช."]
    assert small.alignment is not None and small.runs[0].font.size is not None
    assert small.runs[0].font.size.pt == 14
    assert paragraphs["คะแนนรวม 90.52 คะแนน ระดับ A"].paragraph_format.keep_with_next


def test_bullets(data: bytes) -> None:
    texts = [plain(p) for p in reopen(data).paragraphs]
    assert "-\tข้อแรก" in texts
    assert "1.\tมาตรการที่หนึ่ง" in texts and "2.\tมาตรการที่สอง" in texts
    assert "❖\tประเด็นเด่น" in texts
    par = next(p for p in reopen(data).paragraphs if plain(p) == "-\tข้อแรก")
    fmt = par.paragraph_format
    assert fmt.first_line_indent is not None and fmt.first_line_indent < 0
    assert fmt.left_indent is not None and fmt.left_indent > 0


def test_a4_and_margins(data: bytes) -> None:
    section = reopen(data).sections[0]
    assert same_length(section.page_width, 21.0) and same_length(section.page_height, 29.7)
    assert same_length(section.top_margin, 2.5) and same_length(section.bottom_margin, 2.0)
    assert same_length(section.left_margin, 3.0) and same_length(section.right_margin, 2.0)


def test_landscape() -> None:
    page = Page(top=1.5, bottom=1.5, left=2.0, right=2.0, landscape=True)
    section = reopen(render_docx(full_document(page=page))).sections[0]
    assert same_length(section.page_width, 29.7) and same_length(section.page_height, 21.0)
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert same_length(section.left_margin, 2.0) and same_length(section.top_margin, 1.5)


def test_images_with_alt_text(data: bytes, body: etree._Element) -> None:
    out = reopen(data)
    assert len(out.inline_shapes) == 2  # the figure and the second memo's emblem
    figure = out.inline_shapes[0]
    assert figure.width == Cm(8.0)
    assert abs(out.inline_shapes[1].height - Cm(1.5)) < Cm(0.01)
    descriptions = [d.get("descr") for d in body.iter(f"{{{NS['wp']}}}docPr")]
    assert descriptions[0] == FIGURE_ALT
    caption = next(p for p in out.paragraphs if plain(p) == "แผนภาพที่ ๑ คะแนน")
    assert caption._p.xpath("./w:pPr/w:jc/@w:val") == ["center"]


def test_memo_heads(data: bytes) -> None:
    paragraphs = reopen(data).paragraphs
    titles = [p for p in paragraphs if plain(p).endswith("บันทึกข้อความ")]
    assert len(titles) == 2
    for title in titles:
        run = title.runs[-1]
        assert run.bold and run.font.size is not None and run.font.size.pt == 29
        rule = title._p.xpath("./w:pPr/w:spacing/@w:lineRule")
        assert rule == ["atLeast"]  # the emblem's space is kept without an emblem
    assert not titles[0]._p.xpath(".//w:drawing")
    assert titles[1]._p.xpath(".//w:drawing")
    texts = [plain(p) for p in paragraphs]
    assert any(t.startswith("ส่วนราชการ สำนักปลัด") for t in texts)
    line = next(t for t in texts if t.startswith("ที่ บก ๗๑๒๐๑/๑๒๓"))
    assert "\tวันที่ ๓ เมษายน ๒๕๖๖" in line
    unit = next(p for p in paragraphs if plain(p).startswith("ส่วนราชการ"))
    assert unit.runs[0].bold and not unit.runs[1].bold


def test_signatures_and_comments(data: bytes) -> None:
    paragraphs = reopen(data).paragraphs
    name = next(p for p in paragraphs if plain(p) == "(นางสาวพิไลพร อะปะหัง)")
    assert same_length(name.paragraph_format.left_indent, 8.0)
    assert name._p.xpath("./w:pPr/w:jc/@w:val") == ["center"]
    texts = [plain(p) for p in paragraphs]
    sign = texts.index("(นางสาวพิไลพร อะปะหัง)") - 1
    assert texts[sign].startswith("(ลงชื่อ)....")
    assert "ความเห็น เห็นควรอนุมัติ" in texts
    empty = next(p for p in paragraphs if plain(p) == "ความเห็น \t")
    assert empty._p.xpath("./w:pPr/w:tabs/w:tab/@w:leader") == ["dot"]


def test_approval_check_boxes(data: bytes) -> None:
    texts = [plain(p) for p in reopen(data).paragraphs]
    assert "☐ เห็นชอบและอนุมัติ" in texts
    assert "☑ ไม่เห็นชอบ เนื่องจาก ขอให้ทบทวนเป้าหมาย" in texts
    assert "☑ เห็นชอบและอนุมัติ" in texts  # the second approval
    assert "☐ ไม่เห็นชอบ เนื่องจาก \t" in texts  # a dotted line for the reason
    title = next(p for p in reopen(data).paragraphs if plain(p) == "คำสั่งของนายกเทศมนตรีตำบลเซกา")
    assert title.runs[0].bold


def test_page_break_and_spacer(body: etree._Element) -> None:
    assert len(body.findall(f".//{w('br')}[@{w('type')}='page']")) == 1


def test_core_properties(data: bytes) -> None:
    props = reopen(data).core_properties
    assert props.title == "บันทึกข้อความ รายงานผล ITA"
    assert props.subject == "ITA 2566"
    assert props.keywords == "ITA, คุณธรรม"
    assert props.language == "th-TH"
    assert props.author == "เทศบาลตำบลเซกา"
    assert "python-docx" not in props.comments
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]  # the template's preview


def footer_instructions(data: bytes, part: str = "footer") -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(f"word/{part}")]
        return [
            t.text or ""
            for n in names
            for t in etree.fromstring(archive.read(n)).iter(w("instrText"))
        ]


def as_kind(kind: str, **kwargs: object) -> Document:
    doc = full_document(**kwargs)
    return Document(kind, doc.title, doc.agency, doc.fiscal_year, doc.blocks, **kwargs)  # type: ignore[arg-type]


def test_page_numbers() -> None:
    data = render_docx(as_kind("plan"))
    assert [i.strip() for i in footer_instructions(data)] == ["PAGE"]
    footer = reopen(data).sections[0].footer.paragraphs[0]
    assert footer._p.xpath("./w:pPr/w:jc/@w:val") == ["center"]
    for rpr in footer._p.iter(w("rPr")):
        assert rpr.find(w("rFonts")) is not None and rpr.find(w("szCs")) is not None


def test_memo_page_numbers_from_page_two_at_the_top(data: bytes) -> None:
    # the correspondence regulation: no number on page 1, "- n -" centred at the top after
    assert footer_instructions(data) == []
    assert [i.strip() for i in footer_instructions(data, "header")] == ["PAGE"]
    section = reopen(data).sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" not in section.first_page_header._element.xml
    assert section.header.paragraphs[0]._p.xpath("./w:pPr/w:jc/@w:val") == ["center"]


def test_thai_page_numbers() -> None:
    # no "\* ThaiArabic" (LibreOffice shows ก ข ค for it): the section's number format
    data = render_docx(as_kind("plan", thai_digits=True))
    assert [i.strip() for i in footer_instructions(data)] == ["PAGE"]
    sect = reopen(data).sections[0]._sectPr
    assert sect.xpath("./w:pgNumType/@w:fmt") == ["thaiNumbers"]
    assert render_docx(as_kind("plan")).count(b"thaiNumbers") == 0


def test_no_page_numbers() -> None:
    assert footer_instructions(render_docx(as_kind("plan", page_numbers=False))) == []
    data = render_docx(full_document(page_numbers=False))
    assert footer_instructions(data, "header") == []


def test_memo_indent_and_plan_indent() -> None:
    for kind, cm in (("memo", 2.5), ("plan", 1.25)):
        paragraphs = {plain(p): p for p in reopen(render_docx(as_kind(kind))).paragraphs}
        indent = paragraphs[JUSTIFIED]._p.xpath("./w:pPr/w:ind/@w:firstLine")
        assert indent == [str(Cm(cm).twips)], kind


def test_converts_to_pdf_with_libreoffice(data: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; DOCX to PDF conversion not checked")
    source = tmp_path / "memo.docx"
    source.write_bytes(data)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "memo.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_group_rows_are_not_split_and_a_bare_title_keeps_with_the_next_row() -> None:
    title = Cell(runs("1. กลุ่มแรก"), colspan=2, shade="group")
    scored = Cell(runs("2. กลุ่มที่สอง"), colspan=2, shade="group", lines=(runs("คะแนน 90.00"),))
    rows = (
        (title,),
        (Cell(runs("มาตรการ ก")), Cell(runs("ผ่าน"))),
        (scored,),
        (Cell(runs("มาตรการ ข")), Cell(runs("ผ่าน"))),
    )
    doc = Document(
        kind="progress",
        title="ทดสอบ",
        agency="เทศบาลตำบลตัวอย่าง",
        fiscal_year=2566,
        blocks=(Table((Column("มาตรการ", 70), Column("สถานะ", 30)), rows),),
    )
    table = reopen(render_docx(doc)).tables[0]
    trs = [row._tr for row in table.rows]
    assert [bool(tr.xpath("./w:trPr/w:cantSplit")) for tr in trs] == [
        False,
        True,
        False,
        True,
        False,
    ]
    keeps = [bool(tr.xpath(".//w:pPr/w:keepNext")) for tr in trs]
    assert keeps == [False, True, False, False, False]
