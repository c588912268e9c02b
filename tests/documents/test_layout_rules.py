"""Layout rules of the documents: the Garuda keeps its proportions, no word is cut at a line
end (PDF, and DOCX as LibreOffice lays it out), memo conventions (labels, indent, page
numbers from page 2 at the top, the signature kept with the closing paragraph), table rows
split at a page foot rather than leaving it half empty, Thai digits everywhere."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import zlib

import docx
import pytest

from openita.documents import model as m
from openita.documents.docx import render_docx
from openita.documents.html import render_html, thai_words
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.pdfnative import render_pdf
from openita.documents.pdfnative.layout import Layout
from tests.documents.conftest import AGENCY, needs_pdf

pymupdf = pytest.importorskip("pymupdf")

from tests.documents.linebreaks import in_word_breaks, junctions, pdf_lines  # noqa: E402

CM = 72 / 2.54


def png(width: int, height: int) -> bytes:
    """A grey PNG of the given size (8-bit, no alpha)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def memo_head(emblem: bytes | None) -> m.MemoHead:
    return m.MemoHead(
        unit="สำนักปลัด " + AGENCY,
        reference="สฎ ๕๒๑๐๑/๑๒๓",
        date="๓ เมษายน ๒๕๖๖",
        subject="รายงานผลการดำเนินการตามมาตรการ",
        to="นายกเทศมนตรีตำบลบ้านส้อง",
        emblem_png=emblem,
    )


def memo(*blocks: m.Block, emblem: bytes | None = None, **kwargs: object) -> m.Document:
    return m.Document(
        "memo",
        "บันทึกข้อความ",
        AGENCY,
        2566,
        (memo_head(emblem), *blocks),
        page=m.Page(top=1.5, bottom=2.0, left=3.0, right=2.0),
        line_spacing=1.2,
        **kwargs,  # type: ignore[arg-type]
    )


def _content(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        return [b"".join(p.read_contents() for p in [page]).decode("latin-1") for page in opened]


# --- the Garuda -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 130), (260, 200), (50, 50)])
def test_emblem_keeps_its_proportions_in_pdf(size):
    width, height = size
    data = render_pdf(memo(emblem=png(width, height)))
    placed = re.findall(r"q ([\d.]+) 0 0 ([\d.]+) [\d.]+ [\d.]+ cm /Im\d+ Do Q", _content(data)[0])
    assert len(placed) == 1
    w, h = (float(v) for v in placed[0])
    assert h == pytest.approx(1.5 * CM, abs=0.01)
    assert w / h == pytest.approx(width / height, rel=0.01)


def test_emblem_keeps_its_proportions_in_docx_and_html():
    data = render_docx(memo(emblem=png(100, 130)), embed_sarabun=False)
    xml = docx.Document(io.BytesIO(data)).element.xml
    cx, cy = (int(v) for v in re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml).groups())
    assert cy == pytest.approx(540000, abs=400)  # 1.5 cm in EMU
    assert cx / cy == pytest.approx(100 / 130, rel=0.01)
    page = render_html(memo(emblem=png(100, 130)), fonts="none")
    rule = re.search(r"\.memo-title \.emblem\{([^}]*)\}", page)
    assert rule is not None and "height:1.5cm" in rule.group(1)
    assert "width:auto" in rule.group(1)  # its own proportions, not a square


def test_memo_without_emblem_keeps_its_head(tmp_path):
    with_emblem = Layout(memo(emblem=png(100, 130)))
    without = Layout(memo())
    a, b = with_emblem.memo_head(memo_head(png(100, 130))), without.memo_head(memo_head(None))
    assert a[0].height == pytest.approx(b[0].height)  # the same head, the emblem's space kept


# --- no word cut at a line end ----------------------------------------------------------------

