"""Result pages: a few lines each; access by agency_for_user, work by services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.documents import docx, pdf
from openita.web.agencies.selectors import agency_for_user
from openita.web.results import selectors, services
from openita.web.results.forms import UploadForm

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
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
    return render(request, "results/detail.html", {"agency": agency, "page": page})


@login_required
@require_GET
def download(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    assessment = selectors.assessment_for(agency, year)
    if assessment is None or fmt not in DOWNLOADS:
        raise Http404("no such document")
    document = selectors.analysis_document(assessment)
    try:
        data = pdf.render_pdf(document) if fmt == "pdf" else docx.render_docx(document)
    except pdf.PdfUnavailable:
        messages.error(request, _("เครื่องนี้ยังสร้าง PDF ไม่ได้ (ไม่มี Chromium) โปรดดาวน์โหลด DOCX"))
        return redirect("results:detail", agency_id=agency.pk, year=year)
    response = HttpResponse(data, content_type=DOWNLOADS[fmt])
    filename = f"ita-analysis-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
