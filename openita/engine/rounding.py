"""Rounding as published figures are rounded: two decimals, halves up (84.995 -> 85.00).

Python's round() rounds halves to even and works on the binary value, so round(84.995, 2)
depends on representation. Every comparison with a published bound (bands, the pass mark)
and every printed figure goes through ``published``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def published(value: float) -> float:
    """``value`` rounded to two decimals, halves up, from its shortest decimal form."""
    return float(Decimal(repr(value)).quantize(_CENT, rounding=ROUND_HALF_UP))
