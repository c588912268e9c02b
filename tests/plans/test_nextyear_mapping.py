"""Next year's plan carries each measure's item codes to the new framework through the
reviewed item mapping, never by code alone."""

from __future__ import annotations

from pathlib import Path

from openita import frameworks, importers
from openita.plans import Results, load_plan
from openita.plans.draft import year_scores
from openita.plans.nextyear import carry_codes, next_year_plan

EXAMPLES = Path(__file__).resolve().parents[2] / "openita" / "examples"


def test_measures_follow_the_renumbering_2565_to_2566() -> None:
    plan = load_plan(EXAMPLES / "bansong-plan-2566.yaml")  # results FY2565, ita-2565
    new = importers.load_result([EXAMPLES / "bansong-2565.csv"], fiscal_year=2566)
    assert new.framework.id == "ita-2566"
    results = Results(framework="ita-2566", current=year_scores(new))
    before = {m.id: m.addresses for m in plan.measures}
    after = {m.id: m.addresses for m in next_year_plan(plan, results=results).plan.measures}
    assert before["M12"] == ["o12"] and after["M12"] == ["o13"]  # the annual report
    for mid, codes in before.items():
        if all(c.startswith("ind") for c in codes):
            assert after[mid] == codes  # indicators survive renumbering


def test_carry_codes_table() -> None:
    fw65, fw66, fw69 = (frameworks.get(f"ita-{y}") for y in (2565, 2566, 2569))
    assert carry_codes(["o10", "ind9", "e3"], fw65, fw66) == ["o11", "ind9", "e3"]
    assert carry_codes(["o35"], fw65, fw66) == []  # ended in FY2566
    assert carry_codes(["o42"], fw65, fw69) == ["o23", "o25"]
    assert carry_codes(["o42", "o43"], fw65, fw65) == ["o42", "o43"]
    other = fw66.model_copy(update={"id": "agency-2566"})  # no mapping to it
    assert carry_codes(["o5", "ind9"], fw65, other) == ["ind9"]
