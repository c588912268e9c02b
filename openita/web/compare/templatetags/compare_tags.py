"""The result page's panels from this app: ``{% peers_panel assessment %}`` (where the agency
stands among agencies of its type) and ``{% measures_effect assessment %}`` (did the plan
before this year's results work)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from openita.web.compare import access, selectors
from openita.web.results.models import Assessment

register = template.Library()


@register.inclusion_tag("compare/_peers.html", takes_context=True)
def peers_panel(context: dict[str, Any], assessment: Assessment) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "panel": selectors.peers_for(assessment, lang=get_language() or "th"),
        "may_compare": user is not None and access.may_compare(user),
    }


@register.inclusion_tag("compare/_effect.html")
def measures_effect(assessment: Assessment) -> dict[str, Any]:
    view = selectors.effect_for(assessment, lang=get_language() or "th")
    return {"view": view, "agency_id": assessment.agency_id}
