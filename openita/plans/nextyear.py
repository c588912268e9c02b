"""Next fiscal year's plan, started from this year's.

The measures are copied as they are (title, steps, unit, rounds, the codes of the findings
each one addresses) with their progress emptied and their deadlines moved one year; the memos
and the publication date are cleared. Given the results of the plan's own fiscal year (the
assessment that next year's plan answers), the plan's results are replaced by them, and the
comparison says what the officer should look at: weak units of the new results that no
measure addresses (add measures), and measures whose codes all pass now (they may be dropped).
"Weak" is what drafting uses (``openita.plans.draft.weak_codes``): items under the pass mark,
OIT items at 0, and other units (indicators given without items) under the pass mark.

Frameworks plan in one of two ways (``planning.approach``): a measure for every weak item, or
measures on ONE focus indicator (FY2569 O25). Given the new results, next year's plan follows
their framework: moving to the focus approach, the focus is the lowest indicator of the new
results (or the one named), only the measures on it and on the plan and report items are
carried, and the others are listed as not carried; when none is on it, its measures are drafted
from the catalog. The plan and report items' measures are carried, or drafted when
there is none. Moving away from it, the focus is dropped and every measure is carried. Staying
with it, the focus is chosen again from the new results (the measures of an old focus that is
no longer the focus are not carried). ``approach`` says what happened.

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
from typing import Literal

from openita.engine import Analysis
from openita.engine.rounding import published
from openita.frameworks import Framework, mappings
from openita.measures.catalog import CatalogNotFound, catalog_for
from openita.plans.draft import (
    FocusRefused,
    choose_focus,
    draft_focus_measures,
    focus_group,
    indicator_units,
    weak_codes,
)
from openita.plans.results import _framework, plan_analysis
from openita.plans.schema import Focus, Measure, Plan, Results, YearScores
from openita.text.thai import arabic_digits, thai_digits

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
class NotCarried:
    """A measure of this year's plan left out of next year's (not on the focus indicator)."""

    measure_id: str
    title: str
    addresses: tuple[str, ...]


Approach = Literal["same", "to_focus", "from_focus", "new_focus"]


@dataclass(frozen=True)
class NextYear:
    plan: Plan
    uncovered: tuple[Finding, ...] = ()
    resolved: tuple[Resolved, ...] = ()
    compared: bool = False  # the new results were given, so the two lists mean something
    # what happened to the planning approach: the same as this year's; to the focus approach;
    # away from it; or a focus approach whose focus indicator changed
    approach: Approach = "same"
    not_carried: tuple[NotCarried, ...] = ()
    drafted: tuple[str, ...] = ()  # ids of measures drafted from the catalog for the focus


def next_year_plan(
    plan: Plan,
    *,
    results: Results | None = None,
    focus: str | None = None,
    focus_note: str = "",
) -> NextYear:
    """Next fiscal year's plan from ``plan``; ``results``: the assessment of the plan's year.
    ``focus``: next year's focus indicator when the new results' framework plans on one
    (default: the lowest).

    Raises ValueError when the results are not of the plan's fiscal year or the focus cannot
    be used (FocusRefused), and PlanInvalid when they cannot be scored.
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
        focus=plan.focus.model_copy() if plan.focus else None,
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
    drafted, approach, left, made = _follow_the_approach(drafted, analysis, focus, focus_note)
    weak_of = None if drafted.focus is None else drafted.focus.indicator
    # a focus plan's plan and report item measures are never "may be dropped": it must publish
    planning = _planning_items(analysis.result.framework) if drafted.focus else set()
    optional = [m for m in drafted.measures if not (m.addresses and set(m.addresses) <= planning)]
    return NextYear(
        drafted,
        uncovered=uncovered(analysis, drafted.measures, within=weak_of),
        resolved=resolved(analysis, optional),
        compared=True,
        approach=approach,
        not_carried=left,
        drafted=made,
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


def _follow_the_approach(
    plan: Plan, analysis: Analysis, focus: str | None, note: str
) -> tuple[Plan, Approach, tuple[NotCarried, ...], tuple[str, ...]]:
    """Next year's plan as the new results' framework plans: (plan, what changed, measures
    not carried, measures drafted)."""
    framework = analysis.result.framework
    had_focus = plan.focus is not None
    if framework.planning.approach != "focus_indicator":
        if focus is not None:
            raise FocusRefused(
                f"framework {framework.id} plans a measure for every weak item: it has no "
                "focus indicator"
            )
        if not had_focus:
            return plan, "same", (), ()
        return plan.model_copy(update={"focus": None}), "from_focus", (), ()
    old = plan.focus
    chosen = choose_focus(analysis, focus, note=note or (old.note if old else ""))
    if old is not None and old.indicator == chosen.indicator:
        return plan.model_copy(update={"focus": chosen}), "same", (), ()
    approach: Approach = "new_focus" if had_focus else "to_focus"
    inside = _on_focus(framework, chosen)
    planning = _planning_items(framework)
    carried = [
        m for m in plan.measures if set(m.addresses) & (inside | planning) or not m.addresses
    ]
    left = tuple(
        NotCarried(m.id, m.title, tuple(m.addresses)) for m in plan.measures if m not in carried
    )
    heading = focus_group(framework, chosen.indicator)
    carried = [
        m.model_copy(update={"group": heading}) if set(m.addresses) & inside else m for m in carried
    ]
    addressed = {c for m in carried for c in m.addresses}
    need_focus, need_planning = not addressed & inside, planning - addressed
    made: tuple[str, ...] = ()
    if need_focus or need_planning:
        new = _numbered_after(
            plan,
            [
                m
                for m in _drafted_focus_measures(analysis, plan, chosen.indicator)
                if (need_focus and set(m.addresses) & inside) or set(m.addresses) & need_planning
            ],
        )
        made = tuple(m.id for m in new)
        on_focus = [m for m in new if set(m.addresses) & inside]
        carried = on_focus + carried + [m for m in new if m not in on_focus]
    if not carried:  # a plan has at least one measure; keep this year's when nothing else fits
        return plan.model_copy(update={"focus": chosen}), approach, (), ()
    return plan.model_copy(update={"focus": chosen, "measures": carried}), approach, left, made


def _on_focus(framework: Framework, focus: Focus) -> set[str]:
    """The focus indicator and its sub-indicators and items."""
    found = next((i for i in framework.indicators if i.code == focus.indicator), None)
    codes = {focus.indicator, *indicator_units(framework, focus.indicator)}
    if found is not None:
        codes |= {s.code for s in found.sub_indicators}
    return codes


def _planning_items(framework: Framework) -> set[str]:
    """The items the plan and its report are published under (their measures are carried)."""
    found = (framework.planning.plan_item, framework.planning.report_item)
    return {c for c in found if c and framework.item(c) is not None}


def _drafted_focus_measures(analysis: Analysis, plan: Plan, indicator: str) -> list[Measure]:
    """The measures drafting gives a plan focused on ``indicator`` (none without a catalog)."""
    try:
        catalog = catalog_for(analysis.result.framework)
    except CatalogNotFound:
        return []
    return draft_focus_measures(analysis, catalog, indicator, plan.agency, plan.fiscal_year)


def _numbered_after(plan: Plan, measures: list[Measure]) -> list[Measure]:
    """``measures`` with ids after the plan's own (M14, M15 … after M1-M13)."""
    used = {m.id for m in plan.measures}
    numbers = (n for n in range(len(plan.measures) + 1, 10_000) if f"M{n}" not in used)
    return [m.model_copy(update={"id": f"M{next(numbers)}"}) for m in measures]


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


def uncovered(
    analysis: Analysis, measures: list[Measure], *, within: str | None = None
) -> tuple[Finding, ...]:
    """Weak units that no measure addresses, itself or through its (sub-)indicator; lowest
    score first. ``within``: only those of this indicator (a focus plan's)."""
    framework = analysis.result.framework
    addressed = {c for m in measures for c in m.addresses}
    above = _lineage(framework)
    scores = analysis.result.scores
    found = [
        Finding(code, framework.name_of(code), scores[code])
        for code in weak_codes(analysis)
        if code in scores
        and not ({code, *above.get(code, ())} & addressed)
        and (within is None or within in {code, *above.get(code, ())})
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
