"""The parts of the overview beyond the summary: year-on-year movement, plans and rounds not
published, overdue measures, and the agencies of a scope by name (for those who may see them).

Each is a fixed number of queries whatever the number of agencies; names are given only when
the viewer may see the scope by names (``Viewer.named``), counts always."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from openita.web.agencies.models import Agency
from openita.web.approvals.models import Subject
from openita.web.overview.scope import Scope
from openita.web.overview.selectors import _num, agencies, cached, mean_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing.models import Publication
from openita.web.results.models import Assessment

TOP = 10
LISTED = 100  # agencies listed on the page per list; the exports have them all


@dataclass(frozen=True)
class Move:
    agency_id: int
    name: str
    province: str
    district: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass
class Movement:
    compared: int  # agencies with a result in both years
    rose: int
    fell: int
    same: int
    mean_change: float | None
    risers: list[Move] = field(default_factory=list)
    fallers: list[Move] = field(default_factory=list)


def _pairs(scope: Scope) -> list[tuple[int, float, float]]:
    """(agency id, total the year before, total this year) of the scope's agencies with both:
    one query for the two years, paired in one pass; cached while those results stay the
    same (``selectors.cached``)."""
    year = scope.fiscal_year
    both = Assessment.objects.filter(
        scope.agency_filter("agency__"), fiscal_year__in=(year - 1, year), total__isnull=False
    )
    return cached("pairs", scope, both, lambda: _paired(both, year))


def _paired(both: QuerySet[Assessment], year: int) -> list[tuple[int, float, float]]:
    rows = both.values_list("agency_id", "fiscal_year", "total")
    before: dict[int, float] = {}
    after: dict[int, float] = {}
    for agency_id, y, total in rows:
        if total is not None:
            (after if y == year else before)[agency_id] = float(total)
    return [(a, before[a], t) for a, t in after.items() if a in before]


def _named_moves(pairs: list[tuple[int, float, float]]) -> list[Move]:
    names = {
        a: (n, p, d)
        for a, n, p, d in Agency.objects.filter(pk__in=[a for a, _, _ in pairs]).values_list(
            "id", "name", "province", "district"
        )
    }
    return [Move(a, *names[a], b, t) for a, b, t in pairs if a in names]


def _change(pair: tuple[int, float, float]) -> float:
    return round(pair[2] - pair[1], 2)


def movement(scope: Scope, *, named: bool, limit: int = TOP) -> Movement:
    """Who rose and who fell from the year before, by how much (names only when ``named``)."""
    pairs = _pairs(scope)
    changes = [_change(p) for p in pairs]
    rose, fell = sum(c > 0 for c in changes), sum(c < 0 for c in changes)
    total = sum((Decimal(str(c)) for c in changes), Decimal(0))
    moved = Movement(len(pairs), rose, fell, len(pairs) - rose - fell, mean_of(total, len(pairs)))
    if named and pairs:
        up = sorted((p for p in pairs if _change(p) > 0), key=lambda p: (-_change(p), p[0]))
        down = sorted((p for p in pairs if _change(p) < 0), key=lambda p: (_change(p), p[0]))
        chosen = _named_moves(up[:limit] + down[:limit])
        moved.risers = [m for m in chosen if m.change > 0]
        moved.fallers = [m for m in chosen if m.change < 0]
    return moved


def all_moves(scope: Scope) -> list[Move]:
    """Every agency with a result in both years, largest rise first (for the export)."""
    pairs = sorted(_pairs(scope), key=lambda p: (-_change(p), p[0]))
    return _named_moves(pairs)


# --- plans and rounds not published -------------------------------------------------------------

GAPS = ("no_plan", Subject.PLAN, Subject.PROGRESS_6, Subject.PROGRESS_12)


def _live(subject: str, year: int) -> Exists:
    return Exists(
        Publication.objects.filter(
            agency=OuterRef("pk"),
            plan__fiscal_year=year,
            subject=subject,
            withdrawn_at__isnull=True,
            superseded_at__isnull=True,
        )
    )


def plan_years(scope: Scope, asked: str | None = None) -> tuple[int, list[int]]:
    """Which plans the follow-up of the scope's year reads, and the choice offered: the plans of
    that fiscal year (carried out in it, made from the year before's results) or of the next
    (made from this year's results). Asked for, else the next one when any exists."""
    year = scope.fiscal_year
    options = [year, year + 1]
    have = set(
        MeasuresPlan.objects.filter(fiscal_year__in=options)
        .values_list("fiscal_year", flat=True)
        .distinct()
        .order_by()
    )
    if asked is not None and asked.isdigit() and int(asked) in options:
        return int(asked), options
    return (year + 1 if year + 1 in have else year), options


def _gap_annotated(scope: Scope, plan_year: int | None = None) -> QuerySet[Agency]:
    year = scope.fiscal_year if plan_year is None else plan_year
    return agencies(scope).annotate(
        has_plan=Exists(MeasuresPlan.objects.filter(agency=OuterRef("pk"), fiscal_year=year)),
        **{f"pub_{s}": _live(s, year) for s in GAPS[1:]},
    )


@dataclass
class Gaps:
    counts: dict[str, int]  # gap -> agencies of the scope with it
    listed: dict[str, list[tuple[int, str, str, str]]]  # gap -> (id, name, province, district)


def _gap_filter(gap: str) -> Q:
    return Q(has_plan=False) if gap == "no_plan" else Q(**{f"pub_{gap}": False})


def gaps(scope: Scope, *, named: bool, plan_year: int | None = None, limit: int = LISTED) -> Gaps:
    """Agencies without a plan for ``plan_year`` (default the scope's fiscal year), or without a
    published plan, 6- or 12-month report of it (counts; the first ``limit`` names when
    ``named``)."""
    annotated = _gap_annotated(scope, plan_year)
    counts = annotated.aggregate(**{g: Count("id", filter=_gap_filter(g)) for g in GAPS})
    listed: dict[str, list[tuple[int, str, str, str]]] = {}
    if named:
        for g in GAPS:
            rows = annotated.filter(_gap_filter(g)).order_by("province", "district", "name")
            listed[g] = list(rows.values_list("id", "name", "province", "district")[:limit])
    return Gaps({g: int(counts[g]) for g in GAPS}, listed)


def gap_rows(
    scope: Scope, gap: str, plan_year: int | None = None
) -> list[tuple[int, str, str, str]]:
    rows = (
        _gap_annotated(scope, plan_year)
        .filter(_gap_filter(gap))
        .order_by("province", "district", "name")
    )
    return list(rows.values_list("id", "name", "province", "district"))


# --- overdue measures -----------------------------------------------------------------------------


def _blank(progress: Any) -> bool:
    """Nothing entered: a fresh Progress (openita.plans.rounds.is_blank on the stored JSON)."""
    if not isinstance(progress, dict):
        return True
    others = any(v for k, v in progress.items() if k != "status")
    return not others and progress.get("status", "not_started") == "not_started"


def measure_overdue(measure: dict[str, Any], today: dt.date) -> bool:
    """Past its deadline, neither done nor dropped in its latest entered round; a measure
    nobody reported on is not called late (the rule of openita.plans.rounds)."""
    try:
        deadline = dt.date.fromisoformat(str(measure.get("deadline")))
    except ValueError:
        return False
    if deadline >= today:
        return False
    progress = measure.get("progress") or {}
    for months in ("12", "6"):
        entry = progress.get(months)
        if isinstance(entry, dict) and not _blank(entry):
            return entry.get("status", "not_started") in ("not_started", "in_progress")
    return False


@dataclass
class Overdue:
    plans: int  # plans of the year in the scope
    agencies: int  # agencies with at least one overdue measure
    measures: int
    listed: list[tuple[int, str, str, int]]  # (agency id, name, province, overdue measures)


def _blank_sql(entry: str) -> str:
    """SQL for ``_blank`` on a jsonb expression."""
    return (
        f"({entry} IS NULL OR jsonb_typeof({entry}) <> 'object' OR "
        f"(COALESCE({entry}->>'status', 'not_started') = 'not_started' AND NOT EXISTS "
        f"(SELECT 1 FROM jsonb_each({entry}) kv WHERE kv.key <> 'status' AND kv.value NOT IN "
        "('\"\"'::jsonb, '0'::jsonb, '[]'::jsonb, '{}'::jsonb, 'null'::jsonb, 'false'::jsonb))))"
    )


_OVERDUE_SQL = """
WITH v AS ({versions}),
m AS (
  SELECT v."plan__agency_id" AS agency_id, v."plan__agency__name" AS name,
         v."plan__agency__province" AS province, e.value AS m
  FROM v CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(v."content__measures") = 'array' THEN v."content__measures"
         ELSE '[]'::jsonb END) e
),
r AS (
  SELECT agency_id, name, province, m->>'deadline' AS deadline,
    CASE WHEN NOT {blank12} THEN m->'progress'->'12'
         WHEN NOT {blank6} THEN m->'progress'->'6' END AS entry
  FROM m
)
SELECT agency_id, name, province, COUNT(*) FROM r
WHERE entry IS NOT NULL
  AND COALESCE(entry->>'status', 'not_started') IN ('not_started', 'in_progress')
  AND (CASE WHEN deadline ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' THEN deadline::date END) < %s
GROUP BY agency_id, name, province
"""


def _late_in_database(versions: Any, today: dt.date) -> list[tuple[int, str, str, int]]:
    """PostgreSQL counts each plan's overdue measures itself (the rule of ``measure_overdue``)."""
    inner, params = versions.query.sql_with_params()
    sql = _OVERDUE_SQL.format(
        versions=inner,
        blank12=_blank_sql("m->'progress'->'12'"),
        blank6=_blank_sql("m->'progress'->'6'"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, today])
        return [(int(a), str(n), str(p), int(c)) for a, n, p, c in cursor.fetchall()]


def _late_in_python(versions: Any, today: dt.date) -> list[tuple[int, str, str, int]]:
    found = []
    for agency_id, name, province, measures in versions.values_list(
        "plan__agency_id", "plan__agency__name", "plan__agency__province", "content__measures"
    ):
        late = sum(1 for m in (measures or []) if isinstance(m, dict) and measure_overdue(m, today))
        if late:
            found.append((agency_id, name, province, late))
    return found


def overdue(
    scope: Scope,
    *,
    named: bool,
    today: dt.date,
    plan_year: int | None = None,
    limit: int = LISTED,
) -> Overdue:
    """Measures past their deadline in the current version of each plan of the scope's year:
    counted by PostgreSQL where it runs, else in one pass over the plans' measures."""
    newest = (
        PlanVersion.objects.filter(plan=OuterRef("plan")).order_by("-number").values("number")[:1]
    )
    versions = PlanVersion.objects.filter(
        scope.agency_filter("plan__agency__"),
        plan__fiscal_year=scope.fiscal_year if plan_year is None else plan_year,
        number=Subquery(newest),
    )
    plans = versions.count()
    shown = versions.values(
        "plan__agency_id", "plan__agency__name", "plan__agency__province", "content__measures"
    )
    if connection.vendor == "postgresql":
        listed = _late_in_database(shown, today)
    else:
        listed = _late_in_python(versions, today)
    listed.sort(key=lambda r: (-r[3], r[2], r[1]))
    return Overdue(plans, len(listed), sum(r[3] for r in listed), listed[:limit] if named else [])


# --- the agencies of a scope, by name -------------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    agency_id: int
    name: str
    kind: str
    province: str
    district: str
    total: float | None
    rating: str
    level: str
    passed: bool | None
    before: float | None

    @property
    def change(self) -> float | None:
        if self.total is None or self.before is None:
            return None
        return round(self.total - self.before, 2)


def agency_rows(scope: Scope, limit: int | None = None) -> list[AgencyRow]:
    """The scope's agencies with their result of the year and the year before (one query);
    only for viewers who may see the scope by names."""
    year = scope.fiscal_year

    def total_in(y: int) -> Subquery:
        found = Assessment.objects.filter(agency=OuterRef("pk"), fiscal_year=y)
        return Subquery(found.values("total")[:1])

    def column(name: str) -> Subquery:
        found = Assessment.objects.filter(agency=OuterRef("pk"), fiscal_year=year)
        return Subquery(found.values(name)[:1])

    rows = (
        agencies(scope)
        .annotate(
            total=total_in(year),
            before=total_in(year - 1),
            rating=column("rating"),
            level=column("level"),
            passed=column("passed"),
        )
        .order_by(F("total").desc(nulls_last=True), "name")
        .values_list(
            "id",
            "name",
            "kind",
            "province",
            "district",
            "total",
            "rating",
            "level",
            "passed",
            "before",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        AgencyRow(i, n, k, p, d, _num(t), r or "", lv or "", ps, _num(b))
        for i, n, k, p, d, t, r, lv, ps, b in rows
    ]


def own_results(agency_ids: frozenset[int], year: int) -> list[AgencyRow]:
    """The viewer's own agencies with their result of the year (for an agency's member)."""
    if not agency_ids:
        return []
    found = []
    for a in Agency.objects.filter(pk__in=agency_ids).order_by("name"):
        r = Assessment.objects.filter(agency=a, fiscal_year=year).first()
        b = Assessment.objects.filter(agency=a, fiscal_year=year - 1).first()
        found.append(
            AgencyRow(
                a.pk,
                a.name,
                a.kind,
                a.province,
                a.district,
                _num(r.total) if r else None,
                r.rating if r else "",
                r.level if r else "",
                r.passed if r else None,
                _num(b.total) if b else None,
            )
        )
    return found
