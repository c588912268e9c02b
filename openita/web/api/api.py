"""The read-only JSON API (django-ninja): agencies, results, plans' status.

Every endpoint needs a login: a token (``Authorization: Bearer oita_…``, made on the token
page) for programs, the session for a browser. What a user reads is exactly what the pages
show them: every query starts from ``agencies.selectors.visible_agencies``; an agency the user
may not see answers 404, as its pages do. Lists are paginated (``page``, ``page_size`` up to
500) and filtered by ``fiscal_year``, ``province``, ``region`` and ``type``.

No ``from __future__ import annotations`` here: ninja reads the annotations at import time.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth

from openita import geography
from openita.web.agencies.models import Agency
from openita.web.api import selectors, tokens
from openita.web.api.selectors import BadFilter, Filters
from openita.web.plans.models import MeasuresPlan
from openita.web.results.models import Assessment

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = tokens.user_of(token)
        if user is not None:
            request.user = user  # the pages' access rule reads request.user
        return user


api = NinjaAPI(
    title="OpenITA API",
    version="1",
    description=(
        "Read-only JSON over the agencies, results and plans a user may see, with the same "
        "access rules as the web pages. Authenticate with a token made on /api/tokens/ "
        "(`Authorization: Bearer oita_…`) or a logged-in browser session."
    ),
    urls_namespace="api",
    docs_url=None,  # our own page renders the description (no CDN): openita.web.api.views
    auth=[TokenAuth(), django_auth],
)


# --- schemas ----------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    code: str = Field(description="National code; empty when unknown")
    type: str = Field(description="sao, tambon, town, city, pao or other")
    type_label: str
    province: str
    district: str
    region: str | None = Field(None, description="Region code of the province (none if unknown)")


class ResultOut(Schema):
    agency_id: int
    agency_name: str
    fiscal_year: int
    framework_id: str
    total: float | None = Field(description="As published, 2 decimals; null when unscorable")
    rating: str = Field(description="Band code (AA, A, B, ...)")
    level: str = Field(description="Qualitative level code from FY2567, else empty")
    passed: bool | None
    figures: dict[str, float] = Field(description="Tools and indicators as published")
    updated: datetime


class ResultDetailOut(ResultOut):
    scores: dict[str, float] = Field(description="The figures given: items, indicators, tools")


class RoundOut(Schema):
    months: int
    reporting: int = Field(description="Measures reporting in this round")
    done: int
    started: int = Field(description="Measures in progress or done")


class PlanOut(Schema):
    agency_id: int
    agency_name: str
    fiscal_year: int
    version: int = Field(description="Current version number (0: none)")
    approval: str = Field(description="approved, submitted, changed (since approved) or empty")
    approved: bool
    published: list[str] = Field(description="Subjects public now: plan, progress6, progress12")
    rounds: list[RoundOut]


class ErrorOut(Schema):
    detail: str


class ListFilters(Schema):
    fiscal_year: int | None = Field(None, ge=2500, le=2700, description="B.E. year, e.g. 2568")
    province: str | None = Field(None, description="Province name (Thai or English)")
    region: str | None = Field(None, description="Region code (see /api/regions)")
    type: str | None = Field(None, description="Agency type code or Thai name (อบต., ...)")

    def filters(self) -> Filters:
        return Filters(self.fiscal_year, self.province, self.region, self.type)


class RegionOut(Schema):
    code: str
    th: str
    en: str
    provinces: list[str]


# --- converting -------------------------------------------------------------------------------


def agency_out(a: Agency) -> AgencyOut:
    region = geography.region_of(a.province)
    return AgencyOut(
        id=a.pk,
        name=a.name,
        code=a.code,
        type=a.kind,
        type_label=str(a.get_kind_display()),
        province=a.province,
        district=a.district,
        region=region.code if region else None,
    )


def result_fields(r: Assessment) -> dict[str, Any]:
    return {
        "agency_id": r.agency_id,
        "agency_name": r.agency.name,
        "fiscal_year": r.fiscal_year,
        "framework_id": r.framework_id,
        "total": float(r.total) if r.total is not None else None,
        "rating": r.rating,
        "level": r.level,
        "passed": r.passed,
        "figures": r.figures or {},
        "updated": r.updated,
    }


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _checked(run: Any) -> Any:
    try:
        return run()
    except BadFilter as exc:
        raise HttpError(400, str(exc)) from None


# --- endpoints --------------------------------------------------------------------------------


@api.get("/regions", response=list[RegionOut], tags=["agencies"])
def regions(request: HttpRequest) -> list[RegionOut]:
    """Thailand's regions and their provinces (for the region filter)."""
    return [
        RegionOut(code=r.code, th=r.th, en=r.en, provinces=geography.in_region(r.code))
        for r in geography.regions()
    ]


