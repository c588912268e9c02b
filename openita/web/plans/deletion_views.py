"""Deleting a wrongly drafted plan: the button asks first on its own page; refusals say why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openita.web.agencies.selectors import agency_for_user
from openita.web.plans import deletion, selectors


@login_required
@require_POST
def delete(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = selectors.plan_in(agency, plan_id)
    refusal = deletion.delete_refusal(plan)
    context = {"agency": agency, "plan": plan, "refusal": refusal}
    if refusal or request.POST.get("confirm") != "1":
        return render(request, "plans/delete.html", context, status=409 if refusal else 200)
    year = plan.fiscal_year
    try:
        deletion.plan_delete(plan=plan, user=request.user)  # type: ignore[arg-type]
    except deletion.DeleteRefused as exc:
        context["refusal"] = str(exc)
        return render(request, "plans/delete.html", context, status=409)
    messages.success(
        request,
        _("ลบแผนมาตรการปีงบประมาณ %(year)s แล้ว (อยู่ในบันทึกการใช้งาน) ร่างใหม่ได้จากหน้านี้") % {"year": year},
    )
    return redirect("plans:index", agency_id=agency.pk)
