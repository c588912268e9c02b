"""The ITA results a plan file carries, scored by the engine whenever a document needs them."""

from __future__ import annotations

from openita import engine, frameworks
from openita.frameworks import Framework
from openita.plans.files import PlanInvalid
from openita.plans.schema import Plan, YearScores


def _framework(plan: Plan, year: YearScores) -> Framework:
    ref = year.framework or (plan.results.framework if plan.results else None)
    if ref:
        return frameworks.get(ref)
    return frameworks.for_year(year.fiscal_year) or frameworks.default()


def _score(plan: Plan, year: YearScores, where: str) -> engine.Result:
    fw = _framework(plan, year)
    try:
        return engine.score(fw, year.scores, fiscal_year=year.fiscal_year)
    except engine.ScoringError as exc:
        raise PlanInvalid(
            [f"{where} (fiscal year {year.fiscal_year}): {p.message}" for p in exc.problems]
        ) from None


def plan_analysis(plan: Plan) -> engine.Analysis | None:
    """The analysis of the plan's results, with its history; None when it carries none."""
    if plan.results is None:
        return None
    current = _score(plan, plan.results.current, "results.current")
    history = [_score(plan, y, f"results.history[{n}]") for n, y in enumerate(plan.results.history)]
    return engine.analyze(current, history)
