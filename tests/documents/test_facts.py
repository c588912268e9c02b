"""The documents carry the right facts: rounds carried forward, official figures, no credit
line or slip section, item text in prose, measures numbered 1.1, and the seeds' content."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import docx
import pytest

from openita import engine
from openita.documents import html
from openita.documents.docx import render_docx
from openita.documents.kinds import analysis as analysis_doc
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.model import (
    BulletList,
    Document,
    Figure,
    Heading,
    MemoHead,
    PageBreak,
    Paragraph,
    Signature,
    Table,
)
from openita.importers import load_result
from openita.plans import rounds
from openita.plans.numbering import measure_numbers, numbers
from openita.plans.schema import Meeting, Memo, Progress
from tests.conftest import EXAMPLES
from tests.documents.conftest import AGENCY, pdf_text, squash

CODE = re.compile(r"(?<![A-Za-z0-9])[ieo][0-9]{1,2}(?![0-9])")
LONG = "องค์การบริหารส่วนตำบลหนองบัวใหญ่พัฒนาเศรษฐกิจชุมชนและสิ่งแวดล้อมอย่างยั่งยืนแห่งลุ่มน้ำ"


def _texts(doc: Document) -> str:
    return " ".join(doc.text_blocks()).replace("\xa0", " ")  # no-break spaces read as spaces


def _prose(doc: Document) -> list[str]:
    """Sentences officers read as text (paragraphs and lists), not tables or headings."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append("".join(r.text for r in b.content).replace("\xa0", " "))
        elif isinstance(b, BulletList):
            out += ["".join(r.text for r in item) for item in b.items]
    return out


def _status_cells(doc: Document) -> dict[str, str]:
    """Measure title -> the text of its status cell (with its lines), from every table."""
    found = {}
    for b in doc.blocks:
        if not isinstance(b, Table) or b.columns[-1].title != "สถานะ":
            continue
        for row in b.rows:
            if len(row) < 8:
                continue
            title = "".join(r.text for r in row[0].content).split(" ", 1)[1]
            status = row[-1]
            found[title] = " ".join(
                "".join(r.text for r in t) for t in (status.content, *status.lines)
            )
    return found


def _with_progress(plan, entries):
    """The plan with each measure's progress replaced: {id: {round: Progress}}."""
    measures = [m.model_copy(update={"progress": entries.get(m.id, {})}) for m in plan.measures]
    return plan.model_copy(update={"measures": measures})


# --- rounds carried forward ---------------------------------------------------------------


def test_twelve_month_report_carries_the_six_month_statuses(example_plan):
    assert all(12 not in m.progress for m in example_plan.measures)  # 12 not filled yet
    doc = progress_doc.build(example_plan, 12)
    cells = _status_cells(doc)
    for m in example_plan.measures:
        six = m.progress.get(6)
        if six is None:
            assert cells[m.title] == "ยังไม่ได้รายงานผล", m.id
            continue
        assert cells[m.title].startswith(progress_doc.STATUS_TH[six.status]), m.id
        assert "(ยกมาจากรอบ 6 เดือน)" in cells[m.title], m.id
    done = [
        m for m in example_plan.measures if m.progress.get(6) and m.progress[6].status == "done"
    ]
    assert done and all("เลยกำหนด" not in cells[m.title] for m in done)


def test_memo_counts_match_the_report(example_plan):
    summary = rounds.summary(example_plan, 12)
    done_in_six = sum(
        1 for m in example_plan.measures if m.progress.get(6) and m.progress[6].status == "done"
    )
    assert summary.done == done_in_six > 0
    memo = _texts(memo_doc.build(example_plan, 12))
    assert f"จำนวน {summary.total} มาตรการ ดำเนินการแล้วเสร็จ {summary.done} มาตรการ" in memo
    assert f"ยังไม่ได้รายงานผล {summary.missing} มาตรการ" in memo
    report = _status_cells(progress_doc.build(example_plan, 12))
    assert sum(1 for t in report.values() if t.startswith("ดำเนินการแล้ว")) == summary.done
    assert sum(1 for t in report.values() if "เลยกำหนด" in t) == summary.overdue


def test_an_entry_of_the_round_wins_over_the_carried_one(example_plan):
    m1 = example_plan.measures[0]
    later = Progress(status="dropped", reason="รวมกับมาตรการอื่น")
    plan = _with_progress(example_plan, {m1.id: {6: m1.progress[6], 12: later}})
    found = rounds.round_progress(plan.measures[0], 12)
    assert found.state == "entered" and found.progress.status == "dropped"
    cell = _status_cells(progress_doc.build(plan, 12))[m1.title]
    assert cell.startswith("ยกเลิก") and "ยกมาจาก" not in cell


