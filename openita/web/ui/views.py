from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from openita.web.accounts.selectors import can_manage_people
from openita.web.agencies.home import agency_page, awaiting_for
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.audit.selectors import can_read_log
from openita.web.plans.selectors import draftable_years, plans_of
from openita.web.results.selectors import years_of


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    found = agency_page(request.user, request.GET, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "list": found,
        "rows": found.rows,
        "page": found.page,
        "query": query.urlencode(),
        "awaiting": awaiting_for(request.user),
    }
    return render(request, "ui/home.html", context)


@login_required
@require_GET
def agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    found = agency_for_user(request.user, agency_id)
    context = {
        "agency": found,
        "years": years_of(found),
        "can_edit": can_edit(request.user, found),
        "can_read_log": can_read_log(request.user, found),
        "can_manage_people": can_manage_people(request.user, found),
        "plans": plans_of(found),
        "draftable": draftable_years(found),
    }
    return render(request, "ui/agency.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, asked for by browsers on pages without an icon link: the site's icon."""
    return HttpResponsePermanentRedirect(static("openita/favicon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after its session or token expired: say so in Thai; nothing was saved."""
    return render(request, "403_csrf.html", status=403)
