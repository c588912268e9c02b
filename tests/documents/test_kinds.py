"""The four document kinds for the seed-003 agency: what they say, in PDF, DOCX and HTML."""

from __future__ import annotations

import io
import itertools
import re

import docx
import pytest

from openita.documents import html
from openita.documents.docx import render_docx
from openita.documents.html import thai_words
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.model import Document, Paragraph, Table
from openita.plans.numbering import measure_numbers
from tests.documents.conftest import AGENCY, pdf_text, squash

ANALYSIS_MUST_SAY = [
    "การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
    AGENCY,
    "ประจำปีงบประมาณพ.ศ.2565",
    "คะแนนรวม90.52คะแนนอยู่ในระดับA",
    "ประเด็นที่ควรรักษามาตรฐาน",
    "ประเด็นที่ต้องแก้ไขโดยเร่งด่วน",
    "i7",
    "84.94",
    "o12",
    "o20",
    "แผนยกระดับคะแนน",
    "คำนำ",
    "85.26",  # FY2564 as published in the report's table (the official figure is printed)
    "9.2การบริหารงาน(o10–o17)",  # OIT sub-indicators with their items
    "การปฏิบัติหน้าที่",
    "ประสิทธิภาพการสื่อสาร",
    "76.92",
    "แนวทางการพัฒนา",
]


def _plan_docs(plan):
    return {
        "plan": plan_doc.build(plan),
        "progress": progress_doc.build(plan, 6),
        "memo": memo_doc.build(plan, 6),
    }


def test_analysis_pdf_text_layer_is_intact(analysis_document, printer, tmp_path):
    text = squash(pdf_text(printer.render(analysis_document), tmp_path))
    for phrase in ANALYSIS_MUST_SAY:
        assert squash(phrase) in text, phrase
    # sara am (ำ) and stacked marks survive extraction (a damaged text layer loses them)
    for word in ("การดำเนินงาน", "ที่", "น้ำหนัก", "ผู้มีส่วนได้ส่วนเสีย", "ปีงบประมาณ"):
        assert squash(word) in text, word


@pytest.mark.parametrize("kind", ["plan", "progress", "memo"])
def test_plan_documents_pdf_text(kind, example_plan, printer, tmp_path):
    doc = _plan_docs(example_plan)[kind]
    text = squash(pdf_text(printer.render(doc), tmp_path))
    assert squash(AGENCY) in text
    assert "2566" in text
    must = {
        "plan": [
            "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
            "คำนำ",
            "ขั้นตอน/วิธีการปฏิบัติ",
            "ผู้รับผิดชอบ",
            "กำหนดแล้วเสร็จ",
            "90.52",
            *(m.title for m in example_plan.measures),
        ],
        "progress": [
            "รอบ6เดือน(ตุลาคม2565–มีนาคม2566)",
            "ผลการดำเนินการ",
            "ดำเนินการแล้ว",
            "คำนำ",
            *(m.title for m in example_plan.measures if 6 in m.rounds),
        ],
        "memo": [
            "บันทึกข้อความ",
            "ส่วนราชการ",
            "เรื่องเดิม",
            "ข้อเท็จจริง",
            "ข้อเสนอเพื่อพิจารณา",
            "3เมษายน2566",
            "เห็นชอบและอนุมัติ",
            "ไม่เห็นชอบเนื่องจาก",
            example_plan.agency.signers.executive.name,
        ],
    }[kind]
    for phrase in must:
        assert squash(phrase) in text, phrase


def _line_junctions(text: str) -> list[tuple[str, str]]:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    thai = re.compile(r"[\u0e01-\u0e4e]$")
    pairs = []
    for a, b in itertools.pairwise(lines):
        if thai.search(a) and re.match(r"[\u0e01-\u0e4e]", b):
            pairs.append((a.split()[-1], b.split()[0]))
    return pairs


