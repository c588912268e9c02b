"""Next fiscal year's plan from this year's: dates, progress, codes, foreword, and the
comparison with the results of the plan's year (real example results)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openita import engine, importers
from openita.plans import Agency, Plan, Progress, Results, YearScores, load_plan
from openita.plans.draft import draft_plan, year_scores
from openita.plans.files import PlanInvalid
from openita.plans.nextyear import a_year_later, next_year_plan, shift_years

EXAMPLES = Path(__file__).resolve().parents[2] / "openita" / "examples"
D = dt.date


@pytest.fixture(scope="module")
def example() -> Plan:
    return load_plan(EXAMPLES / "bansong-plan-2566.yaml")


def _results(year: int, name: str = "bansong-2565.csv") -> Results:
    result = importers.load_result([EXAMPLES / name], fiscal_year=year)
    return Results(framework=result.framework.id, current=year_scores(result))


@pytest.mark.parametrize(
    ("day", "later"),
    [
        (D(2023, 3, 31), D(2024, 3, 31)),  # a month's end stays the month's end
        (D(2023, 6, 15), D(2024, 6, 15)),
        (D(2024, 2, 29), D(2025, 2, 28)),  # 29 Feb -> 28 Feb
        (D(2023, 2, 28), D(2024, 2, 29)),  # the end of February stays its end in a leap year
        (D(2024, 2, 28), D(2025, 2, 28)),  # not the end of February in a leap year: kept
        (D(2022, 10, 1), D(2023, 10, 1)),
        (D(2023, 9, 30), D(2024, 9, 30)),
        (D(2023, 12, 31), D(2024, 12, 31)),
    ],
)
def test_a_year_later(day: dt.date, later: dt.date) -> None:
    assert a_year_later(day) == later


@pytest.mark.parametrize(
    ("text", "years", "shifted"),
    [
        ("ผลปี 2565 แผนปี 2566", {2566: 2567, 2565: 2566}, "ผลปี 2566 แผนปี 2567"),
        ("ประจำปี ๒๕๖๖ (พ.ศ. 2566)", {2566: 2567}, "ประจำปี ๒๕๖๗ (พ.ศ. 2567)"),
        ("ผลปี 2565 แผนปี 2566", {2566: 2567}, "ผลปี 2565 แผนปี 2567"),
        ("โทร 025661234 ปี 2566", {2566: 2567}, "โทร 025661234 ปี 2567"),  # not a year
        ("", {2566: 2567}, ""),
    ],
)
def test_shift_years(text: str, years: dict[int, int], shifted: str) -> None:
    assert shift_years(text, years) == shifted


def test_measures_copied_with_progress_emptied(example: Plan) -> None:
    assert any(m.progress for m in example.measures) and example.published is not None
    found = next_year_plan(example)
    plan = found.plan
    assert plan.fiscal_year == 2567 and plan.agency == example.agency
    assert plan.published is None and plan.memos == {}
    assert not found.compared and found.uncovered == () and found.resolved == ()
    assert plan.results == example.results  # no newer results given: kept
    assert len(plan.measures) == len(example.measures)
    for old, new in zip(example.measures, plan.measures, strict=True):
        assert new.progress == {}
        assert (new.id, new.title, new.steps, new.unit, new.group, new.rounds) == (
            old.id,
            old.title,
            old.steps,
            old.unit,
            old.group,
            old.rounds,
        )
        assert new.addresses == old.addresses and new.addresses
        assert new.deadline == a_year_later(old.deadline)
    assert "ประจำปีงบประมาณ พ.ศ. 2567" in plan.foreword
    assert "พ.ศ. 2565" in plan.foreword  # the kept results are still those of 2565
    assert example.measures[0].progress  # the original is not changed


def test_foreword_years_follow_new_results(example: Plan) -> None:
    plan = next_year_plan(example, results=_results(2566)).plan
    assert "ผลการประเมินในปีงบประมาณ พ.ศ. 2566" in plan.foreword
    assert "ประจำปีงบประมาณ พ.ศ. 2567" in plan.foreword and "2565" not in plan.foreword


def test_new_results_replace_and_old_become_history(example: Plan) -> None:
    plan = next_year_plan(example, results=_results(2566)).plan
    assert plan.results is not None and plan.results.current.fiscal_year == 2566
    assert [y.fiscal_year for y in plan.results.history] == [2563, 2564, 2565]
    assert all(y.framework == "ita-2565" for y in plan.results.history)


def test_results_of_another_year_are_refused(example: Plan) -> None:
    with pytest.raises(ValueError, match="2566"):
        next_year_plan(example, results=_results(2565))


def test_results_that_do_not_score_are_refused(example: Plan) -> None:
    bad = Results(current=YearScores(fiscal_year=2566, scores={"i1": 50}))
    with pytest.raises(PlanInvalid):
        next_year_plan(example, results=bad)


def test_uncovered_and_resolved_with_real_results() -> None:
    """The example agency's 2565 plan drafted from its 2564 indicators, then next year's plan
    with its real 2565 item scores."""
    r64 = importers.load_result([EXAMPLES / "bansong-2564.csv"])
    plan = draft_plan(engine.analyze(r64), agency=Agency(name="เทศบาลตำบลบ้านส้อง"))
    by_code = {m.addresses[0]: m.id for m in plan.measures}
    assert plan.fiscal_year == 2565 and set(by_code) == {"ind2", "ind3", "ind4", "ind5", "ind7"}
    found = next_year_plan(plan, results=_results(2565))
    assert found.compared and found.plan.fiscal_year == 2566
    uncovered = [f.code for f in found.uncovered]
    # OIT items at 0 and EIT items under 85 of ind6 and ind8; ind7's items have a measure
    assert set(uncovered) == {"o12", "o20", "e1", "e2", "e3", "e5", "e11", "e12", "e14", "e15"}
    assert uncovered[:2] == ["o12", "o20"]  # lowest first
    assert not {"e6", "e7", "e9", "e10"} & set(uncovered)
    assert found.uncovered[2].name.startswith("เจ้าหน้าที่")  # the item's Thai text
    resolved = {r.measure_id: dict(r.scores) for r in found.resolved}
    assert set(resolved) == {by_code[c] for c in ("ind2", "ind3", "ind4", "ind5")}
    assert round(resolved[by_code["ind3"]]["ind3"], 2) == 94.38
    assert by_code["ind7"] not in resolved  # ind7 76.92: still under the pass mark


def test_measure_without_codes_or_unscored_codes_is_never_resolved(example: Plan) -> None:
    measures = [
        example.measures[0].model_copy(update={"id": "X1", "addresses": []}),
        example.measures[1].model_copy(update={"id": "X2", "addresses": ["e4", "zz9"]}),
        example.measures[2].model_copy(update={"id": "X3", "addresses": ["e4"]}),
    ]
    plan = example.model_copy(update={"measures": measures})
    found = next_year_plan(plan, results=_results(2566))
    assert [r.measure_id for r in found.resolved] == ["X3"]  # e4 = 100


def test_progress_of_a_done_measure_is_reset() -> None:
    plan = load_plan(EXAMPLES / "bansong-plan-2566.yaml")
    done = plan.measures[0].model_copy(
        update={"progress": {6: Progress(status="done", percent=100, updated=D(2023, 3, 1))}}
    )
    plan = plan.model_copy(update={"measures": [done]})
    assert next_year_plan(plan).plan.measures[0].progress == {}
