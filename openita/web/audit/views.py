"""The audit log page of an agency: its executives (and auditors, superusers) read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openita.web.agencies.selectors import agency_for_user
from openita.web.audit import selectors
from openita.web.audit.models import Action


@login_required
@require_GET
def log(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    if not selectors.can_read_log(request.user, agency):
        raise Http404("no audit log for this user")
    action = request.GET.get("action") or None
    page, rows = selectors.log_page(agency, page=request.GET.get("page"), action=action)
    context = {
        "agency": agency,
        "page": page,
        "rows": rows,
        "actions": Action.choices,
        "action": action if action in Action.values else "",
    }
    return render(request, "audit/log.html", context)
