"""The native PDF renderer: text layer of Thai clusters, tables across pages, page numbers,
metadata, figures, landscape, determinism."""

from __future__ import annotations

import io
import re
import subprocess
import zlib
from pathlib import Path

import pytest

from openita.documents import pdf
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
    runs,
)
from openita.documents.pdfnative import render_pdf
from tests.documents.conftest import AGENCY, needs_pdf, pdf_text, squash

pytestmark = needs_pdf

# Words whose marks stack, reorder or change the base's form: each must come out of pdftotext
# exactly once and unchanged.
CLUSTERS = [
    "นั้น",
    "ที่",
    "ผู้",
    "กำ",
    "ปี่",
    "น้ำ",
    "ปั้น",
    "ฎุ",
    "ฏุ",
    "ฐุ",
    "ญู",
    "ฐาน",
    "กฎ",
    "ปฏิบัติ",
    "สัญญา",
    "ธรรมาภิบาล",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ประสิทธิภาพ",
    "ปี่แก้วน้ำค้าง",
    "office fi 12.5",
]


def _doc(*blocks, **kwargs) -> Document:
    return Document("analysis", "ทดสอบ", AGENCY, 2566, tuple(blocks), **kwargs)


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    return pdf_text(data, tmp_path).split("\f")


def _info(data: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    }


@pytest.mark.parametrize("raw", [True, False])
def test_clusters_round_trip_exactly(raw, tmp_path):
    """Each word alone on its line: the extracted line is the word, character for character
    (no doubled marks, no lost sara am, descender-less bases read as themselves)."""
    blocks = [Paragraph(runs(w), indent=False) for w in CLUSTERS]
    blocks += [Paragraph((Run(w, bold=True),), indent=False) for w in CLUSTERS[:8]]
    text = pdf_text(render_pdf(_doc(*blocks, page_numbers=False)), tmp_path, raw=raw)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert lines == [*CLUSTERS, *CLUSTERS[:8]]


def test_marks_are_positioned_by_the_font(tmp_path):
    """GSUB and GPOS are applied: the short tone mark over an upper vowel, the base without its
    descender under a lower vowel, and the mark glyphs are drawn (not only the text layer)."""
    from openita.documents.pdfnative.fonts import face, piece

    f = face("Regular")
    names = {
        v: k
        for k, v in enumerate(
            __import__("fontTools.ttLib").ttLib.TTFont(io.BytesIO(f.data)).getGlyphOrder()
        )
    }
    assert names["uni0E49.small"] in piece("Regular", 16, "นั้น").gids  # mai tho, small form
    assert names["thoThanthai.less"] in piece("Regular", 16, "ฐุ").gids  # no descender
    assert f.cmap[ord("ฐ")] not in piece("Regular", 16, "ฐุ").gids
    ops = piece("Regular", 16, "น้ำ").ops
    assert "/ActualText" in ops  # sara am is decomposed and reordered: given as a whole


def test_table_breaks_across_pages_with_its_header(tmp_path):
    columns = (Column("ลำดับที่", 20, "center"), Column("รายการตรวจสอบ", 80))
    rows = tuple(
        (Cell(runs(str(n)), "center"), Cell(runs(f"รายการที่ {n} ของการตรวจสอบ")))
        for n in range(1, 81)
    )
    data = render_pdf(_doc(Table(columns, rows, caption="ตารางทดสอบ")))
    pages = [squash(p) for p in _pages(data, tmp_path) if p.strip()]
    assert len(pages) >= 3
    for page in pages:
        assert squash("ลำดับที่รายการตรวจสอบ") in page  # the header, on every page
    assert squash("ตารางทดสอบ") in pages[0] and squash("ตารางทดสอบ") not in pages[1]
    every = "".join(pages)
    for n in range(1, 81):  # each row once, whole
        assert every.count(squash(f"รายการที่ {n} ของการตรวจสอบ")) == 1


def test_a_row_taller_than_a_page_is_split(tmp_path):
    lines = tuple(runs(f"ขั้นตอนที่ {n}") for n in range(1, 90))
    row = (Cell(runs("ยาว"), lines=lines), Cell(runs("สั้น")))
    data = render_pdf(_doc(Table((Column("ก", 50), Column("ข", 50)), (row,))))
    pages = _pages(data, tmp_path)
    assert len([p for p in pages if p.strip()]) >= 2
    every = squash("".join(pages))
    for n in range(1, 90):
        assert squash(f"ขั้นตอนที่ {n}") in every


