"""Everything the overview page shows for one scope and viewer (the view stays thin)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from openita import geography
from openita.web.agencies.models import Agency, AgencyKind
from openita.web.overview import charts, sections, selectors
from openita.web.overview.scope import Scope, Viewer, allowed, parent_of


def link(scope: Scope) -> str:
    return reverse("overview:index") + "?" + urlencode(scope.params())


def export_link(scope: Scope, table: str, fmt: str) -> str:
    return (
        reverse("overview:export") + "?" + urlencode({**scope.params(), "table": table, "fmt": fmt})
    )


@dataclass(frozen=True)
class Cell:
    """A group on the drill-down table and the map-like grid."""

    group: selectors.Group
    href: str | None  # None when the viewer may not go there
    colour: str


def _child(scope: Scope, key: str) -> Scope:
    if scope.province:
        return replace(scope, district=key)
    if scope.region:
        return replace(scope, province=key)
    return replace(scope, region=key or None)


def _cells(
    scope: Scope, viewer: Viewer, found: list[selectors.Group], target: float, child: Any = _child
) -> list[Cell]:
    cells = []
    for g in found:
        sub = child(scope, g.key)
        ok = bool(g.key) and allowed(viewer, sub)
        cells.append(Cell(g, link(sub) if ok else None, charts.pass_colour(g.pass_rate, target)))
    return cells


def _province_child(scope: Scope, key: str) -> Scope:
    return replace(scope, province=key, district=None)


def _grid(
    scope: Scope, viewer: Viewer, summary: selectors.Summary, target: float, cells: list[Cell]
) -> list[Any]:
    """The map-like grid: provinces by region (country, region) or the province's districts
    (``cells``, the drill-down rows)."""
    if scope.province:
        return [("", cells)]
    by_region: dict[str, list[selectors.Group]] = {}
    for g in summary.by_province or []:
        region = geography.region_of(g.key)
        by_region.setdefault(region.th if region else "-", []).append(g)
    order = [r.th for r in geography.regions()]
    return [
        (name, _cells(scope, viewer, by_region[name], target, _province_child))
        for name in sorted(by_region, key=lambda n: order.index(n) if n in order else 99)
    ]


def _crumbs(scope: Scope) -> list[tuple[str, str]]:
    found = []
    current: Scope | None = scope
    while current is not None:
        found.append((_place(current), link(current)))
        current = parent_of(current)
    return list(reversed(found))


def _place(scope: Scope) -> str:
    if scope.district:
        return _("อำเภอ") + scope.district
    if scope.province:
        return _("จังหวัด") + scope.province
    if scope.region:
        return geography.region(scope.region).th
    return _("ทั้งประเทศ")


def choices(scope: Scope, years: list[int]) -> dict[str, Any]:
    """What the filter form offers (provinces and districts that agencies of this database
    use, so the list is short on a province's own server)."""
    provinces = sorted(set(Agency.objects.values_list("province", flat=True).distinct()))
    districts: list[str] = []
    if scope.province:
        found = Agency.objects.filter(province=scope.province).exclude(district="")
        districts = sorted(set(found.values_list("district", flat=True).distinct()))
    return {
        "years": years,
        "regions": geography.regions(),
        "provinces": provinces,
        "districts": districts,
        "kinds": AgencyKind.choices,
    }


TABLES = (
    "ratings",
    "histogram",
    "indicators",
    "items",
    "groups",
    "trend",
    "movement",
    "gaps",
    "overdue",
    "agencies",
)


def _common(scope: Scope, viewer: Viewer, part: str, years: list[int]) -> dict[str, Any]:
    """What every part of the overview shows: where, the filters, the tabs."""
    return {
        "scope": scope,
        "part": part,
        "named": viewer.named(scope),
        "place": _place(scope),
        "crumbs": _crumbs(scope),
        "choices": choices(scope, years),
        "query": urlencode(scope.params()),
        "exports": {t: {f: export_link(scope, t, f) for f in ("csv", "xlsx")} for t in TABLES},
    }


def context(scope: Scope, viewer: Viewer, years: list[int]) -> dict[str, Any]:
    """The results part: figures, charts, drill-down, trend, indicators, movement."""
    summary = selectors.summary(scope, viewer)
    target = summary.target["share"]
    named = viewer.named(scope)
    found = _common(scope, viewer, "results", years)
    found.update(
        summary=summary,
        target_percent=round(target * 100, 2),
        own=sections.own_results(viewer.agencies, scope.fiscal_year),
    )
    if summary.withheld:
        return found
    points = selectors.trend(scope)
    below = selectors.groups(scope, viewer, summary.by_province)
    cells = _cells(scope, viewer, below, target)
    found.update(
        histogram=charts.histogram(summary.histogram, title=_("การกระจายของคะแนนรวม")),
        ratings_chart=charts.bars(
            list(summary.by_rating.items()), title=_("จำนวนหน่วยงานตามระดับผล")
        ),
        levels_chart=charts.bars(
            [(summary.level_labels.get(k, k), n) for k, n in summary.by_level.items()],
            title=_("จำนวนหน่วยงานตามระดับผลเชิงคุณภาพ"),
        ),
        trend=points,
        trend_chart=charts.trend(points, title=_("แนวโน้มรายปี"), target=target),
        groups=cells,
        grid=_grid(scope, viewer, summary, target, cells),
        movement=sections.movement(scope, named=named),
    )
    if named and scope.level in ("province", "district"):
        found["agencies"] = sections.agency_rows(scope, limit=sections.LISTED)
    return found


def withheld(scope: Scope, viewer: Viewer) -> bool:
    return not viewer.named(scope) and selectors.results(scope).count() < selectors.MIN_GROUP


def items_context(scope: Scope, viewer: Viewer, years: list[int]) -> dict[str, Any]:
    """The weakest items part (reads every result's item scores: its own page)."""
    found = _common(scope, viewer, "items", years)
    found["withheld"] = withheld(scope, viewer)
    found["items"] = [] if found["withheld"] else selectors.weakest_items(scope, limit=30)
    return found


def followup_context(
    scope: Scope, viewer: Viewer, years: list[int], *, today: dt.date, asked: str | None = None
) -> dict[str, Any]:
    """Plans and rounds not published, overdue measures."""
    named = viewer.named(scope)
    found = _common(scope, viewer, "followup", years)
    plan_year, options = sections.plan_years(scope, asked)
    found["plan_year"] = plan_year
    found["plan_years"] = [
        (y, reverse("overview:followup") + "?" + urlencode({**scope.params(), "plan_year": y}))
        for y in options
    ]
    for table in ("gaps", "overdue"):
        found["exports"][table] = {
            f: export_link(scope, table, f) + f"&plan_year={plan_year}" for f in ("csv", "xlsx")
        }
    found["gaps"] = sections.gaps(scope, named=named, plan_year=plan_year)
    found["overdue"] = sections.overdue(scope, named=named, today=today, plan_year=plan_year)
    return found
