"""The "what changed since last year" section other pages include with one line."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from openita.web.frameworks.messages import problem_for_page
from openita.web.frameworks.selectors import year_changes

register = template.Library()


@register.inclusion_tag("frameworks/_changes.html")
def framework_changes(agency: Any, fiscal_year: int) -> dict[str, Any]:
    """Items added, removed, renamed or moved between last year's framework and this year's."""
    return {"y": year_changes(agency, int(fiscal_year))}


@register.filter
def framework_problem(message: str) -> str:
    """A validator's problem, in Thai on Thai pages."""
    return problem_for_page(str(message))


@register.filter
def in_page_language(text: Any) -> str:
    """A framework's Thai text with optional English (title, names), in the page's language."""
    lang = "en" if (get_language() or "th").startswith("en") else "th"
    return str(text.get(lang))
