"""Next year's plan across a change of planning approach: to the focus indicator (only its
measures carried, the others listed), away from it (the focus dropped), and a new focus."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import engine, frameworks
from openita.plans import Agency, Plan
from openita.plans.draft import GROUPS, FocusRefused, draft_plan, year_scores
from openita.plans.nextyear import next_year_plan
from openita.plans.schema import Results
from tests.plans.focus_fixture import focus_framework, focus_scores, install_focus_framework

IND7 = {"e6", "e7", "e8", "e9", "e10"}
AGENCY = Agency(name="องค์การบริหารส่วนตำบลทดสอบ", units=["สำนักปลัด"])


@pytest.fixture(autouse=True)
def _builtin_catalogs_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "local-catalog"))
    yield


def _results(framework: frameworks.Framework, low: dict[str, float], year: int) -> engine.Result:
    return engine.score(framework, focus_scores(framework, low), fiscal_year=year)


def _new_results(low: dict[str, float]) -> Results:
    """FY2569 results (the plan's year), scored by whatever ita-2568 is installed."""
    result = _results(frameworks.get("ita-2568"), low, 2569)
    return Results(framework="ita-2568", current=year_scores(result))


def _install_focus() -> None:
    install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    assert frameworks.get("ita-2568").planning.approach == "focus_indicator"


def _old_way_plan() -> Plan:
    low = dict.fromkeys(IND7, 60.0) | {"i1": 70.0, "i13": 60.0}
    analysis = engine.analyze(_results(frameworks.get("ita-2568"), low, 2568))
    plan = draft_plan(analysis, agency=AGENCY)
    assert plan.focus is None and plan.fiscal_year == 2569
    return plan


def test_moving_to_the_focus_approach_carries_the_focus_measures_only() -> None:
    plan = _old_way_plan()
    _install_focus()
    found = next_year_plan(plan, results=_new_results(dict.fromkeys(IND7, 70.0) | {"i1": 75.0}))
    assert found.approach == "to_focus"
    new = found.plan
    assert new.fiscal_year == 2570 and new.focus is not None
    assert (new.focus.indicator, new.focus.reason) == ("ind7", "lowest")
    carried = {c for m in new.measures for c in m.addresses}
    assert carried >= IND7 and not carried & {"i1", "i13"}
    left = {c for m in found.not_carried for c in m.addresses}
    assert {"i1", "i13"} <= left
    assert {m.measure_id for m in found.not_carried}.isdisjoint(m.id for m in new.measures)
    drafted = [m for m in new.measures if m.id in found.drafted]
    assert {c for m in drafted for c in m.addresses} == {"o25", "o26"}  # to publish under
    assert all(m.group == GROUPS["OIT"] for m in drafted) and new.measures[-1] in drafted
    carried_over = [m for m in new.measures if m not in drafted]
    assert len(carried_over) + len(found.not_carried) == len(plan.measures)
    assert all(m.group.startswith("มาตรการพัฒนาตัวชี้วัดที่ 7") for m in carried_over)
    assert found.uncovered == ()  # ind7's weak items all have their measure
    assert found.drafted == (f"M{len(plan.measures) + 1}", f"M{len(plan.measures) + 2}")
    assert not {r.measure_id for r in found.resolved} & set(found.drafted)  # must publish


def test_a_focus_without_a_measure_gets_measures_from_the_catalog() -> None:
    plan = _old_way_plan()
    _install_focus()
    found = next_year_plan(plan, results=_new_results({"i19": 40.0}), focus_note="ใหม่")
    assert found.approach == "to_focus"
    assert found.plan.focus is not None and found.plan.focus.indicator == "ind4"
    assert found.plan.focus.note == "ใหม่"
    drafted = [m for m in found.plan.measures if m.id in found.drafted]
    assert [m.addresses for m in drafted] == [["i19"], ["o25"], ["o26"]]
    assert found.plan.measures[0] == drafted[0]  # the focus measures come first
    assert found.plan.measures[-2:] == drafted[1:]  # the publication measures last
    ids = [m.id for m in found.plan.measures]
    assert len(ids) == len(set(ids))


def test_moving_away_from_the_focus_drops_it_and_carries_everything() -> None:
    analysis = engine.analyze(_results(focus_framework(), dict.fromkeys(IND7, 60.0), 2568))
    plan = draft_plan(analysis, agency=AGENCY)
    assert plan.focus is not None
    found = next_year_plan(plan, results=_new_results({"i1": 60.0}))  # built-in ita-2568
    assert found.approach == "from_focus" and found.plan.focus is None
    assert [m.title for m in found.plan.measures] == [m.title for m in plan.measures]
    assert "i1" in {f.code for f in found.uncovered}
    with pytest.raises(FocusRefused, match="every weak item"):
        next_year_plan(plan, results=_new_results({}), focus="ind7")


def test_a_new_focus_leaves_the_old_focus_measures() -> None:
    _install_focus()
    analysis = engine.analyze(_results(frameworks.get("ita-2568"), dict.fromkeys(IND7, 60.0), 2568))
    plan = draft_plan(analysis, agency=AGENCY)
    assert plan.focus is not None and plan.focus.indicator == "ind7"
    found = next_year_plan(plan, results=_new_results({}), focus="ind3", focus_note="เสี่ยง")
    assert found.approach == "new_focus"
    assert found.plan.focus is not None and found.plan.focus.reason == "chosen"
    assert not {c for m in found.plan.measures for c in m.addresses} & IND7
    assert {c for m in found.not_carried for c in m.addresses} >= IND7
    kept = {c for m in found.plan.measures for c in m.addresses}
    assert {"o25", "o26"} <= kept  # the plan and report items stay


def test_the_same_focus_keeps_every_measure() -> None:
    _install_focus()
    analysis = engine.analyze(_results(frameworks.get("ita-2568"), dict.fromkeys(IND7, 60.0), 2568))
    plan = draft_plan(analysis, agency=AGENCY, focus_note="เดิม")
    found = next_year_plan(plan, results=_new_results(dict.fromkeys(IND7, 80.0)))
    assert found.approach == "same" and found.not_carried == ()
    assert found.plan.focus is not None and found.plan.focus.note == "เดิม"
    assert len(found.plan.measures) == len(plan.measures)
