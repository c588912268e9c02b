"""Measures numbered as officers number them: 1, 1.1, 1.2 ... (not by their file ids).

A plan whose measures stand under groups (มาตรการหลัก) numbers the groups 1, 2, ... and the
measures under each 1.1, 1.2, ...; a measure without a group takes the next top number; a plan
without groups numbers its measures 1, 2, 3.
"""

from __future__ import annotations

from collections.abc import Sequence

from openita.plans.schema import Measure


def numbers(measures: Sequence[Measure]) -> tuple[dict[str, str], dict[str, str]]:
    """(number per measure id, number per group heading), in the plan's order."""
    by_measure: dict[str, str] = {}
    by_group: dict[str, str] = {}
    top = 0
    within: dict[str, int] = {}
    for m in measures:
        if not m.group:
            top += 1
            by_measure[m.id] = str(top)
            continue
        if m.group not in by_group:
            top += 1
            by_group[m.group] = str(top)
            within[m.group] = 0
        within[m.group] += 1
        by_measure[m.id] = f"{by_group[m.group]}.{within[m.group]}"
    return by_measure, by_group


def measure_numbers(measures: Sequence[Measure]) -> dict[str, str]:
    return numbers(measures)[0]