def test_page_numbers_arabic_and_thai(tmp_path):
    blocks = (Paragraph(runs("หน้าแรก")), PageBreak(), Paragraph(runs("หน้าที่สอง")))
    pages = _pages(render_pdf(_doc(*blocks)), tmp_path)
    assert "- 1 -" in pages[0] and "- 2 -" in pages[1]
    thai = _pages(render_pdf(_doc(*blocks, thai_digits=True)), tmp_path)
    assert "- ๑ -" in thai[0] and "- ๒ -" in thai[1]
    none = _pages(render_pdf(_doc(*blocks, page_numbers=False)), tmp_path)
    assert "- 1 -" not in none[0]


def test_metadata_and_outline(tmp_path):
    doc = _doc(
        Heading("บทที่หนึ่ง"),
        Heading("ส่วนย่อย", level=2),
        Paragraph(runs("เนื้อความ")),
        subject="ita-2566",
        keywords=("ITA", "ทดสอบ"),
    )
    data = render_pdf(doc)
    info = _info(data, tmp_path)
    assert info["Title"] == "ทดสอบ"
    assert info["Author"] == AGENCY
    assert info["Subject"] == "ita-2566"
    assert info["Keywords"] == "ITA, ทดสอบ"
    assert info["Page size"].startswith("595.28 x 841.89")
    assert b"/Lang(th-TH)" in data
    assert b"/Outlines" in data and b"/Count 2" in data
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "info.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"[A-Z]{6}\+Sarabun-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes", fonts)


def test_landscape_and_margins(tmp_path):
    doc = _doc(Paragraph(runs("แนวนอน")), page=Page(2.0, 1.8, 2.0, 2.0, landscape=True))
    info = _info(render_pdf(doc), tmp_path)
    assert info["Page size"].startswith("841.89 x 595.28")


