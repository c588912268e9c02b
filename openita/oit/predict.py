"""What the OIT checklist is worth as it stands: the predicted OIT score and total, and the
points each item that is not ready would add.

Every OIT item is all-or-nothing: an item counts 100 when it is ready (every component
published as required), else 0. The IIT and EIT come from the agency's latest survey results
(or whatever figures the caller has); without them only the OIT score is predicted. Pure: the
engine does the arithmetic, so the prediction agrees with the scoring to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openita.engine import TOTAL, coefficients, score
from openita.engine.rounding import published
from openita.frameworks import Framework


@dataclass(frozen=True)
class ItemWorth:
    code: str
    title: str
    points: float  # points of the total (or of the OIT score, without survey figures)


@dataclass(frozen=True)
class Prediction:
    oit: float  # the OIT tool score as the items stand
    total: float | None  # None when the survey tools are unknown
    rating: str | None  # the band of the predicted total
    passed: bool | None
    ready: int
    items: int
    missing: tuple[ItemWorth, ...]  # not ready, most valuable first
    of_total: bool  # True: ``points`` are points of the total; False: of the OIT score


def _oit_tool(framework: Framework) -> str:
    tool = next((t for t in framework.tools if t.kind == "checklist"), None)
    if tool is None:
        raise ValueError(f"{framework.id} has no checklist (OIT) tool")
    return tool.code


def predict(
    framework: Framework, ready: Mapping[str, bool], others: Mapping[str, float] | None = None
) -> Prediction:
    """``ready``: item code -> ready (an item not in it is not ready). ``others``: figures of
    the survey tools at any level the engine takes (``IIT``/``EIT``, their indicators or
    items); without them the total is not predicted."""
    oit_code = _oit_tool(framework)
    oit = framework.tool(oit_code)
    assert oit is not None
    given = {i.code: 100.0 if ready.get(i.code) else 0.0 for i in oit.items}
    survey = [t for t in framework.tools if t.code != oit_code]
    known = dict(others or {})
    have_survey = bool(known) and all(
        t.code in known
        or all(i.code in known for i in t.indicators)
        or all(i.code in known for i in t.items)
        for t in survey
    )
    if not have_survey:
        known = {t.code: 0.0 for t in survey}  # placeholders; only the OIT score is used
    result = score(framework, {**known, **given})
    coef = coefficients(result)
    oit_share = oit.weight / sum(t.weight for t in framework.tools)
    missing = []
    for item in oit.items:
        if ready.get(item.code):
            continue
        points = coef.get(item.code, 0.0) * 100
        if not have_survey:
            points /= oit_share  # points of the OIT score instead of the total
        missing.append(ItemWorth(item.code, item.text, points))
    missing.sort(key=lambda w: (-w.points, int("".join(c for c in w.code if c.isdigit()) or 0)))
    total = result.scores[TOTAL] if have_survey else None
    return Prediction(
        oit=result.scores[oit_code],
        total=total,
        rating=framework.band_for(published(total)).code if total is not None else None,
        passed=published(total) >= framework.pass_mark if total is not None else None,
        ready=sum(1 for i in oit.items if ready.get(i.code)),
        items=len(oit.items),
        missing=tuple(missing),
        of_total=have_survey,
    )