@api.get("/agencies", response=list[AgencyOut], tags=["agencies"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def agencies(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    """The agencies you may see (the fiscal year filter is ignored here)."""
    found = _checked(lambda: selectors.agencies(_user(request), filters.filters()))
    return _Mapped(found, agency_out)


@api.get("/agencies/{agency_id}", response={200: AgencyOut, 404: ErrorOut}, tags=["agencies"])
def agency(request: HttpRequest, agency_id: int) -> Any:
    """One agency; 404 when it does not exist or you may not see it (as its pages)."""
    found = selectors.agency(_user(request), agency_id)
    if found is None:
        return Status(404, ErrorOut(detail="no such agency"))
    return agency_out(found)


@api.get("/results", response=list[ResultOut], tags=["results"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def results(request: HttpRequest, filters: Query[ListFilters], agency_id: int | None = None) -> Any:
    """Each agency's result per fiscal year with its stored figures (total, rating, level,
    tools and indicators); ``agency_id`` for one agency's years."""
    found = _checked(lambda: selectors.results(_user(request), filters.filters()))
    if agency_id is not None:
        found = found.filter(agency_id=agency_id)
    return _Mapped(found, lambda r: ResultOut(**result_fields(r)))


@api.get(
    "/agencies/{agency_id}/results/{fiscal_year}",
    response={200: ResultDetailOut, 404: ErrorOut},
    tags=["results"],
)
def result(request: HttpRequest, agency_id: int, fiscal_year: int) -> Any:
    """One agency's result of one year with the item scores it was given."""
    found = selectors.agency(_user(request), agency_id)
    held = found.assessments.filter(fiscal_year=fiscal_year).first() if found else None
    if held is None:
        return Status(404, ErrorOut(detail="no such result"))
    return ResultDetailOut(**result_fields(held), scores=held.scores or {})


@api.get("/plans", response=list[PlanOut], tags=["plans"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def plans(request: HttpRequest, filters: Query[ListFilters], agency_id: int | None = None) -> Any:
    """Each measures plan's status: current version, approval, rounds filled, published;
    ``agency_id`` for one agency's plans."""
    found = _checked(lambda: selectors.plans(_user(request), filters.filters()))
    if agency_id is not None:
        found = found.filter(agency_id=agency_id)
    return _Mapped(found, None, page=_plan_page)


def _plan_page(page: list[MeasuresPlan]) -> list[PlanOut]:
    statuses = selectors.plan_statuses(page)
    out = []
    for plan in page:
        s = statuses[plan.pk]
        out.append(
            PlanOut(
                agency_id=plan.agency_id,
                agency_name=plan.agency.name,
                fiscal_year=plan.fiscal_year,
                version=s.version,
                approval=s.approval,
                approved=s.approval == "approved",
                published=s.published,
                rounds=[
                    RoundOut(months=r.months, reporting=r.reporting, done=r.done, started=r.started)
                    for r in s.rounds
                ],
            )
        )
    return out


class _Mapped:
    """A queryset the paginator slices and counts; each page converted once (for plans, a
    whole page at a time, so the page's statuses cost a few queries, not a few per plan)."""

    def __init__(self, query: Any, each: Any, page: Any = None) -> None:
        self.query, self.each, self.page = query, each, page

    def count(self) -> int:
        return int(self.query.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        rows = list(self.query[window])
        return self.page(rows) if self.page is not None else [self.each(r) for r in rows]


# --- aggregates: the views across agencies (the overview app) --------------------------------


@api.get("/summary", response=dict[str, Any], tags=["aggregates"])
def summary(
    request: HttpRequest,
    fiscal_year: int,
    region: str | None = None,
    province: str | None = None,
    district: str | None = None,
    type: str | None = None,
) -> Any:
    """The figures of a view across agencies (a district, province, region or the country in
    a year): exactly ``openita stats --json``. The same rule as the overview pages: what the
    user may see by names, or as anonymous aggregates (small groups withheld)."""
    from openita.web.overview import scope as scopes  # imported when asked: a heavy module
    from openita.web.overview import selectors as overview

    user = _user(request)
    try:
        requested = overview.Scope(
            fiscal_year,
            region or None,
            selectors.province_of(province) if province else None,
            district or None,
            selectors.kind_code(type) if type else None,
        )
        scope = overview.scope_for(user, requested)
    except PermissionDenied:
        raise HttpError(403, "this scope is not visible to you") from None
    except (BadFilter, overview.ScopeInvalid) as exc:
        raise HttpError(400, str(exc)) from None
    return overview.summary(scope, scopes.viewer_of(user)).as_dict()
