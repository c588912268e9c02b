"""OIT checklist pages: a few lines each; access by agency_for_user, work by services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.oit import crawling, review, selectors, services
from openita.web.oit.forms import EntryForm, OpenForm
from openita.web.oit.models import OitChecklist, Proposal, Recheck
from openita.web.ui.downloads import DOWNLOADS, document_download

EXPORTS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=request.method == "POST")
    form = OpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["fiscal_year"]
        try:
            services.open_checklist(agency, year, request.user)
        except services.ChecklistError as exc:
            form.add_error("fiscal_year", exc.message)
        else:
            return redirect("oit:detail", agency_id=agency.pk, year=year)
    context = {
        "agency": agency,
        "form": form,
        "checklists": selectors.checklists_of(agency),
        "can_edit": can_edit(request.user, agency),
    }
    return render(request, "oit/index.html", context, status=400 if form.errors else 200)


def _with_proposals(
    page: selectors.ChecklistPage, checklist: OitChecklist
) -> list[tuple[selectors.Row, list[Proposal]]]:
    waiting = selectors.proposals_by_code(checklist)
    return [(r, waiting.get(r.entry.code, [])) for r in page.rows]


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    page = selectors.checklist_page(checklist, lang=get_language() or "th")
    context = {
        "agency": agency,
        "page": page,
        "can_edit": can_edit(request.user, agency),
        "rows": _with_proposals(page, checklist),
        "recheck_choices": Recheck.choices,
    }
    return render(request, "oit/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    checklist = selectors.checklist_for(agency, year)
    item = selectors.entry_for(checklist, code) if checklist is not None else None
    if checklist is None or item is None:
        raise Http404("no such OIT item")
    initial = {
        "urls": item.urls,
        "status": item.status,
        "unit": item.unit,
        "due": item.due,
        "note": item.note,
        "revision": item.revision,
    }
    form = EntryForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_entry(
                    item,
                    form.entry_data(),
                    revision=form.cleaned_data["revision"],
                    user=request.user,
                )
            except services.StaleEntry as exc:
                messages.error(
                    request,
                    _("ข้อนี้มีผู้อื่นบันทึกไปก่อนแล้ว โปรดตรวจสอบข้อมูลล่าสุดแล้วบันทึกอีกครั้ง"),
                )
                form = EntryForm(
                    request.POST,
                    initial={**initial, "revision": exc.entry.revision},
                )
                form.is_valid()
                status = 409
                item = exc.entry
            else:
                messages.success(request, _("บันทึกแล้ว"))
                return redirect("oit:detail", agency_id=agency.pk, year=year)
        else:
            status = 400
    framework_item = selectors.framework_item(checklist, code)
    context = {
        "agency": agency,
        "checklist": checklist,
        "entry": item,
        "item": framework_item,
        "form": form,
    }
    return render(request, "oit/entry.html", context, status=status)


@login_required
@require_POST
def check(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    try:
        services.request_check(checklist, request.user)
    except services.ChecklistError as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("เริ่มตรวจลิงก์แล้ว ผลจะแสดงในหน้านี้เมื่อตรวจเสร็จ"))
    return redirect("oit:detail", agency_id=agency.pk, year=year)


@login_required
@require_GET
def export(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None or (fmt not in EXPORTS and fmt not in DOWNLOADS):
        raise Http404("no such export")
    if fmt in DOWNLOADS:
        document = selectors.checklist_document(checklist)
        back = reverse("oit:detail", kwargs={"agency_id": agency.pk, "year": year})
        return document_download(request, agency, document, fmt, f"oit-{year}.{fmt}", back=back)
    body = selectors.export_csv(checklist) if fmt == "csv" else selectors.export_xlsx(checklist)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="oit-{year}.{fmt}"'
    return response


# --- the website crawl and its proposals -----------------------------------------------------


@login_required
@require_POST
def crawl(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    try:
        url = crawling.request_crawl(checklist, request.user, request.POST.get("website", ""))
    except services.ChecklistError as exc:
        messages.error(request, exc.message)
        page = selectors.checklist_page(checklist, lang=get_language() or "th")
        context = {
            "agency": agency,
            "page": page,
            "can_edit": True,
            "rows": _with_proposals(page, checklist),
            "crawl_error": exc.message,
            "recheck_choices": Recheck.choices,
        }
        return render(request, "oit/detail.html", context, status=400)
    messages.info(
        request, _("เริ่มค้นหาหน้าเว็บจาก %(url)s แล้ว ข้อเสนอจะแสดงในหน้านี้เมื่อเสร็จ") % {"url": url}
    )
    return redirect("oit:detail", agency_id=agency.pk, year=year)


@login_required
@require_POST
def proposal(request: HttpRequest, agency_id: int, year: int, proposal_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    found = Proposal.objects.filter(
        pk=proposal_id, checklist__agency=agency, checklist__fiscal_year=year
    ).first()
    action = request.POST.get("action")
    if found is None:
        raise Http404("no such proposal")
    if action not in ("confirm", "reject"):
        return HttpResponseBadRequest(_("คำสั่งไม่ถูกต้อง: ต้องเป็นยืนยันหรือปฏิเสธ"))
    try:
        crawling.decide(found, accept=action == "confirm", user=request.user)
    except services.ChecklistError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("เพิ่มลิงก์ในข้อ %(code)s แล้ว") % {"code": found.code.upper()}
            if action == "confirm"
            else _("ปฏิเสธข้อเสนอแล้ว ระบบจะไม่เสนอหน้านี้สำหรับข้อนี้อีก"),
        )
    return redirect("oit:detail", agency_id=agency.pk, year=year)


@login_required
@require_POST
def schedule(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    value = request.POST.get("recheck", "")
    if value not in Recheck.values:
        return HttpResponseBadRequest(_("รอบการตรวจซ้ำไม่ถูกต้อง"))
    services.set_recheck(checklist, Recheck(value), request.user)
    messages.success(request, _("บันทึกรอบการตรวจลิงก์ซ้ำแล้ว"))
    return redirect("oit:detail", agency_id=agency.pk, year=year)


# --- the auditor's review ---------------------------------------------------------------------


def _review_agency(request: HttpRequest, agency_id: int) -> tuple[Agency, bool]:
    """(agency, is auditor): auditors by their grant, others as readers of the agency."""
    found = Agency.objects.filter(pk=agency_id).first()
    if found is not None and review.can_audit(request.user, found):
        return found, True
    return agency_for_user(request.user, agency_id), False


def _marks(request: HttpRequest, codes: list[str], mark: str, note: str) -> dict[str, Any]:
    return {
        c: review.Marking(
            request.POST.get(f"{mark}-{c}", "").strip(), request.POST.get(f"{note}-{c}", "").strip()
        )
        for c in codes
        if f"{mark}-{c}" in request.POST
    }


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency, auditor = _review_agency(request, agency_id)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    officer = can_edit(request.user, agency)
    codes = list(checklist.entries.values_list("code", flat=True))
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        allowed = {"save": auditor, "send": auditor, "confirm": auditor, "write": auditor}
        allowed["answers"] = officer
        if not allowed.get(action):
            raise Http404("not allowed")
        try:
            if action == "save":
                review.save_preliminary(checklist, _marks(request, codes, "p", "c"), request.user)
                messages.success(request, _("บันทึกผลตรวจเบื้องต้นแล้ว"))
            elif action == "send":
                review.save_preliminary(checklist, _marks(request, codes, "p", "c"), request.user)
                review.send_preliminary(checklist, request.user)
                messages.success(request, _("แจ้งผลตรวจเบื้องต้นให้หน่วยงานชี้แจงแล้ว"))
            elif action == "answers":
                answers = {
                    c: request.POST.get(f"a-{c}", "").strip()
                    for c in codes
                    if f"a-{c}" in request.POST
                }
                review.save_answers(checklist, answers, request.user)
                messages.success(request, _("บันทึกคำชี้แจงแล้ว"))
            elif action == "confirm":
                review.confirm(checklist, _marks(request, codes, "f", "fc"), request.user)
                messages.success(request, _("ยืนยันผลตรวจ OIT แล้ว"))
            else:
                if not review.write_results(checklist, request.user):
                    raise services.ChecklistError(_("ยังไม่มีผลการประเมินของปีนี้"))
                messages.success(request, _("บันทึกคะแนน OIT ลงผลการประเมินแล้ว"))
        except services.ChecklistError as exc:
            error = exc.message
        else:
            return redirect("oit:review", agency_id=agency.pk, year=year)
    checklist.refresh_from_db()
    context = {
        "agency": agency,
        "checklist": checklist,
        "page": selectors.review_page(checklist, lang=get_language() or "th"),
        "auditor": auditor,
        "officer": officer,
        "error": error,
    }
    return render(request, "oit/review.html", context, status=400 if error else 200)


@login_required
@require_GET
def audit_index(request: HttpRequest) -> HttpResponse:
    rows = [
        (agency, selectors.checklists_of(agency))
        for agency in review.audited_agencies(request.user)
    ]
    return render(request, "oit/audit_index.html", {"rows": rows})
