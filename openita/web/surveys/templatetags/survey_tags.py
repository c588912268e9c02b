from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.inclusion_tag("surveys/_on_agency.html", takes_context=True)
def survey_links(context: dict[str, Any], agency: Any) -> dict[str, Any]:
    """The agency page's links: its own surveys, and the province's round for whoever runs it."""
    from openita.web.surveys.selectors import provinces_run_by

    user = context["request"].user
    return {"agency": agency, "runs_province": agency.province in provinces_run_by(user)}
