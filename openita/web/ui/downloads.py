"""Sending a document as a PDF or DOCX download: the one way every page does it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from openita.documents import docx, pdf
from openita.documents.model import Document
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import docx_template_of

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def document_download(
    request: HttpRequest, agency: Agency, document: Document, fmt: str, filename: str, *, back: str
) -> HttpResponse:
    """``document`` as ``fmt`` (a key of DOWNLOADS), the DOCX on the agency's letterhead; when
    this machine cannot make a PDF, back to the URL ``back`` with a message."""
    try:
        if fmt == "pdf":
            data = pdf.render_pdf(document)
        else:
            data = docx.render_docx(document, template=docx_template_of(agency))
    except pdf.PdfUnavailable:
        messages.error(request, _("เครื่องนี้ยังสร้าง PDF ไม่ได้ (ไม่มี Chromium) โปรดดาวน์โหลด DOCX"))
        return redirect(back)
    response = HttpResponse(data, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
