"""Drafting a plan of measures from the analysis of a year's ITA results.

Every weak unit (an item under the pass mark, an OIT item at 0, or an indicator given without
its items and under the pass mark) gets at least one measure: the catalog's measures for it,
or a generic measure when the catalog has none. Measures are ordered by the uplift gain of the
strongest code they address (points of the total if raised to 100); codes that share a catalog
entry share its measures. Catalog entries on weak indicators follow, by the indicator's gain.
When nothing is weak, the three lowest units of each survey tool are drafted instead, so a plan
is never empty.

Frameworks whose ``planning.approach`` is ``focus_indicator`` (FY2569 O25) are planned on ONE
indicator instead: the lowest-scoring one, or the one the officer names (for its risk). Its
weak items get the measures (its three lowest items when none is weak), then the catalog's
entries on the indicator itself, then the measures of the plan item and the report item (the
plan and its report must be published under them). The plan records the choice in ``focus``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from openita.engine import Analysis, Result, coefficients
from openita.engine.rounding import published
from openita.engine.scoring import given_of
from openita.frameworks import Framework
from openita.measures.catalog import Catalog, catalog_for
from openita.measures.catalog import Measure as CatalogMeasure
from openita.plans.schema import Agency, Focus, Measure, Plan, Results, YearScores
from openita.text.thai import fiscal_year_bounds

# Measure groups (มาตรการหลัก) by tool, as in seed 003's table of measures.
GROUPS: dict[str, str] = {
    "IIT": "มาตรการเพิ่มประสิทธิภาพการดำเนินงานและการสื่อสารกับบุคลากรภายในหน่วยงาน",
    "EIT": "มาตรการสร้างการรับรู้และส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสียภายนอกหน่วยงาน",
    "OIT": "มาตรการเปิดเผยข้อมูลสาธารณะ",
}
LOWEST_N = 3  # units per survey tool drafted when nothing is under the pass mark
GENERIC_UNIT = "สำนักปลัด"
GENERIC_DEADLINE_MONTH = 6
LOCAL_GOVERNMENT_WORDS = ("องค์การบริหารส่วน", "อบต", "อบจ", "เทศบาล")

MeasureKey = tuple[int, int] | str  # (entry, measure) in the catalog, or a generic measure's code


@dataclass
class _Draft:
    """A measure being drafted: its source measure and the codes it addresses, strongest first."""

    source: CatalogMeasure
    codes: list[str] = field(default_factory=list)


class FocusRefused(ValueError):
    """The focus indicator cannot be used (unknown in the framework, not scored, or the
    framework does not plan on one indicator); the message says why."""


def draft_plan(
    analysis: Analysis,
    *,
    agency: Agency,
    fiscal_year: int | None = None,
    catalog: Catalog | None = None,
    history: Sequence[Result] = (),
    focus: str | None = None,
    focus_note: str = "",
) -> Plan:
    """A first plan for the year after the analysed one, for the officer to edit.

    ``focus``: the indicator to build the plan on, for a framework of the focus-indicator
    approach (default: the lowest); FocusRefused when it cannot be used.
    """
    result = analysis.result
    framework = result.framework
    results_year = _results_year(result)
    year = results_year + 1 if fiscal_year is None else fiscal_year
    if year <= results_year:
        raise ValueError(
            f"the plan's fiscal year {year} must come after the results year {results_year}"
        )
    chosen = catalog if catalog is not None else catalog_for(framework)
    focused: Focus | None = None
    if framework.planning.approach == "focus_indicator":
        focused = choose_focus(analysis, focus, note=focus_note)
        drafts = _focus_drafts(analysis, chosen, focused.indicator)
        groups = _focus_groups(drafts, framework, focused.indicator)
    else:
        if focus is not None:
            raise FocusRefused(
                f"framework {framework.id} plans a measure for every weak item "
                f"(planning approach {framework.planning.approach}): it has no focus indicator"
            )
        drafts = _grouped(_drafts(analysis, chosen), framework)
        groups = [_group_of(d, framework) for d in drafts]
    return Plan(
        agency=agency,
        fiscal_year=year,
        results=_results(result, history),
        foreword=foreword(agency, results_year, year, focus=focused, framework=framework),
        published=None,
        focus=focused,
        measures=[
            _measure(n, d, group, agency, year)
            for n, (d, group) in enumerate(zip(drafts, groups, strict=True), start=1)
        ],
        memos={},
    )


def _results_year(result: Result) -> int:
    if result.fiscal_year is None:
        name = f" ({result.label})" if result.label else ""
        raise ValueError(
            f"the results{name} have no fiscal year; give the fiscal_year of the scores "
            "(a 'fiscal_year' row in the score file) before drafting a plan"
        )
    return result.fiscal_year


# Which codes, in which order


def _drafts(analysis: Analysis, catalog: Catalog) -> list[_Draft]:
    gains = {f.code: f.gain for f in analysis.uplift.fixes}
    weak = _by_gain(weak_codes(analysis), gains) or _lowest_per_survey_tool(analysis.result)
    drafts: dict[MeasureKey, _Draft] = {}
    for code in weak:
        _cover(code, catalog, analysis.result.framework, drafts)
    _add_indicator_entries(analysis, catalog, gains, drafts)
    return list(drafts.values())


def weak_codes(analysis: Analysis) -> list[str]:
    """Items under the pass mark, OIT items at 0, and other units under the pass mark."""
    pass_mark = analysis.result.framework.pass_mark
    units = [f.code for f in analysis.uplift.fixes if published(f.score) < pass_mark]
    codes = [s.code for s in (*analysis.below_threshold, *analysis.zero_items)]
    return list(dict.fromkeys([*codes, *units]))


def _by_gain(codes: Iterable[str], gains: dict[str, float]) -> list[str]:
    """Biggest gain first; equal gains keep the given order (sorted() is stable)."""
    return sorted(codes, key=lambda code: -gains.get(code, 0.0))


def _lowest_per_survey_tool(result: Result) -> list[str]:
    """The LOWEST_N lowest units of each survey tool, lowest first, tool by tool."""
    framework = result.framework
    units = list(coefficients(result))
    codes: list[str] = []
    for tool in framework.tools:
        if tool.kind != "survey":
            continue
        mine = [c for c in units if (framework.tool_of(c) or c) == tool.code]
        codes += sorted(mine, key=lambda c: result.scores[c])[:LOWEST_N]
    return codes


def _cover(
    code: str, catalog: Catalog, framework: Framework, drafts: dict[MeasureKey, _Draft]
) -> None:
    """Add the measures of the catalog entries naming ``code``, or a generic one."""
    keys = _catalog_keys(catalog, code)
    for entry, number in keys:
        _address(drafts, (entry, number), catalog.entries[entry].measures[number], code)
    if not keys:
        _address(drafts, code, generic_measure(framework, code), code)


def _address(
    drafts: dict[MeasureKey, _Draft], key: MeasureKey, source: CatalogMeasure, code: str
) -> None:
    draft = drafts.setdefault(key, _Draft(source))
    if code not in draft.codes:
        draft.codes.append(code)


def _catalog_keys(catalog: Catalog, code: str) -> list[tuple[int, int]]:
    return [
        (e, m)
        for e, entry in enumerate(catalog.entries)
        if code in entry.codes
        for m in range(len(entry.measures))
    ]


def _add_indicator_entries(
    analysis: Analysis,
    catalog: Catalog,
    gains: dict[str, float],
    drafts: dict[MeasureKey, _Draft],
) -> None:
    """Catalog entries on indicators under the pass mark, when the catalog has them."""
    framework = analysis.result.framework
    addressed = {c for d in drafts.values() for c in d.codes}
    weak = [s.code for s in analysis.weaknesses if s.code not in addressed]
    ranked = sorted(weak, key=lambda code: -_indicator_gain(framework, code, gains))
    for code in ranked:
        if _catalog_keys(catalog, code):
            _cover(code, catalog, framework, drafts)


def _indicator_gain(framework: Framework, code: str, gains: dict[str, float]) -> float:
    """Points of the total if the indicator were at 100: the sum of its units' gains."""
    indicator = next((i for i in framework.indicators if i.code == code), None)
    if indicator is None:
        return gains.get(code, 0.0)
    inside = {code, *(s.code for s in indicator.sub_indicators)}
    inside |= {i.code for i in indicator.all_items}
    return sum(g for c, g in gains.items() if c in inside)


