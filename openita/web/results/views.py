"""Result pages: a few lines each; access by agency_for_user, work by services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.importers.templates import template_csv, template_xlsx
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.results import selectors, services
from openita.web.results.forms import ReportForm, UploadForm
from openita.web.ui.downloads import DOWNLOADS, document_download

TEMPLATES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = services.assessment_preview(
            agency=agency,
            fiscal_year=form.cleaned_data["fiscal_year"],
            framework_id=form.cleaned_data["framework"] or None,
            uploaded_file=form.cleaned_data["file"],
        )
    context = {"agency": agency, "form": form, "preview": preview}
    # bad input is a 4xx page: an invalid form, or a file with problems
    bad = request.method == "POST" and (not form.is_valid() or (preview and not preview.ok))
    return render(request, "results/upload.html", context, status=400 if bad else 200)


@login_required
@require_POST
def confirm(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    try:
        confirmation = services.confirmation_from_token(
            request.POST.get("token", ""), agency=agency
        )
        saved = services.assessment_save(
            agency=agency,
            confirmation=confirmation,
            user=request.user,  # type: ignore[arg-type]
        )
    except services.StalePreview:
        messages.error(request, _("ตัวอย่างนี้ใช้บันทึกไม่ได้แล้ว โปรดอัปโหลดไฟล์อีกครั้ง"))
        return redirect("results:upload", agency_id=agency.pk)
    if saved.changed:
        messages.success(request, _("บันทึกผลการประเมินแล้ว"))
    else:
        messages.info(request, _("ผลการประเมินนี้บันทึกไว้แล้ว"))
    return redirect("results:detail", agency_id=agency.pk, year=saved.assessment.fiscal_year)


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    assessment = selectors.assessment_for(agency, year)
    if assessment is None:
        raise Http404("no results for this year")
    page = selectors.result_page(assessment, lang=get_language() or "th")
    context = {"agency": agency, "page": page, "can_edit": can_edit(request.user, agency)}
    return render(request, "results/detail.html", context)


@login_required
@require_GET
def download(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    assessment = selectors.assessment_for(agency, year)
    if assessment is None or fmt not in DOWNLOADS:
        raise Http404("no such document")
    document = selectors.analysis_document(assessment)
    filename = f"ita-analysis-{year}.{fmt}"
    back = reverse("results:detail", args=[agency.pk, year])
    return document_download(request, agency, document, fmt, filename, back=back)


@login_required
@require_http_methods(["GET", "POST"])
def import_report(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Read an earlier published report and show the years found; nothing is saved here."""
    agency = agency_for_user(request.user, agency_id, write=True)
    form = ReportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = services.report_preview(agency=agency, uploaded_file=form.cleaned_data["file"])
    context = {"agency": agency, "form": form, "preview": preview}
    bad = request.method == "POST" and (preview is None or not preview.ok)
    return render(request, "results/import.html", context, status=400 if bad else 200)


@login_required
@require_POST
def import_confirm(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    chosen = [int(y) for y in request.POST.getlist("year") if y.isdigit()]
    try:
        choice = services.import_choice_from_token(
            request.POST.get("token", ""), agency=agency, chosen=chosen
        )
        if not choice:
            messages.error(request, _("ยังไม่ได้เลือกปีที่จะบันทึก"))
            return redirect("results:import", agency_id=agency.pk)
        saved = services.assessments_import(
            agency=agency,
            years=choice.years,
            headlines=choice.headlines,
            user=request.user,  # type: ignore[arg-type]
        )
    except services.StalePreview:
        messages.error(request, _("ตัวอย่างนี้ใช้บันทึกไม่ได้แล้ว โปรดอัปโหลดไฟล์อีกครั้ง"))
        return redirect("results:import", agency_id=agency.pk)
    changed = [str(s.assessment.fiscal_year) for s in saved if s.changed]
    changed += [str(h.fiscal_year) for h in choice.headlines]
    if changed:
        messages.success(
            request, _("บันทึกผลการประเมินปี %(years)s แล้ว") % {"years": ", ".join(changed)}
        )
    else:
        messages.info(request, _("ผลการประเมินนี้บันทึกไว้แล้ว"))
    return redirect("agency", agency_id=agency.pk)


@login_required
@require_GET
def template(request: HttpRequest, agency_id: int, fmt: str) -> HttpResponse:
    """A score template to fill in, for the framework of the agency's latest year."""
    agency = agency_for_user(request.user, agency_id)
    if fmt not in TEMPLATES:
        raise Http404("no such template")
    fw = selectors.template_framework(agency)
    data = template_csv(fw) if fmt == "csv" else template_xlsx(fw)
    response = HttpResponse(data, content_type=TEMPLATES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ita-scores-{fw.id}.{fmt}"'
    return response
