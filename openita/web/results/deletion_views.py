"""Deleting a year of results: the button asks first on its own page; refusals say why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openita.web.agencies.selectors import agency_for_user
from openita.web.results import deletion, selectors


@login_required
@require_POST
def delete(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    assessment = selectors.assessment_for(agency, year)
    if assessment is None:
        raise Http404("no results for this year")
    refusal = deletion.delete_refusal(assessment)
    context = {"agency": agency, "assessment": assessment, "refusal": refusal}
    if refusal or request.POST.get("confirm") != "1":
        return render(request, "results/delete.html", context, status=409 if refusal else 200)
    try:
        deletion.assessment_delete(agency=agency, fiscal_year=year, user=request.user)  # type: ignore[arg-type]
    except deletion.DeleteRefused as exc:
        context["refusal"] = str(exc)
        return render(request, "results/delete.html", context, status=409)
    messages.success(
        request, _("ลบผลการประเมินปีงบประมาณ %(year)s แล้ว (อยู่ในบันทึกการใช้งาน)") % {"year": year}
    )
    return redirect("agency", agency_id=agency.pk)
