"""The jobs page: progress, failures and a retry button (site staff; officers: their agency's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from openita.web.jobs import selectors, services


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    runs = list(selectors.runs_for(request.user)[: selectors.PAGE])
    context = {"rows": selectors.rows(runs), "staff": selectors.is_site_staff(request.user)}
    return render(request, "jobs/index.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.runs_for(request.user).filter(pk=run_id).first()
    if run is None:
        raise Http404("no such job")
    try:
        count = services.retry(run, request.user)
    except services.JobError:
        messages.info(request, _("งานนี้ไม่มีส่วนที่ไม่สำเร็จให้ลองใหม่"))
    else:
        messages.success(request, _("ส่งส่วนที่ไม่สำเร็จกลับเข้าคิวแล้ว %(count)s ส่วน") % {"count": count})
    return redirect("jobs:index")
