"""Across agencies: which catalog measures were followed by the largest gains (a page and
its CSV). A few lines each; access by ``access.comparable_agencies``, reads by selectors."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from openita.engine.effects import MIN_AGENCIES
from openita.web.compare import access, selectors
from openita.web.ui.cells import safe_cell


def _plan_year(request: HttpRequest) -> int | HttpResponse | None:
    given = request.GET.get("year", "").strip()
    if not given:
        return None
    if not given.isdigit() or not 2500 <= int(given) <= 2700:
        message = _("ปีงบประมาณของแผนต้องเป็นปี พ.ศ. เช่น 2567 (ได้รับ %(year)s)") % {"year": given}
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return int(given)


@login_required
@require_GET
def measures(request: HttpRequest) -> HttpResponse:
    agencies = access.comparable_agencies(request.user)
    year = _plan_year(request)
    if isinstance(year, HttpResponse):
        return year
    rows = selectors.measure_gains(agencies, plan_year=year)
    context = {"rows": rows, "year": year, "min_n": MIN_AGENCIES}
    return render(request, "compare/measures.html", context)


@login_required
@require_GET
def measures_csv(request: HttpRequest) -> HttpResponse:
    agencies = access.comparable_agencies(request.user)
    year = _plan_year(request)
    if isinstance(year, HttpResponse):
        return year
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["entry", "measure", "agencies", "mean_change", "mean_beyond_untargeted", "agencies_beyond"]
    )
    for row in selectors.measure_gains(agencies, plan_year=year):
        g = row.gain
        writer.writerow(
            [
                row.measure.entry,
                safe_cell(row.measure.title),
                g.n,
                "" if g.mean_change is None else f"{g.mean_change:.2f}",
                "" if g.mean_difference is None else f"{g.mean_difference:.2f}",
                g.n_difference,
            ]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    name = f"ita-measures-gains-{year}.csv" if year else "ita-measures-gains.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
