"""Template filters: scores with 2 decimals, B.E. dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from openita.text import thai

register = template.Library()

MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@register.filter
def score(value: float | Decimal | None) -> str:
    """Two decimals; a stored figure (Decimal) too."""
    return "-" if value is None else thai.format_score(float(value))


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return "-"
    return ("+" if value > 0 else "") + thai.format_score(value)


@register.filter
def be_date(value: dt.datetime | dt.date | None, style: str = "full") -> str:
    """A date with its Buddhist-era year, in Thai (or English month names)."""
    if value is None:
        return ""
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    if (get_language() or "th").startswith("en"):
        return f"{day.day} {MONTHS_EN[day.month - 1]} {thai.be_year(day.year)} BE"
    return thai.format_date(day, style=style)


@register.filter
def problem(message: str) -> str:
    """An engine/importer problem message in the page's language (Thai when known)."""
    from openita.web.results.messages import problem_for_page

    return problem_for_page(str(message))


@register.filter
def thai_wrap(text: str) -> SafeString:
    """Long Thai text for a page: each word kept whole, lines broken only between words
    (browsers' own dictionary splits some words, as หน่วย|งาน), the same rule as the documents."""
    from openita.documents.html import escape_words

    return mark_safe(escape_words(str(text)))  # safe: escape_words escapes every character