def test_no_body_line_ends_inside_a_thai_word(analysis_document, example_plan, printer, tmp_path):
    """Body paragraphs, rendered to PDF: every line break falls between two words."""
    paragraphs = [b for b in analysis_document.blocks if isinstance(b, Paragraph)]
    paragraphs += [b for b in plan_doc.build(example_plan).blocks if isinstance(b, Paragraph)]
    doc = Document("analysis", "t", AGENCY, 2565, tuple(paragraphs))
    junctions = _line_junctions(pdf_text(printer.render(doc), tmp_path, raw=False))
    assert len(junctions) >= 10  # the check has something to check
    source = " ".join("".join(r.text for r in b.content) for b in paragraphs)
    broken = []
    for tail, head in junctions:
        if f"{tail} {head}" in source:
            continue  # the line broke at a space
        # two words either side of the break, segmented together: the break must be an edge
        left = "".join(thai_words(tail)[-2:])
        right = "".join(thai_words(head)[:2])
        words = thai_words(left + right)
        edges = {sum(len(w) for w in words[:k]) for k in range(len(words) + 1)}
        if len(left) not in edges:
            broken.append(f"{left}|{right}")
    assert broken == []


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return squash("".join(parts))


def test_docx_holds_the_same_text_as_the_model(analysis_document, example_plan):
    for doc in [analysis_document, *_plan_docs(example_plan).values()]:
        text = _docx_text(render_docx(doc))
        for block_text in doc.text_blocks():
            assert squash(block_text) in text, (doc.kind, block_text[:40])


def test_tables_have_the_right_rows(analysis_document, example_plan, seed_analysis):
    tables = [b for b in analysis_document.blocks if isinstance(b, Table)]
    fw = seed_analysis.result.framework
    item_tables = [t for t in tables if len(t.rows) in (30, 15, 43)]
    assert sorted(len(t.rows) for t in item_tables) == [15, 30, 43]
    assert len(fw.items) == 88
    measures = plan_doc.measures_table(example_plan, plan_doc.Fmt())
    groups = [m.group for m in example_plan.measures if m.group]
    runs_of_groups = sum(1 for k, g in enumerate(groups) if k == 0 or groups[k - 1] != g)
    assert len(measures.rows) == len(example_plan.measures) + runs_of_groups
    d = docx.Document(io.BytesIO(render_docx(plan_doc.build(example_plan))))
    assert any(len(t.rows) == len(measures.rows) + 1 for t in d.tables)  # + header row


def test_thai_digits_everywhere_asked(seed_analysis, example_plan, printer, tmp_path):
    from openita.documents.kinds import analysis as analysis_doc

    doc = analysis_doc.build(seed_analysis, agency=AGENCY, thai_digits=True, with_charts=False)
    text = squash(pdf_text(printer.render(doc), tmp_path))
    assert "๙๐.๕๒" in text and "๒๕๖๕" in text and "90.52" not in text
    assert "-๑-" in text  # page numbers
    memo = squash(
        pdf_text(printer.render(memo_doc.build(example_plan, 6, thai_digits=True)), tmp_path)
    )
    assert "๓เมษายน๒๕๖๖" in memo


def test_html_preview_is_one_page_with_fonts(analysis_document):
    page = html.render_html(analysis_document)
    assert page.startswith("<!doctype html>") and 'lang="th"' in page
    assert "font-family:Sarabun" in page and "data:font/ttf;base64," in page
    assert "http://" not in page and "https://" not in page  # nothing from a CDN


def test_memo_needs_signers(example_plan):
    from openita.plans import PlanInvalid

    bare = example_plan.model_copy(
        update={"agency": example_plan.agency.model_copy(update={"signers": None})}
    )
    with pytest.raises(PlanInvalid, match=r"agency\.signers"):
        memo_doc.build(bare, 6)


def test_progress_marks_overdue_measures(example_plan):
    doc = progress_doc.build(example_plan, 6)
    texts = " ".join(doc.text_blocks())
    late = [
        m
        for m in example_plan.measures
        if 6 in m.rounds
        and m.progress.get(6)
        and m.progress[6].status != "done"
        and m.deadline.month == 3
        and m.deadline.year == 2023
    ]
    assert "เลยกำหนด" in texts
    numbers = measure_numbers(example_plan.measures)
    assert late and all(f"{numbers[m.id]} {m.title}" in texts for m in late)
    assert not re.search(r"\bM[0-9]+\b", texts)  # officers' numbers, not the file's ids