# Compounds and long words, in columns too narrow for them at the table's size.
NARROW = [
    "ผลการดำเนินงาน",
    "ประชาสัมพันธ์",
    "ผู้รับผิดชอบ",
    "ดำเนินการ",
    "งบประมาณ",
    "ส่วนราชการ",
    "นายกเทศมนตรี",
    "อิเล็กทรอนิกส์",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ประสิทธิภาพ",
]


def _narrow_table() -> m.Table:
    """Four narrow columns holding the long words, a wide one with room to give."""
    columns = (*(m.Column(f"คอลัมน์ {k}", 8) for k in range(4)), m.Column("รายละเอียด", 68))
    rows = tuple(
        (
            *(m.cell(f"{NARROW[(k + j) % 10]} {NARROW[(k + 2 * j) % 10]}") for k in range(4)),
            m.cell("ข้อความสั้น"),
        )
        for j in range(6)
    )
    return m.Table(columns, rows, caption="ตารางทดสอบ")


def test_narrow_columns_break_no_word():
    doc = m.Document("plan", "ทดสอบ", AGENCY, 2566, (_narrow_table(),))
    pages = pdf_lines(render_pdf(doc))
    assert junctions(pages)  # there are line ends inside cells to check
    assert in_word_breaks(pages) == []


def test_checker_sees_a_cut_word():
    # the checker itself: a word cut (between its syllables) in a cell too narrow is found
    table = m.Table(
        tuple(m.Column("ก", 5) for _ in range(20)), (tuple(m.cell("ผู้รับผิดชอบ") for _ in range(20)),)
    )
    doc = m.Document("plan", "ทดสอบ", AGENCY, 2566, (table,))
    assert in_word_breaks(pdf_lines(render_pdf(doc)))


def test_a_word_wider_than_a_column_shrinks_the_table_or_widens_the_column():
    table = _narrow_table()
    layout = Layout(m.Document("plan", "ทดสอบ", AGENCY, 2566, (table,)))
    size, widths = layout.columns(table)
    assert sum(widths) == pytest.approx(layout.text_width)
    assert min(widths[:4]) > 0.08 * layout.text_width  # the narrow columns got room
    for row in table.rows:
        for k, c in enumerate(row):
            widest = layout.widest(c.content, size, False)
            assert widths[k] >= widest  # no word wider than its column


def test_a_word_that_fits_nowhere_is_cut_between_syllables():
    from pythainlp.tokenize import syllable_tokenize

    word = "ผู้มีส่วนได้ส่วนเสีย" * 3
    doc = m.Document(
        "plan",
        "ทดสอบ",
        AGENCY,
        2566,
        (m.Table((m.Column("ก", 5), m.Column("ข", 95)), ((m.cell(word), m.cell("x")),)),),
    )
    bounds = {0}
    for s in syllable_tokenize(word, engine="dict"):
        bounds.add(max(bounds) + len(s))
    pieces = []
    for lines in pdf_lines(render_pdf(doc)):
        pieces += [
            ln.text.strip() for ln in lines if ln.text.strip() and ln.text.strip()[0] in word
        ]
    at = 0
    for piece in pieces:
        if not word.startswith(piece, at):
            continue
        at += len(piece)
        assert at in bounds, piece  # every cut between two syllables
    assert at == len(word)


def _kinds(analysis_document, example_plan, thai):
    return {
        "analysis": analysis_document,
        "plan": plan_doc.build(example_plan, thai_digits=thai),
        "progress": progress_doc.build(example_plan, 6, thai_digits=thai),
        "memo": memo_doc.build(example_plan, 6, thai_digits=thai),
    }


@needs_pdf
def test_no_document_cuts_a_word(analysis_document, example_plan):
    for kind, doc in _kinds(analysis_document, example_plan, False).items():
        pages = pdf_lines(render_pdf(doc))
        assert len(junctions(pages)) > 20, kind
        assert in_word_breaks(pages, " ".join(doc.text_blocks())) == [], kind


