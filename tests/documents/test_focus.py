"""The focus section of a FY2569-style plan (the chosen indicator, its score and rank, its
items, why, the measures on it, where the plan is published) and the progress report's focus
line; plans of the older approach keep their directions table."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import engine, frameworks
from openita.documents import pdf
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.model import Document, Heading, Paragraph, Table
from openita.plans import Agency, Plan
from openita.plans.draft import draft_plan
from tests.documents.conftest import pdf_text, squash
from tests.plans.focus_fixture import focus_scores, install_focus_framework

IND7 = ("e6", "e7", "e8", "e9", "e10")
NOTE = "ประชาชนยังเข้าไม่ถึงข้อมูลข่าวสาร"


@pytest.fixture(autouse=True)
def _catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "local-catalog"))
    yield


def _texts(doc: Document) -> list[str]:
    found: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            found.append(block.text)
        elif isinstance(block, Paragraph):
            found.append("".join(r.text for r in block.content))
        elif isinstance(block, Table):
            found += ["".join(r.text for r in c.content) for row in block.rows for c in row]
            found += [block.caption or "", block.note or ""]
    return [t.replace("\u00a0", " ") for t in found]


def _plan(*, focused: bool, **options: str) -> Plan:
    if focused:
        install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    framework = frameworks.get("ita-2568")
    low = dict.fromkeys(IND7[:2], 60.0) | {"e9": 70.0, "i1": 70.0}
    result = engine.score(framework, focus_scores(framework, low), fiscal_year=2568)
    agency = Agency(name="องค์การบริหารส่วนตำบลทดสอบ", units=["สำนักปลัด"])
    return draft_plan(engine.analyze(result), agency=agency, **options)  # type: ignore[arg-type]


def test_the_plan_has_the_focus_section() -> None:
    plan = _plan(focused=True, focus_note=NOTE)
    assert plan.focus is not None and plan.focus.indicator == "ind7"
    texts = _texts(plan_doc.build(plan))
    joined = "\n".join(texts)
    assert "2. การนำผลการประเมินไปสู่การพัฒนาองค์กร" in texts
    name = frameworks.get("ita-2568").name_of("ind7")
    assert f"ตัวชี้วัดที่ 7 {name}" in joined
    assert "อยู่ในอันดับที่ 10 จาก 10 ตัวชี้วัด" in joined and "คะแนนต่ำที่สุด" in joined
    assert f"เหตุผลประกอบการเลือก: {NOTE}" in texts
    for code in IND7:  # every item of the indicator, with its score
        assert code in texts
    e6 = [m for m in plan.measures if "e6" in m.addresses]
    assert any(t.startswith(f"{e6[0].id} {e6[0].title}") for t in texts)
    assert any(t.startswith("หน่วยงานจะเผยแพร่มาตรการนี้ภายใต้ข้อ O25") for t in texts)
    assert "แนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ" not in joined  # replaced by the focus


def test_a_chosen_indicator_says_why() -> None:
    plan = _plan(focused=True, focus="ind3")
    joined = "\n".join(_texts(plan_doc.build(plan)))
    assert "ตัวชี้วัดที่ 3" in joined and "ความเสี่ยงสูงที่สุด" in joined
    assert "เหตุผลประกอบการเลือก" not in joined  # no note given


def test_older_plans_keep_the_directions_table() -> None:
    plan = _plan(focused=False)
    joined = "\n".join(_texts(plan_doc.build(plan)))
    assert plan.focus is None
    assert "แนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ" in joined
    assert "การนำผลการประเมินไปสู่การพัฒนาองค์กร" not in joined


def test_the_progress_report_names_the_focus() -> None:
    older = _texts(progress_doc.build(_plan(focused=False), 6))
    assert not any("ตัวชี้วัดที่มุ่งพัฒนา" in t for t in older)
    texts = _texts(progress_doc.build(_plan(focused=True), 6))
    assert any(t.startswith("ตัวชี้วัดที่มุ่งพัฒนา: ตัวชี้วัดที่ 7") and "(คะแนน " in t for t in texts)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
def test_the_focus_section_in_the_pdf_text(tmp_path: Path) -> None:
    plan = _plan(focused=True, focus_note=NOTE)
    with pdf.NativePrinter() as printer:
        text = squash(pdf_text(printer.render(plan_doc.build(plan, thai_digits=True)), tmp_path))
    assert squash("การนำผลการประเมินไปสู่การพัฒนาองค์กร") in text
    assert squash("อยู่ในอันดับที่ ๑๐ จาก ๑๐ ตัวชี้วัด") in text
    assert squash(NOTE) in text