# The focus-indicator approach (FY2569 O25)


def ranked_indicators(analysis: Analysis) -> list[tuple[str, float]]:
    """(indicator, score) of every scored indicator, lowest first. Ties (equal scores as
    published, to 2 decimals) go to the indicator whose raising to 100 adds most to the total,
    then to the framework's order."""
    result = analysis.result
    framework = result.framework
    gains = {f.code: f.gain for f in analysis.uplift.fixes}
    scored = [
        (n, ind.code, result.scores[ind.code])
        for n, ind in enumerate(framework.indicators)
        if ind.code in result.scores
    ]
    scored.sort(key=lambda s: (published(s[2]), -_indicator_gain(framework, s[1], gains), s[0]))
    return [(code, score) for _, code, score in scored]


def choose_focus(analysis: Analysis, indicator: str | None = None, *, note: str = "") -> Focus:
    """The focus: the named indicator, else the lowest. ``reason`` is ``lowest`` when the
    indicator is the lowest one (named or not), ``chosen`` otherwise."""
    framework = analysis.result.framework
    ranked = ranked_indicators(analysis)
    if not ranked:
        raise FocusRefused("the results score no indicator: there is no focus to choose")
    lowest = ranked[0][0]
    if indicator is None:
        return Focus(indicator=lowest, reason="lowest", note=note.strip())
    codes = [ind.code for ind in framework.indicators]
    if indicator not in codes:
        raise FocusRefused(
            f"indicator '{indicator}' is not in framework {framework.id} "
            f"(its indicators: {', '.join(codes)})"
        )
    if indicator not in dict(ranked):
        raise FocusRefused(f"indicator '{indicator}' has no score in the results")
    reason = "lowest" if indicator == lowest else "chosen"
    return Focus(indicator=indicator, reason=reason, note=note.strip())


