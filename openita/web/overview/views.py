"""The overview across agencies: one page per scope (country, region, province, district) and
fiscal year, and every table of it as CSV or XLSX. Access: ``scope.allowed`` (403 otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openita.web.overview import exports, page, selectors
from openita.web.overview.scope import Scope, ScopeInvalid, Viewer, allowed, resolve, viewer_of


def _scope(request: HttpRequest, viewer: Viewer, years: list[int]) -> Scope | None:
    """The scope asked for (the viewer's default when nothing is), or None without results;
    ScopeInvalid for what cannot be read, PermissionDenied for what may not be seen."""
    if not years:
        return None
    raw = request.GET.get("year") or str(years[-1])
    try:
        year = int(raw)
    except ValueError:
        raise ScopeInvalid(f"fiscal year {raw!r} is not a number") from None
    asked = {
        k: request.GET.get(k, "").strip() or None
        for k in ("region", "province", "district", "kind")
    }
    if not request.GET and not viewer.national and viewer.provinces:
        asked["province"] = sorted(viewer.provinces)[0]
    scope = resolve(year=year, years=years, **asked)
    if not allowed(viewer, scope):
        raise PermissionDenied("this scope is not visible to you")
    return scope


def _viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request.user)
    if not viewer.any_role:
        raise PermissionDenied("no role that sees agencies")
    return viewer


def _part(
    request: HttpRequest, template: str, build: Callable[[Scope, Viewer, list[int]], dict[str, Any]]
) -> HttpResponse:
    viewer = _viewer(request)
    try:
        years = selectors.result_years()
        scope = _scope(request, viewer, years)
    except ScopeInvalid as exc:
        return render(request, "overview/invalid.html", {"problem": str(exc)}, status=400)
    if scope is None:
        return render(request, "overview/empty.html")
    return render(request, template, build(scope, viewer, years))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _part(request, "overview/index.html", page.context)


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    return _part(request, "overview/items.html", page.items_context)


@login_required
@require_GET
def followup(request: HttpRequest) -> HttpResponse:
    today, asked = timezone.localdate(), request.GET.get("plan_year")
    return _part(
        request,
        "overview/followup.html",
        lambda scope, viewer, years: page.followup_context(
            scope, viewer, years, today=today, asked=asked
        ),
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    table, fmt = request.GET.get("table", ""), request.GET.get("fmt", "")
    if table not in exports.TABLES or fmt not in exports.CONTENT_TYPES:
        raise Http404("no such table or format")
    try:
        scope = _scope(request, viewer, selectors.result_years())
    except ScopeInvalid as exc:
        return render(request, "overview/invalid.html", {"problem": str(exc)}, status=400)
    if scope is None:
        raise Http404("no results yet")
    if table in exports.NAMED and not viewer.named(scope):
        raise PermissionDenied("this table names agencies you may not see")
    rows = exports.TABLES[table](scope, viewer, request.GET.get("plan_year"))
    body = exports.as_csv(rows) if fmt == "csv" else exports.as_xlsx(rows, table)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(table, scope, fmt)}"'
    )
    return response
