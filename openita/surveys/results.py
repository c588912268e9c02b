"""Answers -> item, indicator and tool scores, shown only above the privacy floor, and compared
item by item with the agency's last national result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openita import engine
from openita.engine.rounding import published
from openita.frameworks.schema import Framework
from openita.surveys.forms import survey_tool
from openita.surveys.samples import privacy_floor


@dataclass(frozen=True)
class Row:
    code: str
    text: str
    own: float | None  # None when hidden (fewer respondents than the floor)
    national: float | None
    n: int

    @property
    def change(self) -> float | None:
        if self.own is None or self.national is None:
            return None
        return round(self.own - self.national, 2)


@dataclass(frozen=True)
class Summary:
    tool: str
    respondents: int
    shown: bool  # False below the privacy floor: no breakdown at all
    items: tuple[Row, ...]
    indicators: tuple[Row, ...]
    tool_score: float | None
    national_tool: float | None
    floor: int


def tool_scores(
    framework: Framework, tool_code: str, items: Mapping[str, float]
) -> dict[str, float]:
    """Indicator and tool scores of one tool from its item scores, by the engine (the other
    tools stand in as zero, they do not reach this tool's nodes); {} when items are missing."""
    given = dict(items)
    for other in framework.tools:
        if other.code != tool_code:
            given[other.code] = 0.0
    try:
        result = engine.score(framework, given)
    except engine.ScoringError:
        return {}
    tool = survey_tool(framework, tool_code)
    codes = [tool.code, *(i.code for i in tool.indicators)]
    return {c: result.scores[c] for c in codes if result.scores.get(c) is not None}


def summarise(
    framework: Framework,
    tool_code: str,
    responses: Sequence[Mapping[str, int]],
    national: engine.Result | None = None,
) -> Summary:
    tool = survey_tool(framework, tool_code)
    floor = privacy_floor()
    n = len(responses)
    scores, counts = engine.item_scores(framework, list(responses)) if responses else ({}, {})
    shown = n >= floor

    def nat(code: str) -> float | None:
        if national is None or code not in national.scores:
            return None
        return published(national.scores[code])

    items = []
    for item in tool.items:
        k = counts.get(item.code, 0)
        own = published(scores[item.code]) if shown and k >= floor else None
        items.append(Row(item.code, item.text, own, nat(item.code), k))
    indicators = []
    tool_score = None
    if shown and scores:
        given = {code: value for code, value in scores.items() if counts.get(code, 0) >= floor}
        partial = tool_scores(framework, tool.code, given)
        for ind in tool.indicators:
            value = partial.get(ind.code)
            indicators.append(
                Row(
                    ind.code,
                    ind.name.th,
                    published(value) if value is not None else None,
                    nat(ind.code),
                    min((counts.get(i.code, 0) for i in ind.all_items), default=0),
                )
            )
        tool_value = partial.get(tool.code)
        tool_score = published(tool_value) if tool_value is not None else None
    else:
        indicators = [Row(i.code, i.name.th, None, nat(i.code), 0) for i in tool.indicators]
    return Summary(
        tool=tool.code,
        respondents=n,
        shown=shown,
        items=tuple(items),
        indicators=tuple(indicators),
        tool_score=tool_score,
        national_tool=nat(tool.code),
        floor=floor,
    )
