"""Next fiscal year's plan from this one: one POST, then the new plan's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openita.engine.rounding import published
from openita.web.agencies.selectors import agency_for_user
from openita.web.plans import selectors, services
from openita.web.plans.models import MeasuresPlan


@login_required
@require_POST
def next_year(request: HttpRequest, agency_id: int, plan_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    plan = selectors.plan_in(agency, plan_id)
    try:
        made = services.plan_next_year(plan=plan, user=request.user)  # type: ignore[arg-type]
    except services.PlanRefused as exc:
        messages.error(request, str(exc))
        there = MeasuresPlan.objects.filter(agency=agency, fiscal_year=plan.fiscal_year + 1)
        target = there.first() or plan  # a double submit lands on the plan it made
        return redirect("plans:detail", agency_id=agency.pk, plan_id=target.pk)
    for text, level in _findings(made):
        messages.add_message(request, level, text)
    return redirect("plans:detail", agency_id=agency.pk, plan_id=made.plan.pk)


def _findings(made: services.NextYearPlan) -> list[tuple[str, int]]:
    """The messages the new plan's page shows once: what to add and what may be dropped."""
    year = made.plan.fiscal_year
    out = [(_("เริ่มแผนมาตรการปีงบประมาณ %(year)s จากแผนปีก่อนแล้ว") % {"year": year}, messages.SUCCESS)]
    if not made.compared:
        text = _("ยังไม่มีผลการประเมินปีงบประมาณ %(year)s จึงยังเทียบมาตรการกับผลล่าสุดไม่ได้")
        return [*out, (text % {"year": year - 1}, messages.WARNING)]
    if made.uncovered:
        codes = ", ".join(f"{f.code} ({published(f.score):.2f})" for f in made.uncovered)
        text = _("ข้อที่ต่ำกว่าเกณฑ์และยังไม่มีมาตรการ โปรดเพิ่มมาตรการ: %(codes)s")
        out.append((text % {"codes": codes}, messages.WARNING))
    if made.resolved:
        names = ", ".join(f"{r.measure_id} {r.title}" for r in made.resolved)
        text = _("มาตรการที่ประเด็นผ่านเกณฑ์แล้ว อาจยกเลิกได้: %(measures)s")
        out.append((text % {"measures": names}, messages.INFO))
    if not made.uncovered and not made.resolved:
        text = _("มาตรการครอบคลุมข้อที่ต่ำกว่าเกณฑ์ทุกข้อ และไม่มีมาตรการที่ผ่านเกณฑ์แล้ว")
        out.append((text, messages.INFO))
    return out
