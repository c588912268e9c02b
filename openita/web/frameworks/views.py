"""Framework pages: anyone logged in reads them; only site admins upload and rescore."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.frameworks import FrameworkError
from openita.web.frameworks import selectors, services
from openita.web.frameworks.forms import UploadForm


def _site_admin(request: HttpRequest) -> None:
    if not getattr(request.user, "is_superuser", False):
        raise PermissionDenied("site admins only")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    context = {"rows": selectors.framework_rows(), "is_admin": request.user.is_superuser}
    return render(request, "frameworks/index.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, framework_id: str) -> HttpResponse:
    raw = request.GET.get("version", "")
    version = int(raw) if raw.isdigit() else None
    if raw and version is None:
        raise Http404("no such version")
    found = selectors.detail_of(framework_id, version)
    if found is None:
        raise Http404("no such framework")
    context = {"d": found, "fw": found.framework, "is_admin": request.user.is_superuser}
    return render(request, "frameworks/detail.html", context)


@login_required
@require_GET
def download(request: HttpRequest, framework_id: str, version: int) -> HttpResponse:
    text = selectors.yaml_of(framework_id, version)
    if text is None:
        raise Http404("no such version")
    response = HttpResponse(text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{framework_id}-v{version}.yaml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _site_admin(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[FrameworkError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = services.framework_upload(
                content=b"".join(upload.chunks()),
                filename=upload.name or "",
                note=form.cleaned_data["note"],
                user=request.user,  # type: ignore[arg-type]
            )
        except services.UploadRefused as exc:
            problems = exc.problems
        else:
            stored = done.version
            if done.created:
                messages.success(
                    request,
                    _("บันทึกหลักเกณฑ์ %(id)s รุ่น %(v)s แล้ว")
                    % {"id": stored.framework_id, "v": stored.version},
                )
            else:
                messages.info(request, _("ไฟล์นี้บันทึกไว้แล้ว"))
            if done.pinned:
                messages.warning(
                    request,
                    _("ผลการประเมิน %(n)s รายการยังคำนวณตามรุ่นเดิม จนกว่าจะสั่งคำนวณใหม่ (ดูตัวอย่างก่อนยืนยัน)")
                    % {"n": done.pinned},
                )
                return redirect("frameworks:rescore", framework_id=stored.framework_id)
            return redirect("frameworks:detail", framework_id=stored.framework_id)
    bad = request.method == "POST" and (not form.is_valid() or bool(problems))
    context = {"form": form, "problems": problems}
    return render(request, "frameworks/upload.html", context, status=400 if bad else 200)


@login_required
@require_GET
def rescore(request: HttpRequest, framework_id: str) -> HttpResponse:
    _site_admin(request)
    if selectors.detail_of(framework_id) is None:
        raise Http404("no such framework")
    preview = services.rescore_preview(framework_id=framework_id)
    return render(request, "frameworks/rescore.html", {"preview": preview})


@login_required
@require_POST
def rescore_apply(request: HttpRequest, framework_id: str) -> HttpResponse:
    _site_admin(request)
    try:
        done = services.rescore_apply(
            framework_id=framework_id,
            token=request.POST.get("token", ""),
            user=request.user,  # type: ignore[arg-type]
        )
    except services.StaleRescore:
        messages.error(
            request,
            _("ตัวอย่างนี้ใช้ไม่ได้แล้ว (มีรุ่นใหม่หรือผลเปลี่ยนไป) ยังไม่ได้เปลี่ยนแปลงข้อมูลใด โปรดตรวจตัวอย่างอีกครั้ง"),
        )
        return redirect("frameworks:rescore", framework_id=framework_id)
    if done.already:
        messages.info(request, _("คำนวณใหม่ไปแล้ว"))
    else:
        messages.success(request, _("คำนวณผลการประเมินใหม่แล้ว %(n)s รายการ") % {"n": done.applied})
    return redirect("frameworks:detail", framework_id=framework_id)
