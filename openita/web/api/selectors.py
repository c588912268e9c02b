"""Reads of the API: every query starts from ``visible_agencies(user)``, the rule of the pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from openita import geography
from openita.importers.bulk import kind_of
from openita.web.agencies.home import PlanStatus, statuses_of
from openita.web.agencies.models import Agency, AgencyKind
from openita.web.agencies.selectors import AnyUser, visible_agencies
from openita.web.plans.models import MeasuresPlan
from openita.web.results.models import Assessment


class BadFilter(ValueError):
    """A filter value that names nothing (an unknown type or region)."""


@dataclass(frozen=True)
class Filters:
    fiscal_year: int | None = None
    province: str | None = None
    region: str | None = None
    kind: str | None = None


def province_of(text: str) -> str:
    """The stored name of a province as written (unknown names are kept: old records)."""
    found = geography.find(text)
    return found.th if found is not None else text.strip()


def kind_code(text: str) -> str:
    if text in AgencyKind.values:
        return text
    found = kind_of(text)
    if found is None:
        raise BadFilter(f"unknown type {text!r}; known: {', '.join(AgencyKind.values)}")
    return found


def agencies(user: AnyUser, filters: Filters) -> QuerySet[Agency]:
    """The agencies the user may read, filtered by province, region and type."""
    found = Agency.objects.filter(pk__in=visible_agencies(user).values("pk"))
    if filters.province:
        found = found.filter(province=province_of(filters.province))
    if filters.region:
        try:
            found = found.filter(province__in=geography.in_region(filters.region))
        except geography.UnknownProvince as exc:
            raise BadFilter(str(exc)) from None
    if filters.kind:
        found = found.filter(kind=kind_code(filters.kind))
    return found.order_by("province", "name", "pk")


def agency(user: AnyUser, agency_id: int) -> Agency | None:
    return visible_agencies(user).filter(pk=agency_id).first()


def results(user: AnyUser, filters: Filters) -> QuerySet[Assessment]:
    found = Assessment.objects.filter(agency__in=agencies(user, filters).values("pk"))
    if filters.fiscal_year:
        found = found.filter(fiscal_year=filters.fiscal_year)
    return found.select_related("agency").order_by("agency__province", "agency__name",
                                                   "agency_id", "fiscal_year")  # fmt: skip


def plans(user: AnyUser, filters: Filters) -> QuerySet[MeasuresPlan]:
    found = MeasuresPlan.objects.filter(agency__in=agencies(user, filters).values("pk"))
    if filters.fiscal_year:
        found = found.filter(fiscal_year=filters.fiscal_year)
    return found.select_related("agency").order_by("agency__province", "agency__name",
                                                   "agency_id", "fiscal_year")  # fmt: skip


def plan_statuses(plans: list[MeasuresPlan]) -> dict[int, PlanStatus]:
    """Where each plan stands, as the home page computes it, with subject codes."""
    return statuses_of(plans, labels=False)