def _png(width: int, height: int, mode: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    color = {"RGB": (200, 30, 30), "RGBA": (200, 30, 30, 128), "L": 90, "P": 3}[mode]
    Image.new(mode, (width, height), color).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_figure_is_embedded_with_caption(mode, tmp_path):
    fig = Figure(_png(40, 20, mode), width_cm=8.0, caption="ภาพที่ 1 กราฟทดสอบ", alt="กราฟ")
    data = render_pdf(_doc(fig))
    path = tmp_path / "fig.pdf"
    path.write_bytes(data)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    images = [ln for ln in listing.splitlines()[2:] if ln.strip()]
    assert images and images[0].split()[3:5] == ["40", "20"]
    assert ("smask" in listing) == (mode == "RGBA")
    assert squash("ภาพที่ 1 กราฟทดสอบ") in squash(pdf_text(data, tmp_path))


def test_every_block_kind_renders(tmp_path):
    sig = Signature("นายทดสอบ ระบบ", ("ปลัดเทศบาล",))
    blocks = (
        MemoHead(
            "สำนักปลัด",
            "๑/๒๕๖๖",
            "3 เมษายน 2566",
            "ทดสอบ",
            "นายกเทศมนตรี",
            emblem_png=_png(30, 30, "RGB"),
        ),
        BulletList((runs("ข้อแรก"), runs("ข้อสอง")), marker="❖"),
        BulletList((runs("หนึ่ง"), runs("สอง")), marker="1."),
        Spacer(2),
        Paragraph((Run("ขีดเส้นใต้", underline=True), Run(" เอียง", italic=True))),
        Comment(sig, "เห็นควรอนุมัติ"),
        Approval("คำสั่ง", sig, decision="approved"),
        sig,
    )
    data = render_pdf(_doc(*blocks))
    assert data.count(b"/Subtype/Image") == 1  # the emblem
    text = squash(pdf_text(data, tmp_path))
    for phrase in ("บันทึกข้อความ", "ส่วนราชการ", "❖ข้อแรก", "2.สอง", "ขีดเส้นใต้เอียง"):
        assert squash(phrase) in text, phrase
    for phrase in ("ความเห็นเห็นควรอนุมัติ", "☑เห็นชอบและอนุมัติ", "☐ไม่เห็นชอบ", "(นายทดสอบระบบ)"):
        assert squash(phrase) in text, phrase


def test_same_bytes_in_a_fresh_process():
    """What a process rendered before does not change the output (the text layer's mapping
    is fixed per font, not learned along the way)."""
    import sys

    blocks = ", ".join(f"Paragraph(runs({w!r}))" for w in CLUSTERS)
    code = (
        "import sys\n"
        "from openita.documents.model import Document, Paragraph, runs\n"
        "from openita.documents.pdfnative import render_pdf\n"
        f"doc = Document('analysis', 'ทดสอบ', {AGENCY!r}, 2566, ({blocks},))\n"
        "sys.stdout.buffer.write(render_pdf(doc))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    render_pdf(_doc(*(Paragraph(runs(w * 3)) for w in CLUSTERS)))  # this process has seen more
    here = render_pdf(_doc(*(Paragraph(runs(w)) for w in CLUSTERS)))
    assert fresh == here


def test_output_is_deterministic_and_subset(analysis_document):
    first = render_pdf(analysis_document)
    assert render_pdf(analysis_document) == first
    assert len(first) < 400_000  # fonts subset, charts compressed
    streams = re.findall(rb"/Length1? (\d+)>>stream", first)
    assert streams


def test_long_words_never_overflow_a_narrow_cell(tmp_path):
    cell = Cell(runs("https://www.bansong.go.th/ita/2566/ผู้รับผิดชอบดำเนินการแล้ว"))
    doc = _doc(Table((Column("ก", 10), Column("ข", 90)), ((cell, Cell(runs("x"))),)))
    text = squash(pdf_text(render_pdf(doc), tmp_path))
    assert squash("https://www.bansong.go.th/ita/2566/ผู้รับผิดชอบดำเนินการแล้ว") in text


def test_engine_switch(monkeypatch, analysis_document):
    monkeypatch.delenv("OPENITA_PDF_ENGINE", raising=False)
    assert pdf.engine() == "native"
    assert b"OpenITA native PDF" in pdf.render_pdf(analysis_document)
    monkeypatch.setenv("OPENITA_PDF_ENGINE", "chromium")
    assert pdf.engine() == "chromium"
    monkeypatch.setenv("OPENITA_PDF_ENGINE", "typst")
    with pytest.raises(pdf.PdfUnavailable, match="OPENITA_PDF_ENGINE"):
        pdf.engine()


def test_content_streams_are_compressed(analysis_document):
    data = render_pdf(analysis_document)
    assert b"BT 1 0 0 1" not in data  # text operators only inside Flate streams
    streams = re.findall(rb"<<([^<>]*)/Length (\d+)>>stream\n", data)
    assert streams and all(b"/Filter/FlateDecode" in attrs for attrs, _ in streams)
    start = data.index(b"stream\n") + 7
    length = int(streams[0][1])
    assert zlib.decompress(data[start : start + length])


def test_a_group_row_stays_with_the_row_under_it(tmp_path):
    columns = (Column("รายการ", 70), Column("ผล", 30))
    rows = []
    for n in range(1, 61):
        if n % 4 == 1:
            rows.append((Cell(runs(f"กลุ่มที่ {n // 4 + 1}"), shade="group", colspan=2),))
        rows.append((Cell(runs(f"แถวที่ {n}")), Cell(runs("ผ่าน"))))
    for shift in range(12):  # the rows fall differently on the pages each time
        doc = _doc(Spacer(shift * 0.25), Table(columns, tuple(rows)))
        pages = _pages(render_pdf(doc), tmp_path)
        assert len([p for p in pages if p.strip()]) >= 2
        for page in pages:
            lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
            lines = [ln for ln in lines if not ln.startswith("-")]
            if lines:
                assert not lines[-1].startswith("กลุ่มที่"), (shift, lines[-1])


def test_no_break_spaces_keep_dates_and_units_on_one_line() -> None:
    # Paragraphs turn the spaces of พ.ศ. 2566, ตุลาคม 2565, รอบ 6 and 11 มาตรการ into no-break
    # spaces; the renderer must not break there, whatever the line length.
    text = "ประจำปีงบประมาณ พ.ศ. 2566 รอบ 6 เดือน (ตุลาคม 2565 – มีนาคม 2566) จำนวน 11 มาตรการ"
    blocks = tuple(Paragraph(runs("ก" * k + " " + "ทดสอบ " * (k % 9) + text)) for k in range(40))
    doc = Document(kind="plan", title="t", agency=AGENCY, fiscal_year=2566, blocks=blocks)
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=render_pdf(doc), capture_output=True, check=True
    ).stdout.decode()
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    ends = ("พ.ศ.", "ตุลาคม", "มีนาคม", "รอบ", " 11", " 6")
    assert [line for line in lines if line.endswith(ends)] == []
    assert sum("มาตรการ" in line for line in lines) == 40  # every paragraph came out
