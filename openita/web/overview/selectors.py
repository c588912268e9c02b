"""Figures across agencies for one scope and fiscal year, from the stored columns of each
result (``Assessment.total/rating/level/passed/figures``) with SQL aggregates: a fixed number
of queries whatever the number of agencies, and never the engine per agency.

``summary(scope)`` is the contract shared with ``openita stats --json`` (``Summary.as_dict``);
the other sections of the page (drill-down groups, year-on-year movement, publishing gaps,
overdue measures, weakest items, the trend) are separate reads the view asks for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from django.db.models import Count, F, FloatField, Max, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Floor
from django.db.models.lookups import LessThan

from openita import frameworks, geography
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import thai_sorted
from openita.web.overview.scope import (
    MIN_GROUP,
    Scope,
    ScopeInvalid,
    Viewer,
    scope_for,
    targets,
)
from openita.web.results.models import Assessment

__all__ = [
    "MIN_GROUP",
    "Group",
    "IndicatorStat",
    "Scope",
    "ScopeInvalid",
    "Summary",
    "groups",
    "result_years",
    "scope_for",
    "summary",
    "trend",
    "weakest_items",
]

CENT = Decimal("0.01")
CACHE_SECONDS = 15 * 60  # figures derived from results: at most this old, and never
# older than the results they come from (the key holds their number and latest change)
BIN_WIDTH = 5
LOWEST_BIN = 50  # everything under 50 shares one bin


def _num(value: Decimal | float | None, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def mean_of(total: Decimal | float | None, n: int) -> float | None:
    """A sum of two-decimal figures over n, rounded half up to two decimals: the same on
    SQLite (float sums) and PostgreSQL (numeric sums), and as a person rounds."""
    if total is None or not n:
        return None
    exact = Decimal(str(total)).quantize(CENT, ROUND_HALF_UP) / n
    return float(exact.quantize(CENT, ROUND_HALF_UP))


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def result_years() -> list[int]:
    """Fiscal years with at least one scored result, oldest first."""
    found = Assessment.objects.filter(total__isnull=False).values_list("fiscal_year", flat=True)
    return sorted(set(found.distinct().order_by()))


def results(scope: Scope, year: int | None = None) -> QuerySet[Assessment]:
    """Scored results of the scope's agencies in its year (or ``year``)."""
    return Assessment.objects.filter(
        scope.agency_filter("agency__"),
        fiscal_year=scope.fiscal_year if year is None else year,
        total__isnull=False,
    )


def agencies(scope: Scope) -> QuerySet[Agency]:
    return Agency.objects.filter(scope.agency_filter())


@dataclass(frozen=True)
class IndicatorStat:
    code: str
    name: str
    mean: float
    below: float  # share of agencies under the pass mark
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "mean": self.mean,
            "below": self.below,
            "n": self.n,
        }


@dataclass(frozen=True)
class Bin:
    low: int
    high: int  # exclusive, except the last (100 included)
    n: int

    @property
    def label(self) -> str:
        if self.low == 0:
            return f"<{self.high}"
        return f"{self.low}–{self.high - 1 if self.high < 100 else 100}"


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: a region, a province or a district (figures None when
    withheld)."""

    key: str  # region code, province or district name
    label: str
    agencies: int
    with_results: int
    mean_total: float | None
    pass_rate: float | None
    withheld: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "agencies": self.agencies,
            "with_results": self.with_results,
            "mean_total": self.mean_total,
            "pass_rate": self.pass_rate,
        }


@dataclass
class Summary:
    scope: Scope
    agencies: int
    with_results: int
    passed: int
    mean_total: float | None
    pass_rate: float | None
    by_rating: dict[str, int]
    by_level: dict[str, int]
    level_labels: dict[str, str]
    histogram: list[Bin]
    weakest_indicators: list[IndicatorStat]
    by_province: list[Group] | None
    withheld: bool = False
    frameworks: list[str] = field(default_factory=list)

    @property
    def target(self) -> dict[str, Any]:
        found = targets()
        national = found.get("national", {}).get(self.scope.fiscal_year)
        return {
            "share": float(found["target"]["share"]),
            "source": found["target"]["source"],
            "national": national,
        }

    @property
    def meets_target(self) -> bool | None:
        if self.pass_rate is None:
            return None
        return bool(self.pass_rate >= float(self.target["share"]))

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``openita stats --json``."""
        s = self.scope
        out: dict[str, Any] = {
            "fiscal_year": s.fiscal_year,
            "region": s.region,
            "province": s.province,
            "district": s.district,
            "kind": s.kind,
            "agencies": self.agencies,
            "with_results": self.with_results,
            "passed": self.passed,
            "mean_total": self.mean_total,
            "pass_rate": self.pass_rate,
            "target": self.target["share"],
            "by_rating": self.by_rating,
            "by_level": self.by_level,
            "histogram": [{"low": b.low, "high": b.high, "n": b.n} for b in self.histogram],
            "weakest_indicators": [i.as_dict() for i in self.weakest_indicators],
        }
        if self.by_province is not None:
            out["by_province"] = {g.key: g.as_dict() for g in self.by_province}
        return out


