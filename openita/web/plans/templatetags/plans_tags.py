"""Small filters of the plan pages."""

from __future__ import annotations

from django import template

from openita.web.plans.selectors import status_label as _status_label

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """A progress status in words (never the raw code)."""
    return _status_label(str(status))
