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