def _frameworks_of(scope: Scope) -> list[frameworks.Framework]:
    ids = results(scope).values_list("framework_id", flat=True).distinct().order_by()
    found = []
    for fw_id in sorted(set(ids)):
        try:
            found.append(frameworks.get(fw_id))
        except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
            continue
    return found


def _band_order(fws: list[frameworks.Framework]) -> list[str]:
    order: list[str] = []
    for fw in fws:
        order += [b.code for b in fw.bands if b.code not in order]
    return order


def _levels(fws: list[frameworks.Framework]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for fw in fws:
        if fw.qualitative_rating is not None:
            for level in fw.qualitative_rating.levels:
                labels.setdefault(level.code, level.label.th)
    return labels


def _counted(rows: Iterable[tuple[str, int]], order: list[str]) -> dict[str, int]:
    found = dict(rows)
    ordered = {k: found.pop(k) for k in order if k in found}
    return {**ordered, **dict(sorted(found.items()))}


def _histogram(scope: Scope) -> list[Bin]:
    rows = (
        results(scope)
        .annotate(b=Floor(F("total") / BIN_WIDTH))
        .values("b")
        .annotate(n=Count("id"))
        .values_list("b", "n")
    )
    counts: dict[int, int] = {}
    for b, n in rows:
        low = max(LOWEST_BIN, min(100 - BIN_WIDTH, int(b) * BIN_WIDTH))
        low = 0 if int(b) * BIN_WIDTH < LOWEST_BIN else low
        counts[low] = counts.get(low, 0) + n
    lows = [0, *range(LOWEST_BIN, 100, BIN_WIDTH)]
    return [
        Bin(low, LOWEST_BIN if low == 0 else low + BIN_WIDTH, counts.get(low, 0)) for low in lows
    ]


def key_stats(
    rows: QuerySet[Assessment], column: str, names: dict[str, str]
) -> list[IndicatorStat]:
    """Per code of ``names``: the mean of ``column``'s value under that key over the rows, the
    share under the pass mark and n, in one aggregate query (the database reads the keys)."""
    mark = float(targets()["pass_mark"])
    codes = sorted(names)
    aggregates: dict[str, Any] = {}
    for k, code in enumerate(codes):
        value = Cast(KT(f"{column}__{code}"), FloatField())
        aggregates[f"s{k}"] = Sum(value)
        aggregates[f"n{k}"] = Count(value)
        aggregates[f"b{k}"] = Count("id", filter=LessThan(value, mark))
    found = rows.aggregate(**aggregates) if codes else {}
    stats = []
    for k, code in enumerate(codes):
        n = int(found[f"n{k}"] or 0)
        if n:
            mean = mean_of(found[f"s{k}"], n) or 0.0
            stats.append(IndicatorStat(code, names[code], mean, round(found[f"b{k}"] / n, 4), n))
    return sorted(stats, key=lambda i: (i.mean, i.code))


def _indicator_stats(scope: Scope, fws: list[frameworks.Framework]) -> list[IndicatorStat]:
    """Each indicator's mean over the scope, the share under the pass mark and n, from the
    stored figures (cached while the scope's results of the year stay the same)."""
    names = {i.code: i.name.th for fw in fws for i in fw.indicators}
    rows = results(scope)
    return cached("indicators", scope, rows, lambda: key_stats(rows, "figures", names))


def _province_groups(scope: Scope, viewer: Viewer | None) -> list[Group]:
    return _grouped(scope, "province", viewer)


def _grouped(scope: Scope, by: str, viewer: Viewer | None) -> list[Group]:
    """Rows per province or district of the scope: agencies, results, mean and pass rate."""
    counts = dict(
        agencies(scope).values(by).annotate(n=Count("id")).order_by().values_list(by, "n")
    )
    rows = (
        results(scope)
        .values(f"agency__{by}")
        .annotate(n=Count("id"), sum=Sum("total"), npass=Count("id", filter=Q(passed=True)))
        .order_by()
        .values_list(f"agency__{by}", "n", "sum", "npass")
    )
    figures = {key: (n, mean_of(total, n), passed) for key, n, total, passed in rows}
    found = []
    for key, n_agencies in counts.items():
        n, mean, passed = figures.get(key, (0, None, 0))
        named = viewer is None or _named_group(viewer, scope, by, key)
        hide = not named and n < MIN_GROUP
        found.append(
            Group(
                key=key,
                label=key or "-",
                agencies=n_agencies,
                with_results=n,
                mean_total=None if hide else mean,
                pass_rate=None if hide else _rate(passed, n),
                withheld=hide and n > 0,
            )
        )
    return thai_sorted(found, key=lambda g: g.key)


def _named_group(viewer: Viewer, scope: Scope, by: str, key: str) -> bool:
    if by == "province":
        return viewer.sees_province(key)
    return viewer.named(scope)


def summary(scope: Scope, viewer: Viewer | None = None) -> Summary:
    """The scope's figures in its year. ``viewer`` None: everything (the CLI, a site admin's
    shell); else figures the viewer may not see by names are withheld in groups under
    MIN_GROUP results."""
    fws = _frameworks_of(scope)
    found = results(scope).aggregate(
        n=Count("id"), sum=Sum("total"), npass=Count("id", filter=Q(passed=True))
    )
    n, passed = int(found["n"]), int(found["npass"])
    withheld = viewer is not None and not viewer.named(scope) and n < MIN_GROUP
    ratings = results(scope).values("rating").annotate(c=Count("id")).order_by()
    levels = results(scope).exclude(level="").values("level").annotate(c=Count("id")).order_by()
    level_labels = _levels(fws)
    by_province = None if scope.province else _province_groups(scope, viewer)
    if withheld:
        return Summary(
            scope,
            agencies(scope).count(),
            n,
            0,
            None,
            None,
            {},
            {},
            level_labels,
            [],
            [],
            by_province,
            withheld=True,
        )
    return Summary(
        scope=scope,
        agencies=agencies(scope).count(),
        with_results=n,
        passed=passed,
        mean_total=mean_of(found["sum"], n),
        pass_rate=_rate(passed, n),
        by_rating=_counted(ratings.values_list("rating", "c"), _band_order(fws)),
        by_level=_counted(levels.values_list("level", "c"), list(level_labels)),
        level_labels=level_labels,
        histogram=_histogram(scope),
        weakest_indicators=_indicator_stats(scope, fws),
        by_province=by_province,
        frameworks=[fw.id for fw in fws],
    )


def groups(
    scope: Scope, viewer: Viewer | None = None, provinces: list[Group] | None = None
) -> list[Group]:
    """The next level down: regions of the country, provinces of a region, districts of a
    province (a district's agencies are listed by ``agency_rows``). ``provinces``: the
    summary's rows per province, when already read."""
    if scope.province:
        return _grouped(scope, "district", viewer)
    if provinces is None:
        provinces = _grouped(scope, "province", viewer)
    if scope.region:
        return provinces
    return _regions(provinces)


def _regions(provinces: list[Group]) -> list[Group]:
    """Provinces folded into their regions (provinces outside the 77 under "-")."""
    acc: dict[str, list[Any]] = {}
    for g in provinces:
        region = geography.region_of(g.key)
        key = region.code if region else ""
        row = acc.setdefault(key, [region.th if region else "-", 0, 0, 0.0, 0.0])
        row[1] += g.agencies
        row[2] += g.with_results
        if g.mean_total is not None and g.pass_rate is not None:
            row[3] += g.mean_total * g.with_results
            row[4] += g.pass_rate * g.with_results
    order = [r.code for r in geography.regions()]
    found = []
    for key in sorted(acc, key=lambda k: order.index(k) if k in order else len(order)):
        label, n_agencies, n, mean_sum, pass_sum = acc[key]
        found.append(
            Group(
                key,
                label,
                n_agencies,
                n,
                round(mean_sum / n, 2) if n else None,
                round(pass_sum / n, 4) if n else None,
            )
        )
    return found


@dataclass(frozen=True)
class YearPoint:
    fiscal_year: int
    with_results: int
    mean_total: float | None
    pass_rate: float | None


def trend(scope: Scope) -> list[YearPoint]:
    """Every year on file for the scope's agencies (one query)."""
    rows = (
        Assessment.objects.filter(scope.agency_filter("agency__"), total__isnull=False)
        .values("fiscal_year")
        .annotate(n=Count("id"), sum=Sum("total"), npass=Count("id", filter=Q(passed=True)))
        .order_by("fiscal_year")
        .values_list("fiscal_year", "n", "sum", "npass")
    )
    return [YearPoint(y, n, mean_of(total, n), _rate(passed, n)) for y, n, total, passed in rows]


def latest_year() -> int | None:
    found = Assessment.objects.filter(total__isnull=False).aggregate(y=Max("fiscal_year"))
    return int(found["y"]) if found["y"] is not None else None


def weakest_items(scope: Scope, limit: int = 15) -> list[IndicatorStat]:
    """The items with the lowest mean over the scope's results (items given in ``scores``),
    with the share under the pass mark and n. Aggregated by PostgreSQL itself where it runs
    (jsonb_each), else one pass over the stored scores; kept in the cache until a result of
    the scope's year changes (its key holds their number and latest change)."""
    from openita.web.overview import items

    return cached(
        f"items{limit}",
        scope,
        results(scope),
        lambda: items.weakest(scope, _frameworks_of(scope), limit),
    )


T = TypeVar("T")


def cached(name: str, scope: Scope, rows: QuerySet[Assessment], compute: Callable[[], T]) -> T:
    """``compute()`` kept in the cache (``CACHE_SECONDS``) under a key that holds the number of
    ``rows`` and their latest change, so a saved, added or deleted result is seen at once. One
    small query (the covering index answers it on PostgreSQL)."""
    from django.core.cache import cache

    state = rows.aggregate(n=Count("id"), last=Max("updated"))
    what = repr((name, sorted(scope.params().items()), state["n"], str(state["last"])))
    key = "overview:" + hashlib.sha256(what.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CACHE_SECONDS)
    return cast(T, found)
