"""Reads for comparing an agency with others: its peers, whether its measures worked, and
across agencies which catalog measures were followed by the largest gains.

Everything reads the stored columns (``Assessment.total``, ``figures`` and ``scores``), never
rescoring other agencies' years, in a fixed number of queries whatever the number of agencies.
The maths is the engine's (``openita.engine.peers``, ``openita.engine.effects``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from openita import frameworks
from openita.documents.kinds.measures_effect import EffectRow as DocRow
from openita.documents.kinds.measures_effect import MeasuresEffect
from openita.engine import effects, peers
from openita.frameworks import mappings
from openita.measures.catalog import CatalogInvalid, catalog_sources
from openita.plans.files import PlanInvalid
from openita.text.normalise import compact
from openita.web.agencies.models import Agency
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment

TOTAL = "total"


# --- peers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerRow:
    code: str  # "total" or an indicator code
    name: str
    own: float
    province: peers.Position | None
    country: peers.Position | None


@dataclass(frozen=True)
class BestRow:
    code: str
    name: str
    mean: float
    n: int
    own: float | None


@dataclass(frozen=True)
class PeerPanel:
    kind: str  # the agency type's label
    province: str
    fiscal_year: int
    province_n: int  # peers (other agencies of the type with results that year)
    country_n: int
    rows: list[PeerRow]  # the total first, then the indicators in the framework's order
    best: list[BestRow]  # where peers of the type do best, in the country
    min_n: int = peers.MIN_PEERS

    @property
    def shown(self) -> bool:
        return any(r.province is not None or r.country is not None for r in self.rows)


def _framework(framework_id: str) -> frameworks.Framework | None:
    try:
        return frameworks.get(framework_id)
    except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
        return None


def _indicator_names(fw: frameworks.Framework | None, lang: str) -> dict[str, str]:
    if fw is None:
        return {}
    return {i.code: i.name.get(lang) for i in fw.indicators}


# Figures are stored as printed (two decimals); within half a cent is "the same figure".
SAME = 0.005
PEERS_LIMIT = 1_000_000  # more agencies than the country has (about 8,300)
PEERS_CACHE_SECONDS = 15 * 60


def _value(code: str) -> Any:
    """A peer's figure of ``code`` as a number in SQL (NULL when it has none)."""
    if code == TOTAL:
        return Cast("total", FloatField())
    return Cast(KeyTextTransform(code, "figures"), FloatField())


def _aggregates(own: Mapping[str, float], province: str) -> dict[str, Any]:
    """For each code and scope (p: the province, c: the country): how many peers have a
    figure, how many are below the agency's own, how many have the same, and their mean."""
    found: dict[str, Any] = {}
    for n, value in enumerate(own.values()):
        field = f"v{n}"
        for scope, where in (("p", Q(agency__province=province)), ("c", Q())):
            key = f"{n}_{scope}"
            found[f"n{key}"] = Count("pk", filter=where & Q(**{f"{field}__isnull": False}))
            found[f"b{key}"] = Count("pk", filter=where & Q(**{f"{field}__lt": value - SAME}))
            same = Q(**{f"{field}__gte": value - SAME, f"{field}__lt": value + SAME})
            found[f"s{key}"] = Count("pk", filter=where & same)
            found[f"m{key}"] = Avg(field, filter=where)
    return found


