"""Entering scores in a form (officers): choose the year, then the framework and level."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from openita.web.agencies.selectors import agency_for_user
from openita.web.results import entry, selectors, services


@login_required
@require_GET
def enter_year(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Which fiscal year to enter; a valid one goes on to its form."""
    agency = agency_for_user(request.user, agency_id, write=True)
    form = entry.YearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("results:enter", agency_id=agency.pk, year=form.cleaned_data["fiscal_year"])
    status = 400 if form.is_bound else 200
    return render(
        request, "results/enter_year.html", {"agency": agency, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    if not 2550 <= year <= 2700:
        raise Http404("no such fiscal year")
    on_file = selectors.assessment_for(agency, year)
    source = request.POST if request.method == "POST" else request.GET
    framework, unknown = entry.framework_for(source.get("framework"), year, on_file)
    level = entry.level_for(source.get("level"), framework, on_file)
    stale: services.StaleEntry | None = None
    if request.method != "POST":
        form = entry.ScoreEntryForm(
            framework, level, initial=entry.initial_of(framework, level, on_file)
        )
        status = 400 if unknown else 200
    else:
        form = entry.ScoreEntryForm(framework, level, request.POST)
        status = 400
        if form.is_valid() and not unknown:
            try:
                saved = services.assessment_enter(
                    agency=agency,
                    fiscal_year=year,
                    framework_id=framework.id,
                    scores=entry.scores_to_save(form, on_file),
                    based_on=form.cleaned_data["based_on"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except services.StaleEntry as exc:
                # Keep everything typed; saving again deliberately replaces the newer results.
                stale, status = exc, 409
                data = request.POST.copy()
                data["based_on"] = services.entry_stamp(exc.on_file)
                form = entry.ScoreEntryForm(framework, level, data)
                form.is_valid()
            except services.StalePreview:
                form.add_error(None, _("ผลการประเมินปีนี้เพิ่งถูกบันทึกโดยผู้อื่น โปรดเปิดแบบฟอร์มใหม่"))
                status = 409
            else:
                if saved.changed:
                    messages.success(request, _("บันทึกคะแนนแล้ว"))
                else:
                    messages.info(request, _("ไม่มีการเปลี่ยนแปลง คะแนนนี้บันทึกไว้แล้ว"))
                return redirect("results:detail", agency_id=agency.pk, year=year)
    context = {
        "agency": agency,
        "year": year,
        "form": form,
        "framework": framework,
        "level": level,
        "levels": entry.LEVELS,
        "frameworks": selectors.framework_choices(),
        "unknown": source.get("framework") if unknown else None,
        "on_file": on_file,
        "stale": stale,
    }
    return render(request, "results/enter.html", context, status=status)
