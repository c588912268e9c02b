"""Plan pages: a few lines each; access by agency_for_user, work by services/selectors."""

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

from openita.plans.files import PlanInvalid
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.drafting import DraftForm, focus_offer
from openita.web.plans.forms import (
    MeasureFormSet,
    MemoForm,
    PlanForm,
    ProgressFormSet,
    RoundForm,
    form_options,
    formset_data,
    initial_of,
    memo_initial,
    plan_from_forms,
    problems_of,
    progress_from_forms,
    progress_initial,
    with_memo,
)
from openita.web.plans.merge import Merged, merge_plan, merge_progress
from openita.web.ui.downloads import DOWNLOADS, document_download

PREFIX = "m"


@login_required
@require_GET
def index(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    return _index(request, agency)


def _index(request: HttpRequest, agency: Any, status: int = 200) -> HttpResponse:
    draftable = selectors.draftable_years(agency)
    editable = can_edit(request.user, agency)
    context = {
        "agency": agency,
        "plans": selectors.plans_of(agency),
        "draftable": draftable,
        "can_edit": editable,
        "focus_offer": focus_offer(agency, draftable[0]) if draftable and editable else None,
    }
    return render(request, "plans/index.html", context, status=status)


@login_required
@require_POST
def draft(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    form = DraftForm(request.POST)
    if not form.is_valid():
        if "fiscal_year" in form.errors:
            messages.error(request, _("ปีงบประมาณไม่ถูกต้อง"))
            return redirect("plans:index", agency_id=agency.pk)
        messages.error(request, _("ตัวชี้วัดที่เลือกหรือเหตุผลประกอบไม่ถูกต้อง"))
        return _index(request, agency, status=400)
    try:
        year = int(request.POST.get("fiscal_year", ""))
        if not selectors.sensible_draft(agency, year):
            raise services.PlanRefused(
                _("ร่างแผนปีงบประมาณ %(year)s ไม่ได้: ร่างได้เฉพาะแผนของปีถัดจากผลการประเมินล่าสุดที่ยังไม่มีแผน")
                % {"year": year}
            )
        plan = services.plan_draft(
            agency=agency,
            fiscal_year=form.cleaned_data["fiscal_year"],
            user=request.user,  # type: ignore[arg-type]
            focus=form.cleaned_data["focus"] or None,
            focus_note=form.cleaned_data["focus_note"],
        )
    except services.FocusInvalid as exc:
        messages.error(request, str(exc))
        return _index(request, agency, status=400)
    except services.PlanRefused as exc:
        messages.error(request, str(exc))
        return redirect("plans:index", agency_id=agency.pk)
    messages.success(request, _("ร่างแผนมาตรการจากผลการประเมินแล้ว โปรดตรวจและแก้ไข"))
    return redirect("plans:detail", agency_id=agency.pk, plan_id=plan.pk)


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    plan = selectors.plan_in(agency, plan_id)
    versions = selectors.versions_of(plan)
    current = selectors.current_version(plan)
    content = plan_of(current.content)
    context = {
        "agency": agency,
        "plan": plan,
        "version": current,
        "content": content,
        "rounds": [selectors.round_of(content, months) for months in (6, 12)],
        "versions": versions,
        "can_edit": can_edit(request.user, agency),
    }
    return render(request, "plans/detail.html", context)


def _forms(data: Any, plan: Any, base: Any, units: list[str]) -> tuple[PlanForm, Any]:
    options = form_options(base, [*units, *(m.unit for m in plan.measures)])
    if data is None:
        initial, measures = initial_of(base, 0)
        return PlanForm(initial=initial), MeasureFormSet(
            initial=measures, prefix=PREFIX, form_kwargs=options
        )
    return PlanForm(data), MeasureFormSet(data, prefix=PREFIX, form_kwargs=options)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = selectors.plan_in(agency, plan_id)
    current = selectors.current_version(plan)
    current_plan = plan_of(current.content)
    units = selectors.unit_choices(agency, current_plan)
    stale: services.StaleEdit | None = None
    merged: Merged | None = None
    status = 200
    if request.method != "POST":
        form, formset = _forms(None, current_plan, current_plan, units)
        form.initial["base_version"] = current.number
    else:
        base = _base_version(plan, request.POST.get("base_version"), current)
        base_plan = plan_of(base.content)
        form, formset = _forms(request.POST, current_plan, base_plan, units)
        if form.is_valid() and formset.is_valid():
            content = plan_from_forms(base_plan, form, formset)
            if content is not None:
                try:
                    saved = services.plan_save(
                        plan=plan,
                        user=request.user,  # type: ignore[arg-type]
                        content=content,
                        base_version=form.cleaned_data["base_version"],
                        note=form.cleaned_data["note"],
                    )
                except services.StaleEdit as exc:
                    # Keep everything typed, merged measure by measure with the newer version:
                    # the next save builds on it and reverts nothing the colleague changed.
                    stale, status = exc, 409
                    theirs = plan_of(exc.newer.content)
                    merged = merge_plan(base_plan, theirs, content)
                    data = formset_data(PREFIX, merged.rows, extra=1)
                    data["base_version"] = str(exc.newer.number)
                    data["foreword"] = merged.foreword
                    data["note"] = form.cleaned_data["note"]
                    form, formset = _forms(data, content, theirs, units)
                    form.is_valid()
                    formset.is_valid()
                except services.PlanRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    if saved.changed:
                        text = _("บันทึกแผนเป็นฉบับที่ %(n)s แล้ว") % {"n": saved.version.number}
                        messages.success(request, text)
                    else:
                        text = _("ไม่มีการเปลี่ยนแปลง ฉบับที่ %(n)s บันทึกไว้แล้ว")
                        messages.info(request, text % {"n": saved.version.number})
                    return redirect("plans:detail", agency_id=agency.pk, plan_id=plan.pk)
    if request.method == "POST" and status == 200:
        status = 400  # a POST that did not save: the form shows what to fix
    conflicts = merged.conflicts if merged is not None else {}
    context = {
        "agency": agency,
        "plan": plan,
        "version": current,
        "form": form,
        "formset": formset,
        "forms": [(f, conflicts.get(str(f["id"].value() or ""))) for f in formset.forms],
        "problems": [] if stale else problems_of(form, formset, "problems"),
        "stale": stale,
        "merged": merged,
    }
    return render(request, "plans/edit.html", context, status=status)


def _base_version(plan: Any, raw: str | None, current: Any) -> Any:
    try:
        return selectors.version_of(plan, int(raw or ""))
    except (ValueError, Http404):
        return current


@login_required
@require_GET
def diff(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    plan = selectors.plan_in(agency, plan_id)
    versions = selectors.versions_of(plan)
    newest = versions[0].number
    try:
        b = int(request.GET.get("b", newest))
        a = int(request.GET.get("a", max(b - 1, 1)))
    except ValueError as exc:
        raise Http404("no such version") from exc
    old, new = selectors.version_of(plan, a), selectors.version_of(plan, b)
    context = {
        "agency": agency,
        "plan": plan,
        "versions": versions,
        "diff": selectors.plan_diff(old, new),
    }
    return render(request, "plans/diff.html", context)


@login_required
@require_GET
def download(
    request: HttpRequest, agency_id: int, plan_id: int, number: int, fmt: str
) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    plan = selectors.plan_in(agency, plan_id)
    if fmt not in DOWNLOADS:
        raise Http404("no such document")
    document = selectors.plan_document(selectors.version_of(plan, number))
    filename = f"ita-plan-{plan.fiscal_year}-v{number}.{fmt}"
    back = reverse("plans:detail", args=[agency.pk, plan.pk])
    return document_download(request, agency, document, fmt, filename, back=back)


# --- progress of a reporting round ------------------------------------------------------------

ROUND_PREFIX = "p"
ROUND_DOCUMENTS = ("progress", "memo")


def _round_forms(data: Any, plan: Any, months: int) -> Any:
    if data is None:
        return ProgressFormSet(initial=progress_initial(plan, months), prefix=ROUND_PREFIX)
    return ProgressFormSet(data, prefix=ROUND_PREFIX)


def _round_page(
    request: HttpRequest,
    agency: Any,
    plan: Any,
    months: int,
    current: Any,
    form: RoundForm | None,
    formset: Any,
    status: int = 200,
    stale: services.StaleEdit | None = None,
    base: Any = None,
    memo_form: MemoForm | None = None,
    merged: Merged | None = None,
) -> HttpResponse:
    content = plan_of(current.content)
    found = selectors.round_of(content, months)
    measures = {r.measure.id: r for r in found.rows}
    if base is not None:  # a measure the newer version dropped still shows the input typed
        older = selectors.round_of(base, months).rows
        measures = {**{r.measure.id: r for r in older}, **measures}
    forms = []
    conflicts = merged.conflicts if merged is not None else {}
    if formset is not None:
        forms = [
            (measures.get(str(sub["id"].value())), sub, conflicts.get(str(sub["id"].value())))
            for sub in formset.forms
        ]
    context = {
        "agency": agency,
        "plan": plan,
        "version": current,
        "content": content,
        "round": found,
        "other": 12 if months == 6 else 6,
        "form": form,
        "formset": formset,
        "forms": forms,
        "problems": [] if stale or form is None else problems_of(form, formset, "problems"),
        "stale": stale,
        "memo_form": memo_form
        if memo_form is not None
        else (
            MemoForm(initial=memo_initial(content, months, current.number))
            if form is not None
            else None
        ),
        "merged": merged,
    }
    return render(request, "plans/progress.html", context, status=status)


@login_required
@require_POST
def memo_settings(request: HttpRequest, agency_id: int, plan_id: int, months: int) -> HttpResponse:
    """Set the date and number of the round's memo (saved as a new plan version)."""
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = selectors.plan_in(agency, plan_id)
    if months not in (6, 12):
        raise Http404("no such round")
    current = selectors.current_version(plan)
    memo_form = MemoForm(request.POST)
    if memo_form.is_valid():
        base = _base_version(plan, str(memo_form.cleaned_data["base_version"]), current)
        content = with_memo(
            plan_of(base.content),
            months,
            memo_form.cleaned_data["date"],
            memo_form.cleaned_data["reference"],
        )
        try:
            saved = services.plan_save(
                plan=plan,
                user=request.user,  # type: ignore[arg-type]
                content=content,
                base_version=base.number,
                note=_("บันทึกข้อความรอบ %(n)s เดือน") % {"n": months},
            )
        except services.StaleEdit as exc:
            # Someone saved in between: show the newer version, keep what was typed.
            data = request.POST.copy()
            data["base_version"] = str(exc.newer.number)
            memo_form = MemoForm(data)
            memo_form.is_valid()
            memo_form.add_error(
                None,
                _("มีผู้อื่นบันทึกแผนนี้เป็นฉบับที่ %(n)s ก่อนคุณ โปรดตรวจแล้วบันทึกอีกครั้ง") % {"n": exc.newer.number},
            )
            form = RoundForm(initial={"base_version": exc.newer.number})
            formset = _round_forms(None, plan_of(exc.newer.content), months)
            return _round_page(
                request, agency, plan, months, exc.newer, form, formset, 409, None, None, memo_form
            )
        if saved.changed:
            text = _("บันทึกวันที่และเลขที่ของบันทึกข้อความเป็นแผนฉบับที่ %(n)s แล้ว")
            messages.success(request, text % {"n": saved.version.number})
        return redirect("plans:progress", agency_id=agency.pk, plan_id=plan.pk, months=months)
    form = RoundForm(initial={"base_version": current.number})
    formset = _round_forms(None, plan_of(current.content), months)
    return _round_page(
        request, agency, plan, months, current, form, formset, 400, None, None, memo_form
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest, agency_id: int, plan_id: int, months: int) -> HttpResponse:
    """A round's progress: everyone who reads the plan sees it, editors update it here."""
    write = request.method == "POST"
    agency = agency_for_user(request.user, agency_id, write=write)
    plan = selectors.plan_in(agency, plan_id)
    if months not in (6, 12):
        raise Http404("no such round")
    current = selectors.current_version(plan)
    if not write:
        if not can_edit(request.user, agency):
            return _round_page(request, agency, plan, months, current, None, None)
        form = RoundForm(initial={"base_version": current.number})
        formset = _round_forms(None, plan_of(current.content), months)
        return _round_page(request, agency, plan, months, current, form, formset)
    base = _base_version(plan, request.POST.get("base_version"), current)
    base_plan = plan_of(base.content)
    form, formset = RoundForm(request.POST), _round_forms(request.POST, base_plan, months)
    stale: services.StaleEdit | None = None
    merged: Merged | None = None
    status = 400  # a POST that did not save: the form shows what to fix
    if form.is_valid() and formset.is_valid():
        today = timezone.localdate()
        content = progress_from_forms(base_plan, months, formset, today, form)
        if content is not None:
            try:
                saved = services.plan_save(
                    plan=plan,
                    user=request.user,  # type: ignore[arg-type]
                    content=content,
                    base_version=form.cleaned_data["base_version"],
                    note=_("ความก้าวหน้ารอบ %(n)s เดือน") % {"n": months},
                )
            except services.StaleEdit as exc:
                # Keep everything typed, merged measure by measure with the newer version:
                # the next save builds on it and reverts nothing the colleague changed.
                stale, status, current = exc, 409, exc.newer
                merged = merge_progress(base_plan, plan_of(exc.newer.content), content, months)
                data = formset_data(ROUND_PREFIX, merged.rows)
                data["base_version"] = str(exc.newer.number)
                form, formset = RoundForm(data), _round_forms(data, base_plan, months)
                form.is_valid()
                formset.is_valid()
            except services.PlanRefused as exc:
                form.add_error(None, str(exc))
            else:
                if saved.changed:
                    text = _("บันทึกความก้าวหน้าเป็นแผนฉบับที่ %(n)s แล้ว")
                    messages.success(request, text % {"n": saved.version.number})
                else:
                    text = _("ไม่มีการเปลี่ยนแปลง ฉบับที่ %(n)s บันทึกไว้แล้ว")
                    messages.info(request, text % {"n": saved.version.number})
                return redirect(
                    "plans:progress", agency_id=agency.pk, plan_id=plan.pk, months=months
                )
    return _round_page(
        request, agency, plan, months, current, form, formset, status, stale, base_plan,
        merged=merged,
    )  # fmt: skip


@login_required
@require_GET
def progress_download(
    request: HttpRequest, agency_id: int, plan_id: int, months: int, kind: str, fmt: str
) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    plan = selectors.plan_in(agency, plan_id)
    if months not in (6, 12) or kind not in ROUND_DOCUMENTS or fmt not in DOWNLOADS:
        raise Http404("no such document")
    current = selectors.current_version(plan)
    try:
        document = selectors.round_document(current, months, kind, timezone.localdate())
    except PlanInvalid as exc:
        context = {
            "agency": agency,
            "plan": plan,
            "months": months,
            "signers": any(p.startswith("agency.signers") for p in exc.problems),
            "problems": exc.problems,
        }
        return render(request, "plans/progress_problem.html", context, status=400)
    filename = f"ita-{kind}-{plan.fiscal_year}-{months}m-v{current.number}.{fmt}"
    back = reverse("plans:progress", args=[agency.pk, plan.pk, months])
    return document_download(request, agency, document, fmt, filename, back=back)