def indicator_units(framework: Framework, indicator: str) -> list[str]:
    """The items of an indicator (through its sub-indicators), in the framework's order."""
    found = next((i for i in framework.indicators if i.code == indicator), None)
    return [] if found is None else [item.code for item in found.all_items]


def focus_codes(analysis: Analysis, indicator: str) -> list[str]:
    """The codes the focus measures address: the indicator's weak items (or sub-indicators,
    when the results give no items) by gain, else its LOWEST_N lowest ones (lowest first),
    else the indicator itself."""
    result = analysis.result
    framework = result.framework
    found = next((i for i in framework.indicators if i.code == indicator), None)
    items = [c for c in indicator_units(framework, indicator) if c in result.scores]
    subs = [s.code for s in found.sub_indicators if s.code in result.scores] if found else []
    gains = {f.code: f.gain for f in analysis.uplift.fixes}
    weak = [c for c in weak_codes(analysis) if c in {*items, *subs}]
    if weak:
        return _by_gain(weak, gains)
    units = items or subs
    lowest = sorted(units, key=lambda c: result.scores[c])[:LOWEST_N]
    return lowest or [indicator]


def _focus_drafts(analysis: Analysis, catalog: Catalog, indicator: str) -> list[_Draft]:
    framework = analysis.result.framework
    drafts: dict[MeasureKey, _Draft] = {}
    for code in focus_codes(analysis, indicator):
        _cover(code, catalog, framework, drafts)
    if _catalog_keys(catalog, indicator):
        _cover(indicator, catalog, framework, drafts)
    focus_measures = list(drafts.values())
    publication: dict[MeasureKey, _Draft] = {}
    for item in (framework.planning.plan_item, framework.planning.report_item):
        if not item or framework.item(item) is None:
            continue
        keys = _catalog_keys(catalog, item)
        for entry, number in keys:
            if (entry, number) not in drafts:
                source = catalog.entries[entry].measures[number]
                _address(publication, (entry, number), source, item)
        if not keys and item not in drafts:
            _address(publication, item, generic_measure(framework, item), item)
    return focus_measures + list(publication.values())