def peer_counts(
    assessment: Assessment, own: Mapping[str, float]
) -> tuple[dict[str, peers.Counts], dict[str, peers.Counts]]:
    """(in the province, in the country): per code of ``own``, the counts of the other
    agencies of the same type with results that year, in one aggregate query over the stored
    columns. Indicator figures count only from peers scored under the same framework. Other
    agencies' figures never leave the database: only counts and means do.

    Cached (15 minutes) under a key that holds the number and the latest change of that year's
    results of the type, so a saved or imported result shows at once."""
    of_kind = Assessment.objects.filter(
        fiscal_year=assessment.fiscal_year, agency__kind=assessment.agency.kind
    )
    stamp = of_kind.aggregate(n=Count("pk"), last=Max("updated"))
    key = (
        "peers:"
        + hashlib.sha256(
            repr(
                (
                    assessment.pk,
                    assessment.fiscal_year,
                    assessment.framework_id,
                    assessment.agency.kind,
                    assessment.agency.province,
                    sorted(own.items()),
                    stamp["n"],
                    str(stamp["last"]),
                )
            ).encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cast(tuple[dict[str, peers.Counts], dict[str, peers.Counts]], cached)
    result = _peer_counts(assessment, own)
    cache.set(key, result, PEERS_CACHE_SECONDS)
    return result


def _peer_counts(
    assessment: Assessment, own: Mapping[str, float]
) -> tuple[dict[str, peers.Counts], dict[str, peers.Counts]]:
    found = (
        Assessment.objects.filter(
            fiscal_year=assessment.fiscal_year,
            agency__kind=assessment.agency.kind,
            total__isnull=False,
        )
        .exclude(agency_id=assessment.agency_id)
        .annotate(
            **{
                f"v{n}": _value(code)
                if code == TOTAL
                else Case(
                    When(framework_id=assessment.framework_id, then=_value(code)),
                    default=None,
                    output_field=FloatField(),
                )
                for n, code in enumerate(own)
            }
        )
        .values("agency__province", *(f"v{n}" for n in range(len(own))))
    )
    # Sliced, the query becomes a subquery: each figure is read from its JSON once per row,
    # and the aggregates run over plain columns (SQLite does not flatten a LIMIT subquery).
    found = found[:PEERS_LIMIT].aggregate(**_aggregates(own, assessment.agency.province))

    def counts(scope: str) -> dict[str, peers.Counts]:
        return {
            code: peers.Counts(
                found[f"n{n}_{scope}"],
                found[f"b{n}_{scope}"],
                found[f"s{n}_{scope}"],
                found[f"m{n}_{scope}"],
            )
            for n, code in enumerate(own)
        }

    return counts("p"), counts("c")


def peers_for(assessment: Assessment, *, lang: str = "th") -> PeerPanel | None:
    """The agency's percentile among agencies of its type, in its province and in the
    country, for the total and each indicator; None when the year has no stored total."""
    if assessment.total is None:
        return None
    agency = assessment.agency
    names = _indicator_names(_framework(assessment.framework_id), lang)
    own = {TOTAL: float(assessment.total)}
    stored = assessment.figures or {}
    own |= {c: float(stored[c]) for c in names if isinstance(stored.get(c), int | float)}
    at_home, everywhere = peer_counts(assessment, own)
    label = {TOTAL: _total_label(lang), **names}
    table = [
        PeerRow(
            c, label.get(c, c), v, peers.position_of(at_home[c]), peers.position_of(everywhere[c])
        )
        for c, v in own.items()
    ]
    best_stats = {c: v for c, v in everywhere.items() if c != TOTAL}
    best = [
        BestRow(b.code, names.get(b.code, b.code), b.mean, b.n, own.get(b.code))
        for b in peers.best_indicators(best_stats)
    ]
    return PeerPanel(
        kind=agency.get_kind_display(),
        province=agency.province,
        fiscal_year=assessment.fiscal_year,
        province_n=at_home[TOTAL].n,
        country_n=everywhere[TOTAL].n,
        rows=table,
        best=best,
    )


def _total_label(lang: str) -> str:
    return "Total" if lang == "en" else "คะแนนรวม"


# --- did the measures work: one agency ------------------------------------------------------


@dataclass(frozen=True)
class EffectRow:
    code: str
    name: str
    before: float
    after: float
    change: float


@dataclass(frozen=True)
class EffectView:
    """A plan of ``plan_year`` between the results of ``before_year`` and ``after_year``."""

    plan_id: int
    plan_year: int
    before_year: int
    after_year: int
    effect: effects.Effect
    rows: list[EffectRow]  # the targeted codes, in the plan's order
    missing: list[str]  # targeted codes without a figure in one of the years
    comparison: str  # "items" or "indicators": what the untargeted mean is over


def year_figures(scores: Mapping[str, Any], figures: Mapping[str, Any]) -> dict[str, float]:
    """A year's figures at every level stored: the given scores (items, maybe indicators)
    and the computed tools and indicators as printed (these win)."""
    found = {str(k): float(v) for k, v in scores.items() if isinstance(v, int | float)}
    found.update({str(k): float(v) for k, v in figures.items() if isinstance(v, int | float)})
    return found


def _mapping(source: str, target: str) -> mappings.Mapping | None:
    try:
        return mappings.get(source, target)
    except (mappings.MappingNotFound, frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
        return None


def align(
    codes: Iterable[str],
    source: frameworks.Framework | None,
    target: frameworks.Framework | None,
) -> dict[str, str]:
    """Codes of the earlier framework -> the same thing's code in the later one. Items go
    through the frameworks' item mapping (kept only when it names exactly one item); tools and
    indicators keep their codes when the later framework has them."""
    if source is None or target is None:
        return {}
    mapping = _mapping(source.id, target.id) if source.id != target.id else None
    found: dict[str, str] = {}
    for code in codes:
        if source.item(code) is None:
            if target.tool_of(code) is not None or target.tool(code) is not None:
                found[code] = code
            continue
        if source.id == target.id:
            found[code] = code
        elif mapping is not None:
            new = mappings.carry(mapping, code)
            if len(new) == 1:
                found[code] = new[0]
    return found


@dataclass(frozen=True)
class YearData:
    fiscal_year: int
    framework_id: str
    figures: dict[str, float]


def _plan_codes(content: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(measure title, measure id, codes it addresses) of a stored plan version."""
    try:
        plan = plan_of(dict(content))
    except (PlanInvalid, ValueError):
        return []
    return [(m.title, m.id, list(m.addresses)) for m in plan.measures]


@dataclass(frozen=True)
class Measured:
    effect: effects.Effect
    code_map: dict[str, str]  # the earlier framework's codes -> the later one's
    unmapped: list[str]  # targeted codes with no single counterpart in the later framework
    comparison: str  # what the untargeted mean is over: "items", else "indicators"


def measure_effect(before: YearData, after: YearData, addressed: Iterable[str]) -> Measured:
    """The effect of a plan's targets (codes of ``before``'s framework)."""
    old, new = _framework(before.framework_id), _framework(after.framework_id)
    wanted = list(dict.fromkeys(addressed))
    code_map = align(set(wanted) | set(before.figures), old, new)
    earlier = {code_map[c]: v for c, v in before.figures.items() if c in code_map}
    targeted = [code_map[c] for c in wanted if c in code_map]
    unmapped = [c for c in wanted if c not in code_map]
    items, indicators = effects.untargeted(new, targeted) if new is not None else ([], [])
    found = effects.effect(earlier, after.figures, targeted, items)
    if found.untargeted_n == 0 and indicators:
        found = effects.effect(earlier, after.figures, targeted, indicators)
        return Measured(found, code_map, unmapped, "indicators")
    return Measured(found, code_map, unmapped, "items")


def _years_of(agency_id: int) -> list[YearData]:
    found = Assessment.objects.filter(agency_id=agency_id).order_by("fiscal_year")
    return [
        YearData(y, fw, year_figures(s, f))
        for y, fw, s, f in found.values_list("fiscal_year", "framework_id", "scores", "figures")
    ]


def around(years: Sequence[YearData], plan_year: int) -> tuple[YearData, YearData] | None:
    """The last year on file before the plan's year and the first from it on."""
    before = [y for y in years if y.fiscal_year < plan_year]
    after = [y for y in years if y.fiscal_year >= plan_year]
    if not before or not after:
        return None
    return before[-1], after[0]


def _latest_content() -> Subquery:
    latest = PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    return Subquery(latest.values("content")[:1])


def effect_for(assessment: Assessment, *, lang: str = "th") -> EffectView | None:
    """The plan this year's results are the first results after (with a year on file before
    it), and the change of what it targeted; None when there is no such plan."""
    years = _years_of(assessment.agency_id)
    plans = (
        MeasuresPlan.objects.filter(
            agency_id=assessment.agency_id, fiscal_year__lte=assessment.fiscal_year
        )
        .annotate(content=_latest_content())
        .order_by("-fiscal_year")
    )
    for plan in plans:
        pair = around(years, plan.fiscal_year)
        if pair is None or pair[1].fiscal_year != assessment.fiscal_year:
            continue
        content = getattr(plan, "content", None) or {}
        addressed = [c for _, _, codes in _plan_codes(content) for c in codes]
        if not addressed:
            continue
        return _effect_view(plan, pair, addressed, lang)
    return None


def _effect_view(
    plan: MeasuresPlan, pair: tuple[YearData, YearData], addressed: list[str], lang: str
) -> EffectView:
    before, after = pair
    measured = measure_effect(before, after, addressed)
    found = measured.effect
    fw = _framework(after.framework_id)
    rows = [
        EffectRow(c.code, _name(fw, c.code, lang), c.before, c.after, c.change)
        for c in found.targeted
    ]
    return EffectView(
        plan_id=plan.pk,
        plan_year=plan.fiscal_year,
        before_year=before.fiscal_year,
        after_year=after.fiscal_year,
        effect=found,
        rows=rows,
        missing=[*measured.unmapped, *found.missing],
        comparison=measured.comparison,
    )


def _name(fw: frameworks.Framework | None, code: str, lang: str) -> str:
    if fw is None:
        return code
    for ind in fw.indicators:
        if ind.code == code:
            return ind.name.get(lang)
    item = fw.item(code)
    if item is not None and lang == "en" and item.text_en:
        return item.text_en.strip()
    return fw.name_of(code).strip()


# --- across agencies: which catalog measures were followed by the largest gains -----------


@dataclass(frozen=True)
class CatalogMeasure:
    key: str  # "<entry id>/<measure number from 1>"
    entry: str
    title: str
    direction: str


@dataclass(frozen=True)
class GainRow:
    measure: CatalogMeasure
    gain: effects.MeasureGain


def catalog_measures() -> dict[str, CatalogMeasure]:
    """Every catalog measure by its title's comparison key (the plan keeps the title)."""
    try:
        entries = catalog_sources().entries
    except CatalogInvalid:
        return {}
    found: dict[str, CatalogMeasure] = {}
    for entry in entries.values():
        for n, m in enumerate(entry.measures, 1):
            found.setdefault(
                compact(m.title),
                CatalogMeasure(f"{entry.id}/{n}", entry.id, m.title, entry.direction),
            )
    return found


def measure_gains(
    agencies: QuerySet[Agency], *, plan_year: int | None = None, min_n: int = effects.MIN_AGENCIES
) -> list[GainRow]:
    """Per catalog measure, over the given agencies' plans that have a year on file before
    and after them: the mean change of the codes it addressed, beside that change less the
    agency's untargeted change; withheld below ``min_n`` agencies. Three queries in all."""
    plans = MeasuresPlan.objects.filter(agency__in=agencies).annotate(content=_latest_content())
    if plan_year is not None:
        plans = plans.filter(fiscal_year=plan_year)
    plan_rows = list(plans.values_list("agency_id", "fiscal_year", "content"))
    wanted = {a for a, _, _ in plan_rows}
    years: dict[int, list[YearData]] = {}
    found = Assessment.objects.filter(agency_id__in=wanted).order_by("fiscal_year")
    for agency_id, y, fw, s, f in found.values_list(
        "agency_id", "fiscal_year", "framework_id", "scores", "figures"
    ):
        years.setdefault(agency_id, []).append(YearData(y, fw, year_figures(s, f)))
    known = catalog_measures()
    observations: list[effects.Observation] = []
    for agency_id, fiscal_year, content in plan_rows:
        pair = around(years.get(agency_id, []), fiscal_year)
        if pair is None:
            continue
        observations += _observations(agency_id, pair, _plan_codes(content or {}), known)
    by_key = {m.key: m for m in known.values()}
    return [GainRow(by_key[g.key], g) for g in effects.gains(observations, min_n=min_n)]


def _observations(
    agency_id: int,
    pair: tuple[YearData, YearData],
    measures: list[tuple[str, str, list[str]]],
    known: Mapping[str, CatalogMeasure],
) -> list[effects.Observation]:
    addressed = [c for _, _, codes in measures for c in codes]
    if not addressed:
        return []
    measured = measure_effect(pair[0], pair[1], addressed)
    code_map = measured.code_map
    changes = {c.code: c.change for c in measured.effect.targeted}
    found = []
    for title, _, codes in measures:
        catalog = known.get(compact(title))
        moved = [changes[code_map[c]] for c in codes if code_map.get(c) in changes]
        if catalog is None or not moved:
            continue
        change = sum(moved) / len(moved)
        base = measured.effect.untargeted_mean
        diff = change - base if base is not None else None
        found.append(effects.Observation(catalog.key, agency_id, change, diff))
    return found


def effect_document_data(assessment: Assessment) -> MeasuresEffect | None:
    """The analysis document's "มาตรการที่ได้ผล" section data for this year (Thai names)."""
    view = effect_for(assessment, lang="th")
    if view is None:
        return None
    return MeasuresEffect(
        plan_year=view.plan_year,
        before_year=view.before_year,
        after_year=view.after_year,
        rows=tuple(DocRow(r.code, r.name, r.before, r.after) for r in view.rows),
        untargeted_mean=view.effect.untargeted_mean,
        untargeted_n=view.effect.untargeted_n,
        comparison=view.comparison,
        missing=tuple(view.missing),
    )
