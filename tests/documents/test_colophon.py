"""Every document with figures names the framework that produced them, and says so when the
framework is provisional (issue 9); the memo, internal correspondence, does not."""

from __future__ import annotations

import pytest

from openita import frameworks
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.plans.schema import Plan


def _text(doc: object) -> str:
    return " ".join(doc.text_blocks()).replace("\xa0", " ")  # type: ignore[attr-defined]


def test_analysis_plan_and_progress_state_the_framework(analysis_document, example_plan) -> None:
    fw = frameworks.get(example_plan.results.framework or "ita-2565")
    expected = f"({fw.id} ฉบับที่ {fw.version})"
    for doc in (
        analysis_document,
        plan_doc.build(example_plan),
        progress_doc.build(example_plan, 6),
        progress_doc.build(example_plan, 12),
    ):
        assert expected in _text(doc), doc.kind
    assert fw.id not in _text(memo_doc.build(example_plan, 6))


@pytest.mark.parametrize("framework_id", ["ita-2568", "ita-2569"])
def test_a_provisional_framework_is_said_to_be_provisional(
    example_plan: Plan, framework_id: str
) -> None:
    fw = frameworks.get(framework_id)
    assert fw.status == "provisional"
    results = example_plan.results
    assert results is not None
    # the same plan, its results read as indicator scores of a provisional framework
    scores = {f"ind{n}": 90.0 for n in range(1, 11)}
    current = results.current.model_copy(update={"scores": scores, "framework": framework_id})
    plan = example_plan.model_copy(
        update={"results": results.model_copy(update={"current": current, "history": []})}
    )
    text = _text(plan_doc.build(plan))
    assert f"({framework_id} ฉบับที่ {fw.version})" in text
    assert "ข้อมูลชั่วคราว" in text
