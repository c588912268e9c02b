"""Rules across a framework tree, checked on the raw data so that they run even when
some fields are malformed, and every broken rule is reported with its place.

Each problem is ``(path, message)`` where path is the list of keys and indices from the
document root, used by the loader to find the line in the file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

Path = tuple[str | int, ...]
Problem = tuple[Path, str]

_EPS = 1e-9
_STEP = 0.01  # published scores have two decimals; band edges are that far apart


def check(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return [((), "a framework file must be a mapping (key: value) at the top")]
    problems: list[Problem] = []
    problems += _check_weights(data)
    problems += _check_codes(data)
    problems += _check_indicator_shape(data)
    problems += _check_scales(data)
    problems += _check_bands(data)
    problems += _check_qualitative(data)
    problems += _check_item_data(data)
    problems += _check_planning(data)
    problems += _check_fiscal_years(data)
    return problems


def _seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _tools(data: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    for t, tool in enumerate(_seq(data.get("tools"))):
        if isinstance(tool, dict):
            yield t, tool


def _indicators(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any], dict[str, Any]]]:
    for t, tool in _tools(data):
        for i, ind in enumerate(_seq(tool.get("indicators"))):
            if isinstance(ind, dict):
                yield ("tools", t, "indicators", i), tool, ind


def _items(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any], dict[str, Any]]]:
    """Every item with its path and its tool."""
    for path, tool, ind in _indicators(data):
        for k, item in enumerate(_seq(ind.get("items"))):
            if isinstance(item, dict):
                yield (*path, "items", k), tool, item
        for s, sub in enumerate(_seq(ind.get("sub_indicators"))):
            if not isinstance(sub, dict):
                continue
            for k, item in enumerate(_seq(sub.get("items"))):
                if isinstance(item, dict):
                    yield (*path, "sub_indicators", s, "items", k), tool, item


def _check_weights(data: dict[str, Any]) -> list[Problem]:
    weights = [_num(tool.get("weight")) for _, tool in _tools(data)]
    if not weights or any(w is None for w in weights):
        return []  # missing weights are reported by the schema
    total = sum(w for w in weights if w is not None)
    if abs(total - 100) > _EPS:
        shown = ", ".join(f"{t.get('code')} {t.get('weight')}" for _, t in _tools(data))
        return [(("tools",), f"tool weights must sum to 100, they sum to {total:g} ({shown})")]
    return []


def _all_codes(data: dict[str, Any]) -> Iterator[tuple[Path, Any]]:
    for t, tool in _tools(data):
        yield ("tools", t, "code"), tool.get("code")
    for path, _, ind in _indicators(data):
        yield (*path, "code"), ind.get("code")
        for s, sub in enumerate(_seq(ind.get("sub_indicators"))):
            if isinstance(sub, dict):
                yield (*path, "sub_indicators", s, "code"), sub.get("code")
    for path, _, item in _items(data):
        yield (*path, "code"), item.get("code")


def _check_codes(data: dict[str, Any]) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems: list[Problem] = []
    for path, code in _all_codes(data):
        if not isinstance(code, str):
            continue
        if code in seen:
            first = _describe(seen[code])
            problems.append((path, f"code '{code}' is used twice (first at {first})"))
        else:
            seen[code] = path
    return problems


def _describe(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _check_indicator_shape(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for path, _, ind in _indicators(data):
        has_items = bool(_seq(ind.get("items")))
        has_subs = bool(_seq(ind.get("sub_indicators")))
        if has_items == has_subs:
            code = ind.get("code", "?")
            problems.append(
                (
                    path,
                    f"indicator {code} must have either items or sub_indicators, not "
                    f"{'both' if has_items else 'neither'}",
                )
            )
    return problems


def _check_scales(data: dict[str, Any]) -> list[Problem]:
    scale_ids = {s.get("id") for s in _seq(data.get("scales")) if isinstance(s, dict)}
    problems: list[Problem] = []
    for path, tool, item in _items(data):
        scale = item.get("scale")
        code = item.get("code", "?")
        if tool.get("kind") == "survey" and scale is None:
            problems.append((path, f"item {code} of survey tool {tool.get('code')} needs a scale"))
        elif scale is not None and scale not in scale_ids:
            problems.append(((*path, "scale"), f"item {code}: unknown scale '{scale}'"))
    return problems


def _check_bands(data: dict[str, Any]) -> list[Problem]:
    raw = [
        (b, _num(band.get("min")), _num(band.get("max")))
        for b, band in enumerate(_seq(data.get("bands")))
        if isinstance(band, dict)
    ]
    bands = [(b, lo, hi) for b, lo, hi in raw if lo is not None and hi is not None]
    if not bands or len(bands) != len(raw):
        return []
    problems: list[Problem] = []
    for b, lo, hi in bands:
        if lo > hi:
            problems.append((("bands", b, "min"), f"band min {lo:g} is above its max {hi:g}"))
    ordered = sorted(bands, key=lambda x: x[1])
    if ordered[0][1] > _EPS:
        problems.append((("bands", ordered[0][0]), f"bands leave a gap: 0 to {ordered[0][1]:g}"))
    if ordered[-1][2] < 100 - _EPS:
        problems.append(
            (("bands", ordered[-1][0]), f"bands leave a gap: {ordered[-1][2]:g} to 100")
        )
    for (_, _, prev_hi), (b, lo, _) in itertools.pairwise(ordered):
        if lo <= prev_hi + _EPS:
            problems.append(
                (("bands", b, "min"), f"band from {lo:g} overlaps the band up to {prev_hi:g}")
            )
        elif lo - prev_hi > _STEP + _EPS:
            problems.append(
                (
                    ("bands", b, "min"),
                    f"bands leave a gap between {prev_hi:g} and {lo:g} "
                    f"(the next band must start {_STEP} above the previous max)",
                )
            )
    return problems


def _check_qualitative(data: dict[str, Any]) -> list[Problem]:
    rating = data.get("qualitative_rating")
    if not isinstance(rating, dict):
        return []
    raw = _seq(rating.get("levels"))
    levels = [(n, lv) for n, lv in enumerate(raw) if isinstance(lv, dict)]
    if not levels:
        return []
    problems: list[Problem] = []
    seen: dict[Any, int] = {}
    for n, level in levels:
        code = level.get("code")
        if isinstance(code, str) and code in seen:
            problems.append(
                (
                    ("qualitative_rating", "levels", n, "code"),
                    f"qualitative level code '{code}' is used twice "
                    f"(first at level {seen[code] + 1})",
                )
            )
        elif isinstance(code, str):
            seen[code] = n
    # Levels are tried in order: a level demanding more than the one before it would never
    # be given (the one before would take every result that meets it).
    for (_, prev), (n, level) in itertools.pairwise(levels):
        prev_total = _num(prev.get("min_total")) or 0.0
        total = _num(level.get("min_total")) or 0.0
        prev_each = _num(prev.get("min_each_tool"))
        each = _num(level.get("min_each_tool"))
        if total > prev_total + _EPS and (prev_each is None or (each or 0) >= prev_each):
            problems.append(
                (
                    ("qualitative_rating", "levels", n, "min_total"),
                    f"qualitative level '{level.get('code')}' needs a total of {total:g}, more "
                    f"than the level before it ({prev_total:g}): levels go from the highest "
                    "to the lowest",
                )
            )
    last_n, last = levels[-1]
    if (_num(last.get("min_total")) or 0) > _EPS or last.get("min_each_tool") is not None:
        problems.append(
            (
                ("qualitative_rating", "levels", last_n),
                "the last qualitative level must have no conditions, "
                "so that every result gets a level",
            )
        )
    return problems


def _check_item_data(data: dict[str, Any]) -> list[Problem]:
    """What only a checklist item may carry, and no empty source or component."""
    problems: list[Problem] = []
    for t, tool in _tools(data):
        if tool.get("scoring") == "all_or_nothing" and tool.get("kind") == "survey":
            problems.append(
                (
                    ("tools", t, "scoring"),
                    f"tool {tool.get('code')}: all_or_nothing scoring is for checklist tools; "
                    "survey items are scored from answers",
                )
            )
    for path, tool, item in _items(data):
        code = item.get("code", "?")
        survey = tool.get("kind") == "survey"
        if survey and item.get("title_known") is False:
            problems.append(
                (
                    (*path, "title_known"),
                    f"item {code}: a survey question must have its text (title_known: false "
                    "is for checklist items whose title is not known yet)",
                )
            )
        if survey and _seq(item.get("components")):
            problems.append(
                ((*path, "components"), f"item {code}: components are for checklist items")
            )
        for key in ("sources", "components"):
            for n, value in enumerate(_seq(item.get(key))):
                if isinstance(value, str) and not value.strip():
                    problems.append(((*path, key, n), f"item {code}: empty {key[:-1]}"))
    return problems


def _check_planning(data: dict[str, Any]) -> list[Problem]:
    planning = data.get("planning")
    if not isinstance(planning, dict):
        return []
    checklist = {
        item.get("code")
        for _, tool, item in _items(data)
        if tool.get("kind") == "checklist" and isinstance(item.get("code"), str)
    }
    problems: list[Problem] = []
    for key in ("plan_item", "report_item"):
        code = planning.get(key)
        if code is not None and code not in checklist:
            problems.append(
                (
                    ("planning", key),
                    f"planning.{key} '{code}' is not an item of a checklist tool of this framework",
                )
            )
    if planning.get("approach") == "focus_indicator" and planning.get("plan_item") is None:
        problems.append(
            (
                ("planning", "approach"),
                "planning: the focus_indicator approach needs the plan_item it is published under",
            )
        )
    return problems


def _check_fiscal_years(data: dict[str, Any]) -> list[Problem]:
    years = _seq(data.get("fiscal_years"))
    problems: list[Problem] = []
    seen: set[Any] = set()
    for n, year in enumerate(years):
        if isinstance(year, int) and not isinstance(year, bool):
            if year in seen:
                problems.append((("fiscal_years", n), f"fiscal year {year} is listed twice"))
            elif not 2500 <= year <= 2700:
                problems.append(
                    (
                        ("fiscal_years", n),
                        f"fiscal year {year} is not a Buddhist Era year (e.g. 2569)",
                    )
                )
            seen.add(year)
    return problems
