"""Drafting the FY2569 way: one focus indicator (the lowest, or the officer's choice), its
measures, the plan and report items' measures, the focus recorded; older frameworks unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import engine, frameworks
from openita.plans import Agency, dump_plan, load_plan
from openita.plans.draft import GROUPS, FocusRefused, draft_plan, ranked_indicators
from tests.plans.focus_fixture import focus_framework, focus_scores

EIT_COMMUNICATION = {"e6", "e7", "e8", "e9", "e10"}  # indicator 7


@pytest.fixture(autouse=True)
def _builtin_catalogs_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "local-catalog"))
    yield


@pytest.fixture
def agency() -> Agency:
    return Agency(name="องค์การบริหารส่วนตำบลทดสอบ", province="ตัวอย่าง", units=["สำนักปลัด"])


def _analysis(
    low: dict[str, float], framework: frameworks.Framework | None = None
) -> engine.Analysis:
    fw = framework or focus_framework()
    return engine.analyze(engine.score(fw, focus_scores(fw, low), fiscal_year=2569))


def _addressed(plan: object) -> set[str]:
    return {c for m in plan.measures for c in m.addresses}  # type: ignore[attr-defined]


def test_the_fixture_keeps_the_framework_look_ups() -> None:
    framework = focus_framework()
    assert framework.planning.approach == "focus_indicator"
    assert framework.item("e6") is not None and framework.tool_of("ind7") == "EIT"
    assert frameworks.get("ita-2568").planning.approach == "every_weak_item"


def test_the_lowest_indicator_is_the_focus(agency: Agency) -> None:
    low = dict.fromkeys(EIT_COMMUNICATION, 60.0) | {"i1": 70.0}  # ind1 is weak too, not lowest
    plan = draft_plan(_analysis(low), agency=agency)
    assert plan.focus is not None
    assert (plan.focus.indicator, plan.focus.reason, plan.focus.note) == ("ind7", "lowest", "")
    framework = focus_framework()
    focus_codes = {c for m in plan.measures for c in m.addresses if c.startswith("e")}
    assert focus_codes == EIT_COMMUNICATION  # every weak item of ind7, nothing of other indicators
    assert "i1" not in _addressed(plan)  # weak, but outside the focus indicator
    assert {"o25", "o26"} <= _addressed(plan)  # the plan and its report must be published
    heading = f"มาตรการพัฒนาตัวชี้วัดที่ 7 {framework.name_of('ind7')}"
    groups = [m.group for m in plan.measures]
    assert groups[0] == heading
    publication = [m for m in plan.measures if set(m.addresses) & {"o25", "o26"}]
    assert publication and all(m.group == GROUPS["OIT"] for m in publication)
    assert plan.measures[-1] in publication  # focus measures first
    assert "ตัวชี้วัดที่ 7" in plan.foreword and "คะแนนต่ำที่สุด" in plan.foreword
    assert [m.id for m in plan.measures] == [f"M{n}" for n in range(1, len(plan.measures) + 1)]


def test_the_officer_chooses_an_indicator(agency: Agency) -> None:
    low = dict.fromkeys(EIT_COMMUNICATION, 60.0)
    plan = draft_plan(_analysis(low), agency=agency, focus="ind3", focus_note="เสี่ยงด้านอำนาจ")
    assert plan.focus is not None
    assert (plan.focus.indicator, plan.focus.reason) == ("ind3", "chosen")
    assert plan.focus.note == "เสี่ยงด้านอำนาจ"
    # nothing of ind3 is weak: its three lowest items are drafted
    ind3 = [
        i.code for i in next(i for i in focus_framework().indicators if i.code == "ind3").all_items
    ]
    assert {c for c in _addressed(plan) if c.startswith("i")} == set(ind3[:3])
    assert not _addressed(plan) & EIT_COMMUNICATION
    assert "ความเสี่ยงสูงที่สุด" in plan.foreword and "ตัวชี้วัดที่ 3" in plan.foreword


def test_naming_the_lowest_indicator_keeps_the_reason_lowest(agency: Agency) -> None:
    plan = draft_plan(
        _analysis(dict.fromkeys(EIT_COMMUNICATION, 60.0)), agency=agency, focus="ind7"
    )
    assert plan.focus is not None and plan.focus.reason == "lowest"


def test_weak_items_of_the_focus_only(agency: Agency) -> None:
    low = {"i13": 50.0, "i14": 80.0, "i2": 20.0}
    analysis = _analysis(low)
    assert ranked_indicators(analysis)[0][0] == "ind1"  # 82.50 < ind3 85.00
    plan = draft_plan(analysis, agency=agency, focus="ind3")
    assert {c for c in _addressed(plan) if c.startswith("i")} == {"i13", "i14"}


def test_ties_go_to_the_indicator_worth_more_of_the_total() -> None:
    # ind1 (IIT: one of five indicators of 30 %) and ind6 (EIT: one of three) tie at 65
    low = dict.fromkeys(["i1", "i2", "i3", "i4", "i5", "i6"], 65.0)
    low |= dict.fromkeys(["e1", "e2", "e3", "e4", "e5"], 65.0)
    ranked = ranked_indicators(_analysis(low))
    assert [code for code, _ in ranked[:2]] == ["ind6", "ind1"]


def test_unknown_or_unscored_indicator_is_refused(agency: Agency) -> None:
    analysis = _analysis({})
    with pytest.raises(FocusRefused, match=r"indicator 'ind12' is not in framework ita-2568"):
        draft_plan(analysis, agency=agency, focus="ind12")
    with pytest.raises(FocusRefused, match=r"ind9\.1"):
        draft_plan(analysis, agency=agency, focus="ind9.1")


def test_older_frameworks_have_no_focus(agency: Agency) -> None:
    framework = frameworks.get("ita-2568")
    analysis = _analysis(dict.fromkeys(EIT_COMMUNICATION, 60.0) | {"i1": 70.0}, framework)
    plan = draft_plan(analysis, agency=agency)
    assert plan.focus is None
    assert {"i1"} | EIT_COMMUNICATION <= _addressed(plan)
    assert "เลือกตัวชี้วัด" not in plan.foreword
    with pytest.raises(FocusRefused, match="every weak item"):
        draft_plan(analysis, agency=agency, focus="ind7")


def test_the_focus_survives_the_plan_file(agency: Agency, tmp_path: Path) -> None:
    plan = draft_plan(_analysis({"e6": 50.0}), agency=agency, focus_note="  ผลต่ำสุด  ")
    path = tmp_path / "plan.yaml"
    path.write_text(dump_plan(plan), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert "focus:\n  indicator: ind7\n  reason: lowest\n  note: ผลต่ำสุด" in text
    assert load_plan(path) == plan


def test_results_given_by_sub_indicator_only(agency: Agency) -> None:
    """A focus on ind9 when the results give its sub-indicators, not its items."""
    framework = focus_framework()
    ind9 = framework.indicators[8]
    scores = {i.code: 95.0 for t in framework.tools if t.kind == "survey" for i in t.items}
    scores |= {s.code: 90.0 for s in ind9.sub_indicators}
    scores |= {ind9.sub_indicators[1].code: 40.0, "ind10": 100.0}
    analysis = engine.analyze(engine.score(framework, scores, fiscal_year=2569))
    plan = draft_plan(analysis, agency=agency)
    assert plan.focus is not None and plan.focus.indicator == "ind9"
    assert ind9.sub_indicators[1].code in _addressed(plan)