def draft_focus_measures(
    analysis: Analysis, catalog: Catalog, indicator: str, agency: Agency, year: int
) -> list[Measure]:
    """The measures drafting gives a plan focused on ``indicator``: the indicator's, then the
    plan and report items' (numbered M1...); for next year's plan when it moves to the focus
    approach."""
    framework = analysis.result.framework
    drafts = _focus_drafts(analysis, catalog, indicator)
    groups = _focus_groups(drafts, framework, indicator)
    return [
        _measure(n, d, group, agency, year)
        for n, (d, group) in enumerate(zip(drafts, groups, strict=True), start=1)
    ]


def _focus_groups(drafts: list[_Draft], framework: Framework, indicator: str) -> list[str]:
    """The focus indicator's measures under one heading; the plan and report items' under
    the OIT group."""
    inside = {indicator, *indicator_units(framework, indicator)}
    planning = {framework.planning.plan_item, framework.planning.report_item}
    heading = focus_group(framework, indicator)
    return [
        GROUPS["OIT"] if not set(d.codes) & inside and set(d.codes) & planning else heading
        for d in drafts
    ]


def focus_group(framework: Framework, indicator: str) -> str:
    """ "มาตรการพัฒนาตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร" """
    return f"มาตรการพัฒนาตัวชี้วัดที่ {indicator_number(indicator)} {framework.name_of(indicator)}"


def indicator_number(code: str) -> str:
    """ "ind7" -> "7" """
    return code.removeprefix("ind")


# One measure of the plan


def _group_of(draft: _Draft, framework: Framework) -> str:
    return GROUPS.get(framework.tool_of(draft.codes[0]) or draft.codes[0], "")


def _grouped(drafts: list[_Draft], framework: Framework) -> list[_Draft]:
    """Measures of one group together (as the plan's table prints them), the groups in the
    order of their strongest measure, the measures of a group by gain."""
    first: dict[str, int] = {}
    for n, draft in enumerate(drafts):
        first.setdefault(_group_of(draft, framework), n)
    return sorted(drafts, key=lambda d: first[_group_of(d, framework)])


def _measure(number: int, draft: _Draft, group: str, agency: Agency, year: int) -> Measure:
    source = draft.source
    return Measure(
        id=f"M{number}",
        group=group,
        title=source.title,
        steps=list(source.steps),
        unit=match_unit(source.unit, agency.units),
        deadline=deadline(year, source.deadline_month),
        rounds=list(source.rounds),
        addresses=list(draft.codes),
    )


def generic_measure(framework: Framework, code: str) -> CatalogMeasure:
    """A measure for a code the catalog does not name: review, set a practice, tell, report."""
    text = framework.name_of(code)
    return CatalogMeasure(
        title=f"การพัฒนาประเด็น {code}: {text}",
        steps=(
            f"ทบทวนสาเหตุที่ประเด็น {code} ได้คะแนนต่ำ ร่วมกับผู้บริหารและผู้ปฏิบัติงานที่เกี่ยวข้อง",
            "กำหนดแนวปฏิบัติหรือมาตรการแก้ไขประเด็นดังกล่าว และมอบหมายผู้รับผิดชอบให้ชัดเจน",
            "ชี้แจงและประชาสัมพันธ์แนวปฏิบัติแก่บุคลากรและผู้มีส่วนได้ส่วนเสียผ่านช่องทางต่าง ๆ",
            "สรุปรายงานผลการดำเนินงานเสนอผู้บริหารในรอบ 6 เดือน และ 12 เดือน",
        ),
        unit=GENERIC_UNIT,
        deadline_month=GENERIC_DEADLINE_MONTH,
        rounds=(6, 12),
    )


