"""The native PDF's text layer reads back as the document's text in poppler (pdftotext), MuPDF
(with and without ActualText) and pypdf: sara am whole, marks in the order they are typed."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from pathlib import Path

import pytest

from openita.documents import model as m
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.pdfnative import render_pdf
from tests.documents.conftest import needs_pdf

pymupdf = pytest.importorskip("pymupdf")
pypdf = pytest.importorskip("pypdf")

pytestmark = needs_pdf

# Words whose marks stack, whose sara am is decomposed, whose tone mark sits over an upper
# vowel or takes a short or left form, whose base loses its descender.
WORDS = (
    "ตำบล เรื่อง น้ำ นั้น ที่ ผู้ กำ ปี่ ปั้น ฎุ ฏุ ฐุ ญู ปฏิบัติ ประชาสัมพันธ์ ผู้รับผิดชอบ คำนำ "
    "ดำเนินการ ทั้งนี้ ซึ่ง กล่าว ญี่ปุ่น เบื้องต้น ช้ำ ล้ำ ปั่น ฟื้น ปั๊ม สิ่ง ขั้น ฝั่ง ป่ำ เป็น "
    "สำนักงาน ป.ป.ช. office 12.50 คะแนน"
)


def _readers(data: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    poppler = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        mupdf = "".join(p.get_text() for p in opened)
        flags = pymupdf.TEXTFLAGS_TEXT | pymupdf.TEXT_IGNORE_ACTUALTEXT
        mupdf_plain = "".join(p.get_text(flags=flags) for p in opened)
    reader = pypdf.PdfReader(io.BytesIO(data))
    plain = "".join(p.extract_text() or "" for p in reader.pages)
    return {
        "poppler": poppler,
        "mupdf": mupdf,
        "mupdf without ActualText": mupdf_plain,
        "pypdf": plain,
    }


def _words(text: str) -> list[str]:
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").split()


def _squash(text: str) -> str:
    """Whitespace removed, no normalisation: ำ must not come back as ํ + า."""
    return "".join(text.replace("\u00a0", " ").split())


def test_every_reader_gives_the_words_exactly(tmp_path):
    doc = m.Document(
        "analysis",
        "ทดสอบ",
        "เทศบาลตำบลบ้านส้อง",
        2566,
        (
            m.Paragraph(m.runs(WORDS), indent=False),
            m.Paragraph(m.runs(m.Run(WORDS, bold=True)), indent=False, size="small"),
        ),
        page_numbers=False,
    )
    for reader, text in _readers(render_pdf(doc), tmp_path).items():
        assert _words(text) == _words(WORDS + " " + WORDS), reader
        assert "\u0e4d" not in text, f"{reader}: sara am read as nikhahit + sara aa"


def _model_texts(doc: m.Document) -> list[str]:
    out = []
    for text in doc.text_blocks():
        squashed = _squash(text)
        if squashed:
            out.append(squashed)
    return out


def _found(text: str, got: str) -> bool:
    """``text`` is in ``got`` whole, or in two pieces (a table row split between pages)."""
    if text in got:
        return True
    return any(text[:k] in got and text[k:] in got for k in range(1, len(text)))


def _kinds(analysis_document, example_plan, thai: bool) -> dict[str, m.Document]:
    digits = {"thai_digits": True} if thai else {}
    return {
        "analysis": analysis_document,
        "plan": plan_doc.build(example_plan, **digits),
        "progress": progress_doc.build(example_plan, 6, **digits),
        "memo": memo_doc.build(example_plan, 6, **digits),
    }


@pytest.mark.parametrize("thai", [False, True], ids=["arabic", "thai-digits"])
def test_every_kind_extracts_in_every_reader(analysis_document, example_plan, thai, tmp_path):
    for kind, doc in _kinds(analysis_document, example_plan, thai).items():
        texts = _model_texts(doc)
        assert texts, kind
        for reader, text in _readers(render_pdf(doc), tmp_path).items():
            got = _squash(text)
            missing = [t for t in texts if not _found(t, got)]
            assert not missing, f"{kind}, {reader}: {missing[:3]}"
            assert "\u0e4d" not in got, f"{kind}, {reader}: sara am split"
