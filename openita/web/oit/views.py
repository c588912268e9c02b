"""OIT checklist pages: a few lines each; access by agency_for_user, work by services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.oit import selectors, services
from openita.web.oit.forms import EntryForm, OpenForm
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


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    checklist = selectors.checklist_for(agency, year)
    if checklist is None:
        raise Http404("no OIT checklist for this year")
    page = selectors.checklist_page(checklist, lang=get_language() or "th")
    context = {"agency": agency, "page": page, "can_edit": can_edit(request.user, agency)}
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