def match_unit(unit: str, units: Sequence[str]) -> str:
    """The agency's own name for a catalog unit: the same text, a unit containing it (one that
    starts with it first, then the shortest), or one it contains (the longest); else as is."""
    if not units or unit in units:
        return unit
    key = _squash(unit)
    containing = [u for u in units if key in _squash(u)]
    if containing:
        return min(containing, key=lambda u: (not _squash(u).startswith(key), len(u)))
    inside = [u for u in units if _squash(u) and _squash(u) in key]
    return max(inside, key=len) if inside else unit


def _squash(text: str) -> str:
    return "".join(text.split())


def deadline(fiscal_year: int, month: int) -> dt.date:
    """The last day of a calendar month inside a B.E. fiscal year (Oct-Dec: its first year)."""
    start, end = fiscal_year_bounds(fiscal_year)
    year = start.year if month >= start.month else end.year
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# Results and foreword


def _results(result: Result, history: Sequence[Result]) -> Results:
    return Results(
        framework=result.framework.id,
        current=year_scores(result),
        history=[year_scores(r, framework=r.framework.id) for r in _oldest_first(history)],
    )


def year_scores(result: Result, *, framework: str | None = None) -> YearScores:
    """The scores a result was computed from: its given codes, and the published figures given
    beside them (NACC's indicator, tool and total scores), which the documents print."""
    year = _results_year(result)
    given = {c: float(v) for c, v in given_of(result).items()}
    return YearScores(fiscal_year=year, scores=given, framework=framework)


def _oldest_first(history: Sequence[Result]) -> list[Result]:
    return sorted(history, key=_results_year)


def foreword(
    agency: Agency,
    results_year: int,
    plan_year: int,
    *,
    focus: Focus | None = None,
    framework: Framework | None = None,
) -> str:
    """A คำนำ in the style of the plans agencies publish (seed 003); with a focus, it says
    which indicator the measures are built on and why."""
    opening = (
        f"{agency.name} {_what(agency)}ได้เข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
        "ของหน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) "
        f"และได้นำข้อมูลผลการประเมินในปีงบประมาณ พ.ศ. {results_year} "
    )
    closing = (
        f"ประจำปีงบประมาณ พ.ศ. {plan_year} ขึ้น เพื่อเป็นเอกสารอ้างอิงและเป็นแผนที่นำทางแก่บุคลากร"
        "ในการดำเนินงานดังกล่าวให้เป็นไปตามเป้าหมายที่กำหนดไว้"
    )
    if focus is None or framework is None:
        return (
            opening + "มาวิเคราะห์และถอดบทเรียนเพื่อนำมาใช้ยกระดับการดำเนินงานให้เป็นไปตามหลักธรรมาภิบาลภาครัฐ "
            f"และจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส {agency.name} " + closing
        )
    number = indicator_number(focus.indicator)
    name = framework.name_of(focus.indicator)
    why = "ซึ่งมีคะแนนต่ำที่สุด" if focus.reason == "lowest" else "ซึ่งหน่วยงานพิจารณาแล้วว่ามีความเสี่ยงสูงที่สุด"
    return (
        opening + "มาวิเคราะห์ และเลือกตัวชี้วัดที่ต้องพัฒนาหนึ่งตัวชี้วัด คือ "
        f"ตัวชี้วัดที่ {number} {name} {why} "
        "เพื่อนำผลการประเมินไปสู่การพัฒนาองค์กรตามหลักธรรมาภิบาลภาครัฐ "
        f"และจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใส {agency.name} " + closing
    )


def _what(agency: Agency) -> str:
    """ "เป็นองค์กรปกครองส่วนท้องถิ่นในจังหวัด...", or "" when there is nothing to say."""
    named = f"{agency.type or ''} {agency.name}"
    local = any(word in named for word in LOCAL_GOVERNMENT_WORDS)
    kind = "องค์กรปกครองส่วนท้องถิ่น" if local else "หน่วยงานภาครัฐ"
    if agency.province:
        return f"เป็น{kind}ในจังหวัด{agency.province} "
    return f"เป็น{kind} " if local else ""
