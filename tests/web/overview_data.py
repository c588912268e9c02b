"""Agencies with results for the overview tests: known indicator scores, written in bulk."""

from __future__ import annotations

from functools import cache

from openita.web.agencies.models import Agency, AgencyKind
from openita.web.results import figures
from openita.web.results.models import Assessment

FRAMEWORK = {2567: "ita-2567", 2568: "ita-2568"}
INDICATORS = [f"ind{n}" for n in range(1, 11)]


@cache
def _stored(year: int, base: float) -> figures.StoredFigures:
    return figures.compute(FRAMEWORK[year], scores(base), year)


def scores(base: float) -> dict[str, float]:
    """Every indicator at ``base`` except ind3 (8 lower) and ind9 (4 lower)."""
    found = dict.fromkeys(INDICATORS, base)
    found["ind3"], found["ind9"] = base - 8, base - 4
    return {k: round(min(100.0, max(0.0, v)), 2) for k, v in found.items()}


def make_agencies(
    n: int, *, province: str, district: str = "เมือง", kind: AgencyKind = AgencyKind.SAO,
    prefix: str = "อบต.ทดสอบ",
) -> list[Agency]:  # fmt: skip
    return Agency.objects.bulk_create(
        [
            Agency(name=f"{prefix} {province} {k}", kind=kind, province=province, district=district)
            for k in range(n)
        ]
    )


def give(agency: Agency, year: int, base: float) -> Assessment:
    """One result of the agency (stored figures set as a bulk writer sets them)."""
    found = Assessment(
        agency=agency, fiscal_year=year, framework_id=FRAMEWORK[year], scores=scores(base)
    )
    figures.apply(found, _stored(year, base))
    return found


def give_all(pairs: list[tuple[Agency, int, float]]) -> None:
    Assessment.objects.bulk_create([give(a, y, b) for a, y, b in pairs])