def test_docx_carries_word_breaks():
    doc = m.Document("plan", "ทดสอบ", AGENCY, 2566, (m.Paragraph(m.runs("มาตรการส่งเสริมคุณธรรม")),))
    texts = [p.text for p in docx.Document(io.BytesIO(render_docx(doc))).paragraphs]
    words = [w for w in thai_words("มาตรการส่งเสริมคุณธรรม") if w]
    assert len(words) > 1
    # a zero-width space between words, word joiners inside them (LibreOffice breaks there
    # with its own dictionary otherwise)
    assert "\u200b".join(words) in [t.replace("\u2060", "") for t in texts]
    text = next(t for t in texts if "\u200b" in t)
    assert all("\u2060" in w for w in text.split("\u200b"))
    # a number in Thai digits stays whole too (LibreOffice cut ๒๕๖|๕)
    year = m.Document("plan", "ทดสอบ", AGENCY, 2566, (m.Paragraph(m.runs("ปี ๒๕๖๕")),))
    texts = [p.text for p in docx.Document(io.BytesIO(render_docx(year))).paragraphs]
    assert any("๒\u2060๕\u2060๖\u2060๕" in t for t in texts)


def test_docx_cells_have_top_and_bottom_padding():
    data = render_docx(m.Document("plan", "ทดสอบ", AGENCY, 2566, (_narrow_table(),)))
    xml = docx.Document(io.BytesIO(data)).tables[0]._tbl.xml
    for side in ("top", "bottom"):
        found = re.search(rf'<w:tblCellMar>.*?<w:{side} w:w="(\d+)"', xml, re.S)
        assert found is not None and int(found.group(1)) >= 20


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) missing")
def test_docx_laid_out_by_libreoffice_cuts_no_word(example_plan, tmp_path):
    paths = []
    for kind, doc in {
        "plan": plan_doc.build(example_plan),
        "progress": progress_doc.build(example_plan, 6),
        "narrow": m.Document("plan", "ทดสอบ", AGENCY, 2566, (_narrow_table(),)),
    }.items():
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(render_docx(doc))
        paths.append(path)
    profile = tmp_path / "profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for path in paths:
        pages = pdf_lines(path.with_suffix(".pdf").read_bytes())
        assert len(junctions(pages)) > 10, path.name
        assert in_word_breaks(pages) == [], path.name


# --- the memo ---------------------------------------------------------------------------------

BODY = (
    "เทศบาลตำบลบ้านส้องได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖ ครบถ้วนตามแผน และรายงานผลต่อผู้บริหารตามกำหนด "
)


def _page_texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        return [page.get_text() for page in opened]