def test_a_blank_entry_does_not_stop_the_carry(example_plan):
    m1 = example_plan.measures[0]
    plan = _with_progress(example_plan, {m1.id: {6: m1.progress[6], 12: Progress()}})
    assert rounds.round_progress(plan.measures[0], 12).carried


def test_nothing_entered_is_said_not_counted_as_late(example_plan):
    plan = _with_progress(example_plan, {})
    summary = rounds.summary(plan, 6)
    assert summary.nothing_entered and summary.overdue == 0 and summary.done == 0
    doc = progress_doc.build(plan, 6)
    assert set(_status_cells(doc).values()) == {"ยังไม่ได้รายงานผล"}
    assert "เลยกำหนด" not in _texts(doc) and "ยังไม่ดำเนินการ" not in _texts(doc)
    memo = _texts(memo_doc.build(plan, 6))
    assert "เลยกำหนด" not in memo and "ยังไม่ได้รายงานผล" in memo
    warnings = rounds.round_warnings(plan, 6)
    assert warnings and "nothing has been entered" in warnings[0]
    assert rounds.round_warnings(example_plan, 6) == []


def test_reminders_and_web_read_the_carried_status(example_plan):
    m1 = example_plan.measures[0]
    assert progress_doc.progress_of(m1, 12).status == m1.progress[6].status == "done"


# --- the memo's date and reference ------------------------------------------------------------


def _head(doc: Document) -> MemoHead:
    return next(b for b in doc.blocks if isinstance(b, MemoHead))


def test_memo_date_and_number_from_the_plan_or_a_visible_blank(example_plan):
    given = _head(memo_doc.build(example_plan, 6))
    assert given.date == "3 เมษายน 2566" and given.reference.endswith("๑๒๓")
    assert rounds.memo_missing(example_plan, 6) == []
    blank = _head(memo_doc.build(example_plan, 12, today=dt.date(2026, 12, 6)))
    assert blank.date == memo_doc.BLANK and blank.reference.endswith(memo_doc.BLANK)
    assert "2569" not in _texts(memo_doc.build(example_plan, 12))  # never today's date
    assert rounds.memo_missing(example_plan, 12) == ["date", "reference"]
    dated = example_plan.model_copy(update={"memos": {12: Memo(date=dt.date(2023, 10, 5))}})
    assert rounds.memo_missing(dated, 12) == ["reference"]
    assert "reference" in rounds.memo_warnings(dated, 12)[0]


# --- official figures -----------------------------------------------------------------------------


def test_seed_003_prints_the_published_figures(seed_analysis, analysis_document):
    scores = seed_analysis.result.scores
    assert scores["ind5"] == 91.82 and scores["IIT"] == 93.10 and scores["total"] == 90.52
    assert seed_analysis.result.recomputed["ind5"] != 91.82  # the engine's own figure differs
    texts = _texts(analysis_document)
    assert "91.82" in texts and "93.10" in texts
    assert [m for m in seed_analysis.mismatches if m.year == "2565"] == []  # within rounding


def test_a_published_figure_beyond_rounding_is_printed_and_flagged():
    given = load_result([EXAMPLES / "bansong-2565.csv"])
    claims = {**engine.scoring.given_of(given), "ind5": 95.0}
    result = engine.score(given.framework, claims, fiscal_year=2565)
    analysis = engine.analyze(result)
    assert analysis.result.scores["ind5"] == 95.0
    (m,) = [m for m in analysis.mismatches if m.code == "ind5"]
    assert m.claimed == 95.0 and m.computed == pytest.approx(91.82, abs=0.02)
    doc = analysis_doc.build(analysis, agency=AGENCY, with_charts=False)
    texts = _texts(doc)
    assert "95.00" in texts
    assert "คำนวณจากองค์ประกอบ" not in texts and "91.83" not in texts  # the officer's, not here


def test_plan_prints_the_published_figures(example_plan):
    texts = _texts(plan_doc.build(example_plan))
    assert "91.82" in texts and "90.52" in texts


# --- what stays with the officer -------------------------------------------------------------


