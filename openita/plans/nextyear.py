"""Next fiscal year's plan, started from this year's.

The measures are copied as they are (title, steps, unit, rounds, the codes of the findings
each one addresses) with their progress emptied and their deadlines moved one year; the memos
and the publication date are cleared. Given the results of the plan's own fiscal year (the
assessment that next year's plan answers), the plan's results are replaced by them, and the
comparison says what the officer should look at: weak units of the new results that no
measure addresses (add measures), and measures whose codes all pass now (they may be dropped).
"Weak" is what drafting uses (``openita.plans.draft.weak_codes``): items under the pass mark,
OIT items at 0, and other units (indicators given without items) under the pass mark.

The foreword is the officer's text and is kept; only its year numbers are moved on: the plan's
year becomes the next year and, when the results are replaced, the old results year becomes
the new results year (both in one pass, Thai or Arabic digits kept as written). Other numbers
are left alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from openita.documents.thai import arabic_digits, thai_digits
from openita.engine import Analysis
from openita.engine.rounding import published
from openita.frameworks import Framework, mappings
from openita.plans.draft import weak_codes
from openita.plans.results import _framework, plan_analysis
from openita.plans.schema import Measure, Plan, Results, YearScores

YEAR = re.compile(r"(?<![0-9๐-๙])[0-9๐-๙]{4}(?![0-9๐-๙])")


@dataclass(frozen=True)
class Finding:
    """A weak unit of the new results that no measure addresses."""

    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Resolved:
    """A measure whose addressed codes all pass in the new results."""

    measure_id: str
    title: str
    scores: tuple[tuple[str, float], ...]  # (code, score) of each code it addresses


@dataclass(frozen=True)
class NextYear:
    plan: Plan
    uncovered: tuple[Finding, ...] = ()
    resolved: tuple[Resolved, ...] = ()
    compared: bool = False  # the new results were given, so the two lists mean something


def next_year_plan(plan: Plan, *, results: Results | None = None) -> NextYear:
    """Next fiscal year's plan from ``plan``; ``results``: the assessment of the plan's year.

    Raises ValueError when the results are not of the plan's fiscal year, and PlanInvalid
    when they cannot be scored.
    """
    year = plan.fiscal_year + 1
    new_results = plan.results
    if results is not None:
        if results.current.fiscal_year != plan.fiscal_year:
            raise ValueError(
                f"the results are of fiscal year {results.current.fiscal_year}; next year's "
                f"plan ({year}) answers the results of the plan's year {plan.fiscal_year}"
            )
        new_results = _with_history(results, plan.results)
    years = {plan.fiscal_year: year}
    if results is not None and plan.results is not None:
        years[plan.results.current.fiscal_year] = plan.fiscal_year
    drafted = Plan(
        format=plan.format,
        agency=plan.agency.model_copy(deep=True),
        fiscal_year=year,
        results=new_results,
        foreword=shift_years(plan.foreword, years),
        published=None,
        measures=[_next_measure(m) for m in plan.measures],
        memos={},
    )
    if results is None:
        return NextYear(drafted)
    if plan.results is not None and drafted.results is not None:
        old_fw = _framework(plan, plan.results.current)
        new_fw = _framework(drafted, drafted.results.current)
        for measure in drafted.measures:
            measure.addresses = carry_codes(measure.addresses, old_fw, new_fw)
    analysis = plan_analysis(drafted)
    assert analysis is not None  # the plan carries results now
    return NextYear(
        drafted,
        uncovered=uncovered(analysis, drafted.measures),
        resolved=resolved(analysis, drafted.measures),
        compared=True,
    )


def carry_codes(codes: list[str], old: Framework, new: Framework) -> list[str]:
    """The codes a measure addresses, from the old results' framework to the new one's.

    Items go through the reviewed item mapping between the two frameworks, never by code
    alone (``o10`` of ita-2565 is not ``o10`` of ita-2566); an item the mapping ends, or one
    with no mapping between the frameworks, is dropped. Indicator and tool codes are kept."""
    if old.id == new.id:
        return list(codes)
    try:
        mapping: mappings.Mapping | None = mappings.get(old.id, new.id)
    except mappings.MappingNotFound:
        mapping = None
    carried: list[str] = []
    for code in codes:
        if old.item(code) is None:
            found: tuple[str, ...] = (code,)
        elif mapping is None:
            found = ()
        else:
            found = mappings.carry(mapping, code)
        carried += [c for c in found if c not in carried]
    return carried


def _with_history(results: Results, old: Results | None) -> Results:
    """The given results; when they carry no history, the old plan's results become it (each
    year naming its framework, since the new results may be scored by a newer one)."""
    if results.history or old is None:
        return results.model_copy(deep=True)
    past = [*old.history, old.current]
    history = [
        YearScores(
            fiscal_year=y.fiscal_year,
            scores=dict(y.scores),
            framework=y.framework or old.framework,
        )
        for y in sorted(past, key=lambda y: y.fiscal_year)
        if y.fiscal_year < results.current.fiscal_year
    ]
    return Results(framework=results.framework, current=results.current, history=history)


def _next_measure(measure: Measure) -> Measure:
    return Measure(
        id=measure.id,
        group=measure.group,
        title=measure.title,
        steps=list(measure.steps),
        unit=measure.unit,
        deadline=a_year_later(measure.deadline),
        rounds=list(measure.rounds),
        addresses=list(measure.addresses),
        progress={},
    )


def a_year_later(day: dt.date) -> dt.date:
    """The same day a year later; the last day of a month stays the last day of its month
    (29 Feb -> 28 Feb, and 28 Feb before a leap year -> 29 Feb)."""
    year = day.year + 1
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, day.month, calendar.monthrange(year, day.month)[1])
    return dt.date(year, day.month, day.day)


def shift_years(text: str, years: Mapping[int, int]) -> str:
    """Replace each four-digit year of ``years`` (B.E., Arabic or Thai digits) by its new
    value in one pass, so 2565 -> 2566 and 2566 -> 2567 do not chain."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        new = years.get(int(arabic_digits(found)))
        if new is None:
            return found
        return thai_digits(str(new)) if found != arabic_digits(found) else str(new)

    return YEAR.sub(replace, text)


