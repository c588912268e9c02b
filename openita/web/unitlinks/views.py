"""Unit link pages: the officer's list (make, revoke), and the link's own page (no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.web.agencies.selectors import agency_for_user
from openita.web.evidence.selectors import file_of_plan, files_of_round
from openita.web.evidence.services import EvidenceRefused, checked_uploads
from openita.web.evidence.views import file_response
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.forms import (
    ProgressFormSet,
    RoundForm,
    formset_data,
    problems_of,
    progress_from_forms,
    progress_initial,
)
from openita.web.plans.merge import merge_progress
from openita.web.plans.models import PlanVersion
from openita.web.plans.services import PlanRefused, StaleEdit
from openita.web.unitlinks import selectors, services
from openita.web.unitlinks.forms import LinkForm
from openita.web.unitlinks.models import UnitLink

PREFIX = "p"
SESSION_KEY = "unitlinks_issued"


def _round(agency_id: int, plan_id: int, months: int, request: HttpRequest) -> Any:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = plan_selectors.plan_in(agency, plan_id)
    if months not in (6, 12):
        raise Http404("no such round")
    return agency, plan


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, agency_id: int, plan_id: int, months: int) -> HttpResponse:
    """The round's links: make one (its URL shown once), see the active ones, revoke."""
    agency, plan = _round(agency_id, plan_id, months, request)
    content = plan_of(plan_selectors.current_version(plan).content)
    units = selectors.round_units(agency, content, months)
    status = 200
    expiry = services.default_expiry(content, months, timezone.localdate())
    if request.method == "POST":
        form = LinkForm(request.POST, units=units, default_expiry=expiry)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                issued = services.link_create(
                    plan=plan,
                    months=months,
                    unit=data["unit"],
                    person_name=data["person_name"],
                    email=data["email"],
                    expires=data["expires"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except services.LinkRefused as exc:
                form.add_error(None, str(exc))
            else:
                url = request.build_absolute_uri(reverse("unitlinks:page", args=[issued.token]))
                sent = data["send"] and services.link_email(link=issued.link, url=url)
                if data["send"] and not sent:
                    messages.warning(request, _("ส่งอีเมลไม่สำเร็จ โปรดคัดลอกลิงก์ส่งเอง"))
                request.session[SESSION_KEY] = {"id": issued.link.pk, "url": url, "sent": sent}
                return redirect(
                    "unitlinks:manage", agency_id=agency.pk, plan_id=plan.pk, months=months
                )
    else:
        form = LinkForm(units=units, default_expiry=expiry)
    issued_now = request.session.pop(SESSION_KEY, None) if request.method == "GET" else None
    context = {
        "agency": agency,
        "plan": plan,
        "months": months,
        "form": form,
        "links": selectors.links_of(plan, months),
        "issued": issued_now,
    }
    return render(request, "unitlinks/manage.html", context, status=status)


@login_required
@require_POST
def revoke(
    request: HttpRequest, agency_id: int, plan_id: int, months: int, link_id: int
) -> HttpResponse:
    agency, plan = _round(agency_id, plan_id, months, request)
    link = selectors.link_in(plan, months, link_id)
    if request.POST.get("confirm") != "1":  # the list's button asks first, on its own page
        context = {"agency": agency, "plan": plan, "months": months, "link": link}
        return render(request, "unitlinks/revoke_confirm.html", context)
    services.link_revoke(link=link, user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("ยกเลิกลิงก์ของ %(name)s แล้ว") % {"name": link.person_name})
    return redirect("unitlinks:manage", agency_id=agency.pk, plan_id=plan.pk, months=months)


# --- the link's own page: no login ------------------------------------------------------------


def _link(request: HttpRequest, token: str) -> UnitLink | HttpResponse:
    """The link, or the page saying it is unknown (404) or ended (410)."""
    try:
        return selectors.link_for_token(token)
    except selectors.LinkGone as exc:
        return render(request, "unitlinks/gone.html", {"link": exc.link}, status=410)
    except Http404:
        return render(request, "unitlinks/gone.html", {"link": None}, status=404)


def _base(link: UnitLink, raw: str | None, current: PlanVersion) -> PlanVersion:
    try:
        return plan_selectors.version_of(link.plan, int(raw or ""))
    except (ValueError, Http404):
        return current


def _forms(data: Any, plan: Any, link: UnitLink) -> Any:
    if data is None:
        mine = {m.id for m in selectors.unit_measures(plan, link.months, link.unit)}
        initial = [r for r in progress_initial(plan, link.months) if r["id"] in mine]
        return ProgressFormSet(initial=initial, prefix=PREFIX)
    return ProgressFormSet(data, prefix=PREFIX)


def _page(
    request: HttpRequest,
    link: UnitLink,
    token: str,
    current: PlanVersion,
    form: RoundForm,
    formset: Any,
    status: int = 200,
    stale: StaleEdit | None = None,
    problem: str = "",
) -> HttpResponse:
    content = plan_of(current.content)
    found = plan_selectors.round_of(content, link.months)
    rows = {r.measure.id: r for r in found.rows if r.measure.unit == link.unit}
    files = files_of_round(link.plan, link.months)
    forms = [
        (rows.get(str(sub["id"].value())), sub, files.get(str(sub["id"].value()), []))
        for sub in formset.forms
    ]
    context = {
        "link": link,
        "token": token,
        "plan": link.plan,
        "round": found,
        "version": current,
        "rows": list(rows.values()),
        "form": form,
        "formset": formset,
        "forms": forms,
        "stale": stale,
        "problem": problem,
        "problems": problems_of(form, formset, "problems") if status == 400 else [],
    }
    return render(request, "unitlinks/page.html", context, status=status)


@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    current = plan_selectors.current_version(link.plan)
    if request.method != "POST":
        services.link_touch(link=link)
        form = RoundForm(initial={"base_version": current.number})
        return _page(
            request, link, token, current, form, _forms(None, plan_of(current.content), link)
        )
    base = _base(link, request.POST.get("base_version"), current)
    base_plan = plan_of(base.content)
    form, formset = RoundForm(request.POST), _forms(request.POST, base_plan, link)
    status, stale, problem = 400, None, ""
    if form.is_valid() and formset.is_valid():
        content = progress_from_forms(base_plan, link.months, formset, timezone.localdate(), form)
        if content is not None:
            try:
                uploads = {
                    str(sub.cleaned_data["id"]): checked_uploads(
                        request.FILES.getlist(f"{sub.prefix}-files")
                    )
                    for sub in formset.forms
                    if request.FILES.getlist(f"{sub.prefix}-files")
                }
                saved = services.link_progress_save(
                    link=link,
                    content=content,
                    base_version=form.cleaned_data["base_version"],
                    uploads=uploads,
                )
            except StaleEdit as exc:
                # Merged measure by measure with the newer version (files must be chosen again).
                stale, status, current = exc, 409, exc.newer
                theirs = plan_of(exc.newer.content)
                merged = merge_progress(base_plan, theirs, content, link.months)
                unit = {m.id for m in selectors.unit_measures(theirs, link.months, link.unit)}
                data = formset_data(PREFIX, [r for r in merged.rows if r["id"] in unit])
                data["base_version"] = str(exc.newer.number)
                form, formset = RoundForm(data), _forms(data, base_plan, link)
                form.is_valid()
                formset.is_valid()
            except (services.LinkRefused, EvidenceRefused, PlanRefused) as exc:
                problem = str(exc)
            else:
                if saved.changed:
                    text = _("บันทึกแล้ว ขอบคุณ (แผนฉบับที่ %(n)s)")
                else:
                    text = _("ไม่มีการเปลี่ยนแปลง ฉบับที่ %(n)s บันทึกไว้แล้ว")
                messages.success(request, text % {"n": saved.version.number})
                return redirect("unitlinks:page", token=token)
    return _page(request, link, token, current, form, formset, status, stale, problem)


@require_GET
def download(request: HttpRequest, token: str, file_id: int) -> HttpResponse:
    """A file of the link's own unit's measures in its round; any other is 404."""
    link = _link(request, token)
    if isinstance(link, HttpResponse):
        return link
    file = file_of_plan(link.plan, link.months, file_id)
    content = plan_of(plan_selectors.current_version(link.plan).content)
    mine = {m.id for m in selectors.unit_measures(content, link.months, link.unit)}
    if file.measure_id not in mine:
        raise Http404("no such file")
    return file_response(file)
