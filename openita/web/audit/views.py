"""The audit log page of an agency: its executives (and auditors, superusers) read it,
narrowed by action, person and dates, and export what they see as CSV."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import agency_for_user
from openita.web.audit import selectors
from openita.web.audit.forms import LogFilterForm


def _readable(request: HttpRequest, agency_id: int) -> Agency:
    agency = agency_for_user(request.user, agency_id)
    if not selectors.can_read_log(request.user, agency):
        raise Http404("no audit log for this user")
    return agency


def _form(request: HttpRequest, agency: Agency) -> LogFilterForm:
    asked = {k: v for k, v in request.GET.items() if k in ("action", "person", "since", "until")}
    return LogFilterForm(asked or None, people=selectors.people_of(agency))


@login_required
@require_GET
def log(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = _readable(request, agency_id)
    form = _form(request, agency)
    bad = form.is_bound and not form.is_valid()
    page, rows = selectors.log_page(agency, page=request.GET.get("page"), filters=form.filters())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "agency": agency,
        "form": form,
        "page": page,
        "rows": [] if bad else rows,
        "query": query.urlencode(),
        "bad": bad,
    }
    return render(request, "audit/log.html", context, status=400 if bad else 200)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """Text a spreadsheet shows as text: a leading formula character is quoted (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The entries the filters select (every page), as UTF-8 CSV that Excel opens in Thai."""
    agency = _readable(request, agency_id)
    form = _form(request, agency)
    if form.is_bound and not form.is_valid():
        context = {"agency": agency, "form": form, "page": None, "rows": [], "bad": True}
        return render(request, "audit/log.html", context, status=400)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["เมื่อ", "ผู้ดำเนินการ", "การกระทำ", "ประเภทข้อมูล", "รหัสข้อมูล", "สรุป", "ก่อน", "หลัง"])
    for entry in selectors.entries_of(agency, form.filters()).iterator():
        changes = selectors.changes_of(entry)
        writer.writerow(
            _cell(v)
            for v in (
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_label,
                entry.get_action_display(),
                entry.object_type,
                entry.object_id,
                entry.summary,
                "; ".join(f"{c.field}: {c.before}" if c.field else c.before for c in changes),
                "; ".join(f"{c.field}: {c.after}" if c.field else c.after for c in changes),
            )
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{agency.pk}-{today}.csv"'
    return response
