"""Publishing pages: the public page and files (no login), publish and unpublish (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import agency_for_user
from openita.web.approvals.models import Subject
from openita.web.plans import selectors as plan_selectors
from openita.web.publishing import oit_list, selectors, services
from openita.web.publishing.models import FileKind


def _publisher_agency(request: HttpRequest, agency_id: int) -> Agency:
    """The agency, if this user may publish there; 404 otherwise (as for any write)."""
    agency = agency_for_user(request.user, agency_id)
    if not services.can_publish(request.user, agency):  # type: ignore[arg-type]
        raise Http404("no such agency")
    return agency


def _refused(request: HttpRequest, agency: Agency, back: str, exc: Exception) -> HttpResponse:
    status = getattr(exc, "status", 400)
    context = {"agency": agency, "message": str(exc), "back": back}
    return render(request, "publishing/refused.html", context, status=status)


@require_safe
def public_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = selectors.public_agency(agency_id)
    years = selectors.public_years(agency)
    shown = [f.name for y in years for p in y.current for f in p.document_files]
    context = {
        "agency": agency,
        "years": years,
        "oit_lists": oit_list.public_lists(agency),
        "example": shown[0] if shown else "ita-plan-2566-v1.pdf",  # for the sha256sum line
    }
    return render(request, "publishing/public.html", context)


@require_safe
def public_file(
    request: HttpRequest, agency_id: int, publication_id: int, name: str
) -> HttpResponse:
    try:
        found = selectors.public_file(agency_id, publication_id, name)
    except selectors.Withdrawn as exc:
        context = {"publication": exc.publication, "agency": exc.publication.agency}
        return render(request, "publishing/withdrawn.html", context, status=410)
    etag = f'"{found.sha256}"'
    # Published files never change: a client that has this one gets 304, and every request
    # revalidates (no-cache), so a withdrawal takes effect at once.
    given = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    if etag in given or "*" in given:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(found.data), content_type=found.content_type)
        shown = "inline" if found.kind in (FileKind.PDF, FileKind.JSON) else "attachment"
        response["Content-Disposition"] = f'{shown}; filename="{found.name}"'
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


@login_required
@require_POST
def publish(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = _publisher_agency(request, agency_id)
    plan = plan_selectors.plan_in(agency, plan_id)
    back = reverse("plans:detail", args=[agency.pk, plan.pk]) + "#publishing"
    try:
        subject = Subject(request.POST.get("subject", ""))
        number = int(request.POST.get("version", ""))
    except ValueError:
        return _refused(request, agency, back, ValueError(_("ไม่ระบุเรื่องหรือฉบับที่จะเผยแพร่")))
    version = plan_selectors.version_of(plan, number)
    try:
        done = services.publication_publish(
            plan=plan,
            version=version,
            subject=subject,
            user=request.user,  # type: ignore[arg-type]
        )
    except services.PublishRefused as exc:
        return _refused(request, agency, back, exc)
    values = {"subject": subject.label, "n": number}
    if done.changed:
        messages.success(request, _("เผยแพร่%(subject)s ฉบับที่ %(n)s แล้ว") % values)
    else:
        messages.info(request, _("%(subject)s ฉบับที่ %(n)s เผยแพร่ไว้แล้ว") % values)
    return redirect(back)


@login_required
@require_POST
def unpublish(request: HttpRequest, agency_id: int, publication_id: int) -> HttpResponse:
    agency = _publisher_agency(request, agency_id)
    publication = selectors.publication_in(agency, publication_id)
    back = reverse("plans:detail", args=[agency.pk, publication.plan.pk]) + "#publishing"
    try:
        changed = services.publication_unpublish(
            publication=publication,
            user=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        )
    except services.PublishRefused as exc:
        return _refused(request, agency, back, exc)
    if changed:
        messages.success(request, _("ยกเลิกการเผยแพร่แล้ว"))
    else:
        messages.info(request, _("เอกสารนี้ยกเลิกการเผยแพร่ไว้แล้ว"))
    return redirect(back)


@login_required
@require_POST
def oit_publish(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _publisher_agency(request, agency_id)
    back = reverse("oit:detail", args=[agency.pk, year]) + "#publish-oit"
    try:
        done = oit_list.oit_list_publish(
            agency=agency,
            fiscal_year=year,
            user=request.user,  # type: ignore[arg-type]
        )
    except services.PublishRefused as exc:
        return _refused(request, agency, back, exc)
    if done.changed:
        messages.success(request, _("เผยแพร่รายการ OIT ปีงบประมาณ %(year)s แล้ว") % {"year": year})
    else:
        messages.info(request, _("รายการ OIT นี้เผยแพร่ไว้แล้ว"))
    return redirect(back)


@login_required
@require_POST
def oit_unpublish(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _publisher_agency(request, agency_id)
    back = reverse("oit:detail", args=[agency.pk, year]) + "#publish-oit"
    try:
        changed = oit_list.oit_list_unpublish(
            agency=agency,
            fiscal_year=year,
            user=request.user,  # type: ignore[arg-type]
            reason=request.POST.get("reason", ""),
        )
    except services.PublishRefused as exc:
        return _refused(request, agency, back, exc)
    if changed:
        messages.success(request, _("ยกเลิกการเผยแพร่แล้ว"))
    else:
        messages.info(request, _("เอกสารนี้ยกเลิกการเผยแพร่ไว้แล้ว"))
    return redirect(back)