def test_memo_signature_never_starts_a_page_alone():
    seen_two_pages = False
    for n in range(4, 30):
        closing = m.Paragraph(m.runs("จึงเรียนมาเพื่อโปรดทราบและพิจารณา"))
        paragraphs = [m.Paragraph(m.runs(BODY * 2)) for _ in range(n // 3)]
        paragraphs += [m.Paragraph(m.runs(BODY)) for _ in range(n % 3)]
        sig = m.Signature("นางสาวสุดารัตน์ ตัวอย่าง", ("นิติกรปฏิบัติการ",))
        pages = _page_texts(render_pdf(memo(*paragraphs, closing, sig)))
        seen_two_pages |= len(pages) > 1
        page = next(p for p in pages if "(ลงชื่อ)" in p)
        assert "โปรดทราบและพิจารณา" in page, n  # the closing paragraph moved with it
    assert seen_two_pages


def test_memo_page_numbers_from_page_two_at_the_top():
    doc = memo(*(m.Paragraph(m.runs(BODY * 3)) for _ in range(12)), thai_digits=True)
    data = render_pdf(doc)
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        assert opened.page_count >= 2
        for number, page in enumerate(opened, 1):
            found = [
                b for b in page.get_text("blocks") if re.fullmatch(r"-\s*[๐-๙]+\s*-", b[4].strip())
            ]
            if number == 1:
                assert found == []
                continue
            assert len(found) == 1
            x0, _, x1, y1, text = found[0][:5]
            assert text.split() == ["-", "๐๑๒๓๔๕๖๗๘๙"[number], "-"]
            assert y1 < 1.5 * CM  # in the top margin
            assert (x0 + x1) / 2 == pytest.approx(page.rect.width / 2 + (3.0 - 2.0) * CM / 2, abs=3)


def test_memo_labels_at_twenty_points_and_indent():
    doc = memo(m.Paragraph(m.runs(BODY)))
    data = render_pdf(doc)
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        spans = [
            s
            for b in opened[0].get_text("dict")["blocks"]
            for ln in b.get("lines", [])
            for s in ln["spans"]
        ]
    sizes = {s["text"].strip(): round(s["size"]) for s in spans if s["text"].strip()}
    for label in ("ส่วนราชการ", "ที่", "วันที่", "เรื่อง"):
        assert sizes.get(label) == 20, label
    assert sizes.get("บันทึกข้อความ") == 29
    body = next(s for s in spans if s["text"].startswith("เทศบาลตำบลบ้านส้อง"))
    assert body["bbox"][0] - 3.0 * CM == pytest.approx(2.5 * CM, abs=1)


# --- tables fill their pages ------------------------------------------------------------------


def test_a_row_that_does_not_fit_is_split_between_lines():
    long = " ".join(["ขั้นตอนการดำเนินงานตามมาตรการส่งเสริมคุณธรรม"] * 60)  # taller than a page
    rows = tuple((m.cell(f"มาตรการที่ {k}"), m.cell(long)) for k in range(3))
    table = m.Table((m.Column("มาตรการ", 30), m.Column("วิธีดำเนินการ", 70)), rows)
    doc = m.Document("progress", "ทดสอบ", AGENCY, 2566, (m.Paragraph(m.runs(BODY)), table))
    data = render_pdf(doc)
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        assert opened.page_count >= 2
        for page in list(opened)[:-1]:
            lowest = max(b[3] for b in page.get_text("blocks") if not b[4].startswith("-"))
            assert lowest > page.rect.height - 2.0 * CM - 40  # filled to its foot
    # every line of every row is there, once
    text = "".join("".join(_page_texts(data)).split())
    assert text.count("ขั้นตอนการดำเนินงานตามมาตรการส่งเสริมคุณธรรม") >= 180 - 2 * 4
    assert text.count("ขั้นตอน") == 180


def _group_table(sentence: str) -> m.Table:
    """A progress-like table: a group row (a title, with ``sentence`` under it when given)
    and tall measure rows."""
    steps = tuple(m.runs(f"- ขั้นตอนที่ {k} ดำเนินการตามแผนและรายงานผล") for k in range(8))
    title = m.runs(m.Run("1. แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)", bold=True))
    group = m.Cell(title, colspan=2, shade="group", lines=(m.runs(sentence),) if sentence else ())
    rows = [(group,)]
    rows += [(m.cell(f"มาตรการที่ {k}"), m.Cell(steps[0], lines=steps[1:])) for k in range(4)]
    return m.Table((m.Column("มาตรการ", 30), m.Column("วิธีดำเนินการ", 70)), tuple(rows))


SENTENCE = "ผลการประเมินแบบวัด IIT ได้ 93.10 คะแนน มาตรการในส่วนนี้มุ่งพัฒนาตัวชี้วัด " * 3


@pytest.mark.parametrize("sentence", [SENTENCE, ""])
def test_a_table_starts_on_the_page_where_its_header_and_a_row_fit(sentence):
    table = _group_table(sentence)
    step = 3 / 4 * 1.2 * 15  # the room left under the text shrinks by this much each time
    started, group_alone = [], []
    for shift in range(0, 36, 3):
        blocks = (*(m.Paragraph(m.runs(BODY)) for _ in range(7)), m.Spacer(shift / 4), table)
        doc = m.Document("progress", "ทดสอบ", AGENCY, 2566, blocks)
        with pymupdf.open(stream=render_pdf(doc), filetype="pdf") as opened:
            page = opened[0]
            text = page.get_text()
            if "1. แบบวัด" not in text:
                continue
            started.append(shift)
            group_alone.append("มาตรการที่ 0" not in text)
            lowest = max(d["rect"].y1 for d in page.get_drawings())
            foot = page.rect.height - doc.page.bottom * CM
    assert started and started[-1] < 33  # with the least room the table moves to page 2
    # the last time it started on page 1 it filled the page: it moved only when nothing fit
    assert foot - lowest < step + 1.35 * 15, (foot, lowest)
    # a group with two lines of its own may end a page (a heading with its paragraph), so
    # the table starts earlier; a bare title needs the first lines of the row under it
    assert any(group_alone) is bool(sentence)


def test_the_progress_report_table_starts_on_page_one(example_plan):
    # the header and the first group (IIT, with its scores) fit under the summary
    pages = _page_texts(render_pdf(progress_doc.build(example_plan, 6)))
    assert "วิธีดำเนินการ" in pages[0] and "ผลการประเมินแบบวัด IIT" in pages[0]


# --- digits -------------------------------------------------------------------------------------


def test_thai_digits_reach_page_numbers_in_every_format():
    doc = m.Document(
        "plan",
        "ทดสอบ",
        AGENCY,
        2566,
        (m.Paragraph(m.runs("ข้อความ")), m.PageBreak(), m.Paragraph(m.runs("หน้าสอง"))),
        thai_digits=True,
    )
    pages = _page_texts(render_pdf(doc))
    assert [re.findall(r"-\s*(\S+)\s*-", p)[-1] for p in pages] == ["๑", "๒"]
    assert "counter(page, thai)" in render_html(doc, fonts="none")
    sect = docx.Document(io.BytesIO(render_docx(doc)))._element.xml
    assert 'w:fmt="thaiNumbers"' in sect and "ThaiArabic" not in sect


def test_cli_warns_once_when_the_memo_has_no_emblem(tmp_path):
    from click.testing import CliRunner

    from openita.cli.main import cli
    from tests.conftest import EXAMPLES

    out = tmp_path / "memo.pdf"
    plan = str(EXAMPLES / "bansong-plan-2566.yaml")
    result = CliRunner().invoke(cli, ["report", "memo", plan, "--round", "6", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("agency.emblem is not set") == 1
    assert out.read_bytes().startswith(b"%PDF")


def test_a_web_address_breaks_at_its_slashes_rather_than_widen_its_column():
    # Evidence links sit in narrow cells: the column keeps its share and the address breaks
    # after a slash or a dot (where a reader expects it), never inside a Thai word.
    url = "https://www.bansong.go.th/ita/2569/o26-report-6-months.pdf"
    cols = (m.Column("หลักฐาน", 15), m.Column("วิธีดำเนินการ", 85))
    table = m.Table(cols, ((m.cell(f"หลักฐาน: {url}"), m.cell("ประชุมชี้แจงบุคลากร")),))
    doc = m.Document("plan", "ทดสอบ", AGENCY, 2566, (table,))
    layout = Layout(doc)
    size, widths = layout.columns(table)
    whole = layout.widest(m.runs("x" + url.replace("/", "_").replace(".", "_")), size, False)
    assert widths[0] < 0.4 * whole  # the address is not one unbreakable word
    assert widths[0] < 0.2 * layout.text_width
    text = " ".join(line.text for page in pdf_lines(render_pdf(doc)) for line in page)
    assert url in text.replace(" ", "")
    assert in_word_breaks(pdf_lines(render_pdf(doc)), "หลักฐาน: " + url) == []
