"""Evidence file pages: upload from the round page, download, delete. A few lines each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openita.web.agencies.selectors import agency_for_user
from openita.web.evidence import selectors, services
from openita.web.evidence.models import EvidenceFile
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.services import PlanRefused, StaleEdit


def file_response(file: EvidenceFile) -> HttpResponse:
    """The file as an attachment, under its Thai name (with an ASCII fallback)."""
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.name) or ""
    response["Content-Length"] = str(file.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def refused_page(
    request: HttpRequest, message: str, back: str, status: int = 400, title: str = ""
) -> HttpResponse:
    context = {"message": message, "back": back, "title": title}
    return render(request, "evidence/refused.html", context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest, agency_id: int, plan_id: int, months: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = plan_selectors.plan_in(agency, plan_id)
    if months not in (6, 12):
        raise Http404("no such round")
    back = f"{round_url(agency.pk, plan.pk, months)}#evidence"
    try:
        files = services.checked_uploads(request.FILES.getlist("files"))
        rows, _saved = services.evidence_upload(
            plan=plan,
            months=months,
            measure_id=request.POST.get("measure", ""),
            files=files,
            user=request.user,  # type: ignore[arg-type]
        )
    except (services.EvidenceRefused, PlanRefused) as exc:
        return refused_page(request, str(exc), back)
    names = ", ".join(r.name for r in rows)
    messages.success(request, _("เก็บไฟล์หลักฐานแล้ว: %(names)s") % {"names": names})
    return redirect(back)


def round_url(agency_id: int, plan_id: int, months: int) -> str:
    return reverse("plans:progress", args=[agency_id, plan_id, months])


@login_required
@require_GET
def download(request: HttpRequest, agency_id: int, file_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    return file_response(selectors.file_in(agency, file_id))


@login_required
@require_POST
def delete(request: HttpRequest, agency_id: int, file_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    file = selectors.file_in(agency, file_id)
    back = f"{round_url(agency.pk, file.plan_id, file.months)}#evidence"
    name = file.name
    try:
        services.evidence_delete(file=file, user=request.user)  # type: ignore[arg-type]
    except (services.EvidenceRefused, PlanRefused, StaleEdit) as exc:
        return refused_page(request, str(exc), back, status=409, title=_("ยังไม่ได้ลบไฟล์"))
    messages.success(request, _("ลบไฟล์หลักฐาน %(name)s แล้ว") % {"name": name})
    return redirect(back)
