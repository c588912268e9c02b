"""Approval pages: a few lines each; access by agency_for_user, work by services/selectors.

Reading a plan's requests is open to everyone who reads the plan; submitting to its editors
(officers, superusers); deciding to its executives (and superusers); withdrawing to the
submitter. Anyone else gets 404, as for every write in the app.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openita.documents.kinds import memo as memo_doc
from openita.plans.files import PlanInvalid
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import (
    agency_for_user,
    can_edit,
    emblem_of,
    with_agency_settings,
)
from openita.web.approvals import selectors, services
from openita.web.approvals.forms import DecideForm, SubmitForm
from openita.web.approvals.models import ApprovalRequest, Subject
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.selectors import current_version, plan_in
from openita.web.ui.downloads import DOWNLOADS, document_download

ROUND_OF = {Subject.PROGRESS_6: 6, Subject.PROGRESS_12: 12}


def _index_page(
    request: HttpRequest,
    agency: Agency,
    plan: MeasuresPlan,
    form: SubmitForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    current = current_version(plan)
    context = {
        "agency": agency,
        "plan": plan,
        "version": current,
        "states": selectors.states_of(plan, current),
        "requests": selectors.requests_of(plan),
        "can_submit": can_edit(request.user, agency),
        "form": form or SubmitForm(),
        "error": error,
    }
    return render(request, "approvals/index.html", context, status=status)


def _detail_page(
    request: HttpRequest,
    agency: Agency,
    plan: MeasuresPlan,
    found: ApprovalRequest,
    form: DecideForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    current = current_version(plan)
    context = {
        "agency": agency,
        "plan": plan,
        "req": found,
        "current": current,
        "months": ROUND_OF.get(Subject(found.subject)),
        "can_decide": found.status == "submitted" and selectors.can_decide(request.user, agency),
        "can_withdraw": selectors.can_withdraw(request.user, found),
        "form": form or DecideForm(),
        "error": error,
    }
    return render(request, "approvals/detail.html", context, status=status)


def _link(request: HttpRequest, found: ApprovalRequest) -> str:
    address = reverse("approvals:detail", args=[found.plan.agency_id, found.plan_id, found.pk])
    return request.build_absolute_uri(address)


@login_required
@require_GET
def index(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    return _index_page(request, agency, plan_in(agency, plan_id))


@login_required
@require_POST
def submit(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = plan_in(agency, plan_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _index_page(request, agency, plan, form, _("โปรดเลือกเรื่องที่จะเสนอ"), 400)
    try:
        done = services.request_submit(
            plan=plan,
            subject=Subject(form.cleaned_data["subject"]),
            user=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data["note"],
            link=request.build_absolute_uri(reverse("approvals:index", args=[agency.pk, plan.pk])),
        )
    except services.ApprovalRefused as exc:
        return _index_page(request, agency, plan, form, str(exc), exc.status)
    found = done.request
    values = {"what": found.get_subject_display(), "n": found.version.number}
    if done.created:
        messages.success(request, _("เสนอ%(what)s ฉบับที่ %(n)s ต่อผู้บริหารแล้ว") % values)
    else:
        messages.info(request, _("%(what)s ฉบับที่ %(n)s อยู่ระหว่างรอพิจารณาอยู่แล้ว") % values)
    return redirect("plans:detail", agency_id=agency.pk, plan_id=plan.pk)


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, plan_id: int, request_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    plan = plan_in(agency, plan_id)
    return _detail_page(request, agency, plan, selectors.request_in(plan, request_id))


@login_required
@require_POST
def decide(request: HttpRequest, agency_id: int, plan_id: int, request_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    if not selectors.can_decide(request.user, agency):
        raise Http404("no such agency")
    plan = plan_in(agency, plan_id)
    found = selectors.request_in(plan, request_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, agency, plan, found, form, _("โปรดเลือกผลการพิจารณา"), 400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decided = services.request_decide(
            request=found,
            user=request.user,  # type: ignore[arg-type]
            approve=approve,
            reason=form.cleaned_data["reason"],
            link=_link(request, found),
        )
    except services.ApprovalRefused as exc:
        found = selectors.request_in(plan, request_id)
        return _detail_page(request, agency, plan, found, form, str(exc), exc.status)
    values = {"what": decided.get_subject_display(), "n": decided.version.number}
    if approve:
        messages.success(request, _("อนุมัติ%(what)s ฉบับที่ %(n)s แล้ว") % values)
    else:
        messages.success(request, _("บันทึกว่าไม่อนุมัติ%(what)s ฉบับที่ %(n)s แล้ว") % values)
    return redirect("approvals:detail", agency_id=agency.pk, plan_id=plan.pk, request_id=found.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, agency_id: int, plan_id: int, request_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = plan_in(agency, plan_id)
    found = selectors.request_in(plan, request_id)
    try:
        services.request_withdraw(request=found, user=request.user)  # type: ignore[arg-type]
    except services.ApprovalRefused as exc:
        return _detail_page(request, agency, plan, found, None, str(exc), exc.status)
    messages.success(request, _("ถอนเรื่องแล้ว"))
    return redirect("plans:detail", agency_id=agency.pk, plan_id=plan.pk)


@login_required
@require_GET
def memo(
    request: HttpRequest, agency_id: int, plan_id: int, request_id: int, fmt: str
) -> HttpResponse:
    """The round's memo of exactly the version of this request, with its decision."""
    agency = agency_for_user(request.user, agency_id)
    plan = plan_in(agency, plan_id)
    found = selectors.request_in(plan, request_id)
    months = ROUND_OF.get(Subject(found.subject))
    if months is None or fmt not in DOWNLOADS:
        raise Http404("no such document")
    content = with_agency_settings(selectors.plan_with_decisions(found.version, found), agency)
    try:
        document = memo_doc.build(
            content, months, today=timezone.localdate(), emblem_png=emblem_of(agency)
        )
    except PlanInvalid as exc:
        return _problem(request, agency, plan, months, exc)
    filename = f"ita-memo-{plan.fiscal_year}-{months}m-v{found.version.number}.{fmt}"
    back = reverse("approvals:detail", args=[agency.pk, plan.pk, found.pk])
    return document_download(request, agency, document, fmt, filename, back=back)


def _problem(
    request: HttpRequest, agency: Agency, plan: MeasuresPlan, months: int, exc: PlanInvalid
) -> HttpResponse:
    context: dict[str, Any] = {
        "agency": agency,
        "plan": plan,
        "months": months,
        "signers": any(p.startswith("agency.signers") for p in exc.problems),
        "problems": exc.problems,
    }
    return render(request, "plans/progress_problem.html", context, status=400)
