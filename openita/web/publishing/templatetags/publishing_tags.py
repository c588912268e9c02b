"""``{% plan_publishing plan as pub %}``: what the plan page's publishing section shows."""

from __future__ import annotations

from typing import Any

from django import template

from openita.web.plans.models import MeasuresPlan
from openita.web.publishing.selectors import PlanSection, plan_section

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_publishing(context: dict[str, Any], plan: MeasuresPlan) -> PlanSection:
    return plan_section(plan, context["request"].user)


@register.inclusion_tag("publishing/_oit_panel.html", takes_context=True)
def oit_publishing(context: dict[str, Any], agency_id: int, year: int) -> dict[str, Any]:
    """The OIT checklist page's publishing section: what is published, publish or withdraw."""
    from django.contrib.auth.models import User

    from openita.web.agencies.models import Agency
    from openita.web.oit.models import OitChecklist
    from openita.web.publishing import oit_list
    from openita.web.publishing.services import can_publish

    agency = Agency.objects.get(pk=agency_id)
    user = context["request"].user
    current = oit_list.current_of(agency, year)
    checklist = OitChecklist.objects.filter(agency=agency, fiscal_year=year).first()
    changed = bool(
        current and checklist and oit_list.digest(oit_list.rows_of(checklist)) != current.sha256
    )
    allowed = isinstance(user, User) and can_publish(user, agency)
    panel = {"current": current, "changed": changed, "can_publish": allowed}
    request = context["request"]
    token = context.get("csrf_token")
    return {
        "panel": panel,
        "agency_id": agency_id,
        "year": year,
        "request": request,
        "csrf_token": token,
    }
