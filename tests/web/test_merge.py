"""The stale-save merge (openita/web/plans/merge.py, pure): measure by measure, one-sided
changes taken, conflicts kept as the user's with the colleague's shown, ids never mixed up."""

from __future__ import annotations

from typing import Any

from openita.plans.files import load_plan
from openita.plans.schema import Plan, Progress
from openita.web.plans.merge import merge_plan, merge_progress
from tests.conftest import EXAMPLES

ORIGIN = load_plan(EXAMPLES / "bansong-plan-2566.yaml")


def changed(plan: Plan, measure_id: str, **fields: Any) -> Plan:
    measures = [m.model_copy(update=fields) if m.id == measure_id else m for m in plan.measures]
    return plan.model_copy(update={"measures": measures})


def added(plan: Plan, measure_id: str, title: str) -> Plan:
    new = plan.measures[0].model_copy(update={"id": measure_id, "title": title, "progress": {}})
    return plan.model_copy(update={"measures": [*plan.measures, new]})


def test_each_side_keeps_its_own_measure() -> None:
    a, b = ORIGIN.measures[0].id, ORIGIN.measures[1].id
    theirs = changed(ORIGIN, b, title="ของเพื่อนร่วมงาน")
    mine = changed(ORIGIN, a, title="ของฉัน")
    merged = merge_plan(ORIGIN, theirs, mine)
    titles = {r["id"]: r["title"] for r in merged.rows}
    assert titles[a] == "ของฉัน" and titles[b] == "ของเพื่อนร่วมงาน"
    assert merged.taken == [b] and merged.conflicts == {}


def test_both_changed_differently_is_a_conflict_keeping_mine() -> None:
    a = ORIGIN.measures[0].id
    merged = merge_plan(
        ORIGIN, changed(ORIGIN, a, title="ของเขา"), changed(ORIGIN, a, title="ของฉัน")
    )
    assert {r["id"]: r["title"] for r in merged.rows}[a] == "ของฉัน"
    assert merged.conflicts[a]["title"] == "ของเขา"
    same = merge_plan(
        ORIGIN, changed(ORIGIN, a, title="เหมือนกัน"), changed(ORIGIN, a, title="เหมือนกัน")
    )
    assert same.conflicts == {}


def test_new_measures_of_both_sides_are_both_kept_even_with_the_same_id() -> None:
    theirs, mine = added(ORIGIN, "M99", "ใหม่ของเขา"), added(ORIGIN, "M99", "ใหม่ของฉัน")
    merged = merge_plan(ORIGIN, theirs, mine)
    rows = [(r["id"], r["title"]) for r in merged.rows]
    assert ("M99", "ใหม่ของเขา") in rows and ("", "ใหม่ของฉัน") in rows  # mine gets a fresh id
    assert merged.conflicts == {}


def test_removed_by_me_but_changed_by_them_comes_back_ticked() -> None:
    a = ORIGIN.measures[0].id
    theirs = changed(ORIGIN, a, title="แก้โดยเขา")
    mine = ORIGIN.model_copy(update={"measures": ORIGIN.measures[1:]})
    merged = merge_plan(ORIGIN, theirs, mine)
    row = next(r for r in merged.rows if r["id"] == a)
    assert row["DELETE"] is True and row["title"] == "แก้โดยเขา" and a in merged.conflicts
    untouched = merge_plan(ORIGIN, ORIGIN, mine)  # only I removed it: it stays removed
    assert a not in untouched.ids


def test_progress_merges_per_measure_and_ignores_the_updated_date() -> None:
    a, b = ORIGIN.measures[0].id, ORIGIN.measures[1].id
    theirs = changed(
        ORIGIN, b, progress={6: Progress(status="in_progress", done="เขา"), 12: Progress()}
    )
    mine = changed(ORIGIN, a, progress={6: Progress(status="in_progress", done="ฉัน")})
    merged = merge_progress(ORIGIN, theirs, mine, 6)
    done = {r["id"]: r["done"] for r in merged.rows}
    assert done[a] == "ฉัน" and done[b] == "เขา" and merged.conflicts == {}
