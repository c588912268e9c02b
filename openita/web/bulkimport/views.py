"""Bulk import pages: upload and preview, then confirm; the work is in services."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openita.web.agencies.models import AgencyKind
from openita.web.bulkimport import services
from openita.web.bulkimport.forms import BulkForm
from openita.web.bulkimport.messages import reason

SHOWN_AGENCIES = 200  # agencies to create listed on the page (all are counted)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not services.may_import(request.user):
        raise PermissionDenied("bulk import is for admins and provincial or national roles")
    form = BulkForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        preview = services.bulk_preview(
            user=request.user,
            name=Path(uploaded.name or "upload.csv").name,
            data=b"".join(uploaded.chunks()),
            create_agencies=form.cleaned_data["create_agencies"],
        )
    report = preview.report if preview else None
    context = {
        "form": form,
        "preview": preview,
        "bad": [(b, reason(b)) for b in report.bad] if report else [],
        "to_create": [(a, AgencyKind(a.kind).label) for a in (report.to_create if report else [])][
            :SHOWN_AGENCIES
        ],
        "provinces": services.import_provinces(request.user),
    }
    failed = request.method == "POST" and (not form.is_valid() or (preview and not preview.ok))
    return render(request, "bulkimport/upload.html", context, status=400 if failed else 200)


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    if not services.may_import(request.user):
        raise PermissionDenied("bulk import is for admins and provincial or national roles")
    try:
        upload_id = int(request.POST.get("upload", ""))
        done = services.bulk_import(upload_id=upload_id, user=request.user)
    except (ValueError, services.StalePreview):
        messages.error(
            request, _("ตัวอย่างนี้ใช้นำเข้าไม่ได้แล้ว ข้อมูลเปลี่ยนไปหลังการตรวจสอบ โปรดตรวจสอบไฟล์อีกครั้ง")
        )
        return redirect("bulkimport:upload")
    if done.already:
        messages.info(request, _("ไฟล์นี้นำเข้าไปแล้ว ไม่ได้นำเข้าซ้ำ"))
    else:
        messages.success(
            request,
            _("นำเข้าแล้ว: ผลใหม่ %(new)d แทนที่ %(replaced)d คงเดิม %(same)d หน่วยงานใหม่ %(agencies)d")
            % {
                "new": done.results_created,
                "replaced": done.results_replaced,
                "same": done.unchanged,
                "agencies": done.agencies_created,
            },
        )
    return redirect("bulkimport:upload")
