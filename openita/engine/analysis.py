"""A scored result (and earlier years) -> findings.

Ranking of indicators; per tool the top items to keep and the items under the pass mark;
checklist items at 0; strengths and weaknesses; the trend over earlier years; figures a
report claims that its own numbers do not give; and the uplift plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openita.engine import uplift
from openita.engine.rounding import published
from openita.engine.scoring import TOTAL, Result, official

TOP_N = 3
TOLERANCE = 0.02  # published figures are rounded; a claim off by more than this is a slip


@dataclass(frozen=True)
class Scored:
    code: str
    score: float


@dataclass(frozen=True)
class Mismatch:
    year: str
    code: str
    claimed: float
    computed: float

    @property
    def difference(self) -> float:
        return self.claimed - self.computed


@dataclass(frozen=True)
class Trend:
    years: tuple[str, ...]  # oldest first, the analysed year last
    series: dict[str, tuple[float | None, ...]]  # code -> value per year
    change: dict[str, float]  # code -> change from the year before the analysed one
    best: Scored | None  # indicator that rose most
    worst: Scored | None  # indicator that fell most (or rose least)


@dataclass(frozen=True)
class Analysis:
    result: Result
    ranking: tuple[Scored, ...]
    top_items: dict[str, tuple[Scored, ...]]
    below_threshold: tuple[Scored, ...]
    zero_items: tuple[Scored, ...]
    strengths: tuple[Scored, ...]  # indicators at or above the pass mark, best first
    weaknesses: tuple[Scored, ...]  # indicators under the pass mark, worst first
    tools_below: tuple[Scored, ...]
    trend: Trend | None
    mismatches: tuple[Mismatch, ...]
    uplift: uplift.Uplift

    def below_for(self, tool: str) -> tuple[Scored, ...]:
        fw = self.result.framework
        return tuple(s for s in self.below_threshold if fw.tool_of(s.code) == tool)


def _sorted_desc(pairs: list[Scored]) -> tuple[Scored, ...]:
    order = {p.code: n for n, p in enumerate(pairs)}
    return tuple(sorted(pairs, key=lambda p: (-p.score, order[p.code])))


def _sorted_asc(pairs: list[Scored]) -> tuple[Scored, ...]:
    order = {p.code: n for n, p in enumerate(pairs)}
    return tuple(sorted(pairs, key=lambda p: (p.score, order[p.code])))


def mismatches(result: Result) -> list[Mismatch]:
    """Claimed figures more than TOLERANCE away from what their own parts give."""
    found = []
    for code, claimed in result.claimed.items():
        computed = result.checked(code)
        if abs(claimed - computed) > TOLERANCE + 1e-9:
            found.append(Mismatch(result.name, code, claimed, computed))
    return found


def trend(result: Result, history: Sequence[Result]) -> Trend | None:
    if not history:
        return None
    years = [*sorted(history, key=_year_key), result]
    fw = result.framework
    codes = [TOTAL, *(t.code for t in fw.tools), *(i.code for i in fw.indicators)]
    series = {c: tuple(r.scores.get(c) for r in years) for c in codes}
    change = {}
    for code, values in series.items():
        now, before = values[-1], values[-2]
        if now is not None and before is not None:
            change[code] = now - before
    moves = [Scored(i.code, change[i.code]) for i in fw.indicators if i.code in change]
    best = max(moves, key=lambda s: s.score, default=None)
    worst = min(moves, key=lambda s: s.score, default=None)
    return Trend(tuple(r.name for r in years), series, change, best, worst)


def _year_key(result: Result) -> tuple[int, str]:
    return (result.fiscal_year or 0, result.label or "")


def analyze(result: Result, history: Sequence[Result] = ()) -> Analysis:
    """Findings on the result as published (``scoring.official``): where a published figure
    was given beside its parts, it is the one ranked and printed; the mismatches list where
    the engine's recomputation disagrees with it beyond rounding."""
    result = official(result)
    history = [official(r) for r in history]
    fw = result.framework
    pass_mark = fw.pass_mark
    indicators = [Scored(c, v) for c, v in result.indicators.items() if v is not None]
    ranking = _sorted_desc(indicators)
    items = result.items
    top: dict[str, tuple[Scored, ...]] = {}
    below: list[Scored] = []
    zeros: list[Scored] = []
    for tool in fw.tools:
        known = [Scored(i.code, items[i.code]) for i in tool.items if i.code in items]
        if not known:
            continue
        top[tool.code] = _sorted_desc(known)[:TOP_N]
        below += [s for s in known if published(s.score) < pass_mark]
        zeros += [s for s in known if s.score == 0]
    all_mismatches = [m for r in [*history, result] for m in mismatches(r)]
    return Analysis(
        result=result,
        ranking=ranking,
        top_items=top,
        below_threshold=_sorted_asc(below),
        zero_items=tuple(zeros),
        strengths=tuple(s for s in ranking if published(s.score) >= pass_mark),
        weaknesses=_sorted_asc([s for s in indicators if published(s.score) < pass_mark]),
        tools_below=tuple(
            Scored(c, v) for c, v in result.tools.items() if published(v) < pass_mark
        ),
        trend=trend(result, history),
        mismatches=tuple(all_mismatches),
        uplift=uplift.plan(result),
    )