def test_no_credit_line_nor_slip_section(analysis_document, example_plan):
    docs = [analysis_document, *(_all_kinds(example_plan).values())]
    for doc in docs:
        texts = _texts(doc)
        assert "OpenITA" not in texts, doc.kind
        assert "ข้อสังเกตความสอดคล้อง" not in texts and "เอกสารเดิม" not in texts, doc.kind
    colophon = "".join(r.text for r in analysis_document.blocks[-1].content)
    fw = engine.analyze(load_result([EXAMPLES / "bansong-2565.csv"])).result.framework
    assert fw.id in colophon
    assert ("ชั่วคราว" in colophon) == (fw.status != "verified")


def test_prose_names_items_by_their_text(analysis_document, example_plan):
    for doc in (analysis_document, plan_doc.build(example_plan)):
        bare = [t for t in _prose(doc) if CODE.search(t)]
        assert bare == [], (doc.kind, bare[:2])
    fw = engine.analyze(load_result([EXAMPLES / "bansong-2565.csv"])).result.framework
    assert any(fw.name_of("e3") in t for t in _prose(analysis_document))


# --- numbering --------------------------------------------------------------------------------


def test_measures_numbered_as_officers_number_them(example_plan):
    by_measure, by_group = numbers(example_plan.measures)
    assert list(by_group.values()) == [str(n) for n in range(1, len(by_group) + 1)]
    assert by_measure[example_plan.measures[0].id] == "1.1"
    assert by_measure[example_plan.measures[1].id] == "1.2"
    table = plan_doc.measures_table(example_plan, plan_doc.Fmt())
    first_group = "".join(r.text for r in table.rows[0][0].content)
    assert first_group.startswith("1. ")
    assert "".join(r.text for r in table.rows[1][0].content).startswith("1.1 ")
    for doc in _all_kinds(example_plan).values():
        assert not re.search(r"\bM[0-9]+\b", _texts(doc)), doc.kind
    ungrouped = [m.model_copy(update={"group": ""}) for m in example_plan.measures]
    assert list(measure_numbers(ungrouped).values())[:3] == ["1", "2", "3"]


# --- the progress report's shape ----------------------------------------------------------------


def _group_rows(doc: Document) -> list[str]:
    """The rows across the table that head each tool's measures."""
    table = next(b for b in doc.blocks if isinstance(b, Table))
    return [
        "".join(r.text for r in row[0].content).replace("\xa0", " ")
        for row in table.rows
        if len(row) == 1 and row[0].colspan == len(table.columns)
    ]


def test_progress_groups_by_tool_with_indicator_scores(example_plan):
    doc = progress_doc.build(example_plan, 6)
    tools = [re.search(r"\((IIT|EIT|OIT)\)$", t) for t in _group_rows(doc)]
    assert [t.group(1) for t in tools if t] == ["IIT", "EIT"]  # the tools of round 6's measures
    texts = _texts(doc)
    assert "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร 76.92 คะแนน" in texts
    assert "แบบวัด EIT ปีงบประมาณ พ.ศ. 2565 ได้ 78.86 คะแนน" in texts
    table = next(b for b in doc.blocks if isinstance(b, Table))
    first_tool = next(k for k, row in enumerate(table.rows) if len(row) == 1)
    assert len(table.rows[first_tool + 1]) == 8  # a measure right under its tool
    twelve = _group_rows(progress_doc.build(example_plan, 12))
    assert any(t.endswith("(OIT)") for t in twelve)
    bare = example_plan.model_copy(update={"results": None})
    assert _group_rows(progress_doc.build(bare, 6)) == []  # no results: one plain table


def test_signature_stays_with_the_last_paragraph(example_plan):
    blocks = progress_doc.build(example_plan, 6).blocks
    at = next(k for k, b in enumerate(blocks) if isinstance(b, Signature))
    before = blocks[at - 1]
    assert isinstance(before, Paragraph) and before.keep_with_next
    assert "เพื่อโปรดทราบ" in "".join(r.text for r in before.content)


# --- what the seeds have ------------------------------------------------------------------------


def test_analysis_has_the_seeds_sections(seed_analysis):
    recs = ["หน่วยงานควรประชาสัมพันธ์ข้อมูลทางสถิติเรื่องการร้องเรียนการทุจริต"]
    doc = analysis_doc.build(
        seed_analysis,
        agency=AGENCY,
        with_charts=False,
        recommendations=recs,
        issuer="สำนักปลัด เทศบาลตำบลบ้านส้อง",
        issued=dt.date(2023, 2, 1),
    )
    texts = _texts(doc)
    assert "คำนำ" in texts and recs[0] in texts
    assert "สำนักงาน ป.ป.ช. ได้แสดงความเห็นและข้อเสนอแนะเพิ่มเติม" in texts
    assert "9.1 ข้อมูลพื้นฐาน (o1 – o9)" in texts and "10.2" in texts
    assert "แนวทางการรักษามาตรฐาน" in texts
    assert "ผู้จัดทำ สำนักปลัด เทศบาลตำบลบ้านส้อง" in texts and "กุมภาพันธ์ 2566" in texts
    plain = _texts(analysis_doc.build(seed_analysis, agency=AGENCY, with_charts=False))
    assert "ข้อเสนอแนะเพิ่มเติม" not in plain  # only when given