# --- what changed between the old findings and the new results ------------------------------


def _lineage(framework: Framework) -> dict[str, tuple[str, ...]]:
    """code -> the codes above it (sub-indicator, indicator), nearest first."""
    above: dict[str, tuple[str, ...]] = {}
    for indicator in framework.indicators:
        for item in indicator.items:
            above[item.code] = (indicator.code,)
        for sub in indicator.sub_indicators:
            above[sub.code] = (indicator.code,)
            for item in sub.items:
                above[item.code] = (sub.code, indicator.code)
    return above


def uncovered(analysis: Analysis, measures: list[Measure]) -> tuple[Finding, ...]:
    """Weak units that no measure addresses, itself or through its (sub-)indicator; lowest
    score first."""
    framework = analysis.result.framework
    addressed = {c for m in measures for c in m.addresses}
    above = _lineage(framework)
    scores = analysis.result.scores
    found = [
        Finding(code, framework.name_of(code), scores[code])
        for code in weak_codes(analysis)
        if code in scores and not ({code, *above.get(code, ())} & addressed)
    ]
    order = {f.code: n for n, f in enumerate(found)}
    return tuple(sorted(found, key=lambda f: (f.score, order[f.code])))


def resolved(analysis: Analysis, measures: list[Measure]) -> tuple[Resolved, ...]:
    """Measures whose every addressed code is scored in the new results and passes (at or
    above the pass mark as published). A measure addressing no code,
    or a code the new results do not score, is never listed: nothing says it is done."""
    scores = analysis.result.scores
    pass_mark = analysis.result.framework.pass_mark
    found = []
    for measure in measures:
        codes = measure.addresses
        if not codes or any(c not in scores for c in codes):
            continue
        if all(published(scores[c]) >= pass_mark for c in codes):
            found.append(Resolved(measure.id, measure.title, tuple((c, scores[c]) for c in codes)))
    return tuple(found)
