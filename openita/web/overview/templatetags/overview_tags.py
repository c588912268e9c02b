from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    """0.9417 -> "94.17%"; "-" for nothing."""
    return "-" if rate is None else f"{rate * 100:.2f}%"


@register.filter
def number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


@register.filter
def change(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


@register.filter
def count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


@register.filter
def get(mapping: dict, key: str) -> object:  # type: ignore[type-arg]
    return mapping.get(key)