def test_plan_has_the_seeds_sections(example_plan):
    measures = list(example_plan.measures)
    measures[0] = measures[0].model_copy(
        update={"suggestion": "ควรเผยแพร่ทุกไตรมาส", "monitoring": "รายงานทุก 3 เดือน"}
    )
    plan = example_plan.model_copy(
        update={
            "measures": measures,
            "meeting": Meeting(
                body="คณะทำงานจัดทำมาตรการ", date=dt.date(2023, 1, 20), note="ครั้งที่ 1/2566"
            ),
            "recommendations": ["หน่วยงานควรเปิดเผยข้อมูลให้ครบถ้วน"],
        }
    )
    doc = plan_doc.build(plan)
    texts = _texts(doc)
    assert "ผลคะแนนรายตัวชี้วัดในแต่ละปี" in texts and "ปี 2563" in texts
    assert "ข้อเสนอแนะ" in texts and "การติดตามผล" in texts and "รายงานทุก 3 เดือน" in texts
    assert "ที่ประชุมคณะทำงานจัดทำมาตรการ ครั้งที่ 1/2566 เมื่อวันที่ 20 มกราคม 2566" in texts
    assert "หน่วยงานควรเปิดเผยข้อมูลให้ครบถ้วน" in texts
    table = plan_doc.measures_table(plan, plan_doc.Fmt())
    assert [c.title for c in table.columns][-2:] == ["ข้อเสนอแนะ", "การติดตามผล"]
    assert len(plan_doc.measures_table(example_plan, plan_doc.Fmt()).columns) == 5


def test_cover_page_is_an_option(example_plan, seed_analysis):
    emblem = _tiny_png()
    for doc in (
        plan_doc.build(example_plan, cover=True, emblem_png=emblem),
        progress_doc.build(example_plan, 6, cover=True, emblem_png=emblem),
        analysis_doc.build(seed_analysis, agency=AGENCY, cover=True, emblem_png=emblem),
    ):
        first_break = next(k for k, b in enumerate(doc.blocks) if isinstance(b, PageBreak))
        cover = doc.blocks[:first_break]
        assert any(isinstance(b, Figure) and b.png == emblem for b in cover), doc.kind
        assert any(isinstance(b, Heading) and b.text == AGENCY for b in cover), doc.kind
    plain = plan_doc.build(example_plan)
    assert not any(isinstance(b, Figure) for b in plain.blocks)


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00" * 1
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# --- every kind, every format, both digit styles, short and long names ------------------------


def _all_kinds(plan, **kw):
    return {
        "plan": plan_doc.build(plan, **kw),
        "progress": progress_doc.build(plan, 12, **kw),
        "memo": memo_doc.build(plan, 12, **kw),
    }


@pytest.mark.parametrize("name", [AGENCY, LONG], ids=["short", "long"])
@pytest.mark.parametrize("thai_digits", [False, True], ids=["arabic", "thai"])
def test_every_kind_in_every_format(name, thai_digits, example_plan, seed_analysis, tmp_path):
    from openita.documents import pdf

    plan = example_plan.model_copy(
        update={"agency": example_plan.agency.model_copy(update={"name": name})}
    )
    docs = _all_kinds(plan, thai_digits=thai_digits)
    docs["analysis"] = analysis_doc.build(
        seed_analysis, agency=name, thai_digits=thai_digits, with_charts=False
    )
    year = "๒๕๖๖" if thai_digits else "2566"
    for kind, doc in docs.items():
        want = squash(name)
        got_docx = _docx_text(render_docx(doc))
        got_html = squash(html.render_html(doc))
        assert want in got_docx and want in got_html, kind
        if shutil.which("pdftotext") is None:
            continue
        with pdf.NativePrinter() as printer:
            got_pdf = squash(pdf_text(printer.render(doc), tmp_path))
        assert want in got_pdf, kind
        if kind != "analysis":
            assert year in got_pdf, kind
        if kind == "progress":
            total = "๑๓" if thai_digits else "13"
            assert f"ทั้งสิ้น{total}มาตรการ" in got_pdf


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return squash("".join(parts))
