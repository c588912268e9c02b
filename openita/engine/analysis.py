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
from openita.frameworks.schema import QualitativeLevel

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
class Headline:
    """A year known only by its stated total and rating (an announcement, a news item): it
    stands in the trend of totals and is never scored or analysed."""

    fiscal_year: int
    total: float
    rating: str | None = None
    source: str = ""  # where it was stated (document and line)


@dataclass(frozen=True)
class Trend:
    years: tuple[str, ...]  # oldest first, the analysed year last
    series: dict[str, tuple[float | None, ...]]  # code -> value per year
    change: dict[str, float]  # code -> change from the year before the analysed one
    best: Scored | None  # indicator that rose most
    worst: Scored | None  # indicator that fell most (or rose least)
    headline_years: frozenset[str] = frozenset()  # years with only a stated total


@dataclass(frozen=True)
class Shortfall:
    """A figure under what the next qualitative level needs (as published, 2 decimals)."""

    code: str  # a tool code, or "total"
    score: float
    needed: float

    @property
    def short_by(self) -> float:
        return published(self.needed - published(self.score))


@dataclass(frozen=True)
class QualitativeReason:
    """Why a result has its qualitative level: what holds it below the next level up."""

    level: QualitativeLevel
    next_level: QualitativeLevel | None  # None at the top level
    shortfalls: tuple[Shortfall, ...]  # total first, then tools in framework order

    @property
    def held_by_tools(self) -> bool:
        """The total is enough for the next level; only a tool's condition keeps it out."""
        return bool(self.shortfalls) and all(s.code != TOTAL for s in self.shortfalls)


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
    qualitative_reason: QualitativeReason | None = None

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


def trend(
    result: Result, history: Sequence[Result], headlines: Sequence[Headline] = ()
) -> Trend | None:
    """Totals, tools and indicators over the years; headline years (before the analysed one,
    and not among the scored years) add their total only."""
    scored = {r.fiscal_year for r in [*history, result] if r.fiscal_year is not None}
    extra = {
        h.fiscal_year: h
        for h in headlines
        if h.fiscal_year not in scored
        and (result.fiscal_year is None or h.fiscal_year < result.fiscal_year)
    }
    if not history and not extra:
        return None
    years: list[Result | Headline] = [*history, *extra.values()]
    years = [*sorted(years, key=_year_key), result]
    fw = result.framework
    codes = [TOTAL, *(t.code for t in fw.tools), *(i.code for i in fw.indicators)]
    series = {c: tuple(_value(r, c) for r in years) for c in codes}
    change = {}
    for code, values in series.items():
        now, before = values[-1], values[-2]
        if now is not None and before is not None:
            change[code] = now - before
    moves = [Scored(i.code, change[i.code]) for i in fw.indicators if i.code in change]
    best = max(moves, key=lambda s: s.score, default=None)
    worst = min(moves, key=lambda s: s.score, default=None)
    names = tuple(_name(r) for r in years)
    marked = frozenset(_name(r) for r in years if isinstance(r, Headline))
    return Trend(names, series, change, best, worst, marked)


def _value(year: Result | Headline, code: str) -> float | None:
    if isinstance(year, Headline):
        return year.total if code == TOTAL else None
    return year.scores.get(code)


def qualitative_reason(result: Result) -> QualitativeReason | None:
    """The level a result has and each figure short of the next level up, by how much.

    Levels are tried in order and the first that holds is given, so the next level up is
    the one listed just before the result's level. Figures are compared as published.
    """
    rating = result.framework.qualitative_rating
    level = result.qualitative
    if rating is None or level is None:
        return None
    codes = [lv.code for lv in rating.levels]
    at = codes.index(level.code)
    if at == 0:
        return QualitativeReason(level, None, ())
    above = rating.levels[at - 1]
    short: list[Shortfall] = []
    if published(result.total) < above.min_total:
        short.append(Shortfall(TOTAL, result.total, above.min_total))
    if above.min_each_tool is not None:
        short += [
            Shortfall(code, value, above.min_each_tool)
            for code, value in result.tools.items()
            if published(value) < above.min_each_tool
        ]
    return QualitativeReason(level, above, tuple(short))


def _name(year: Result | Headline) -> str:
    return str(year.fiscal_year) if isinstance(year, Headline) else year.name


def _year_key(year: Result | Headline) -> tuple[int, str]:
    if isinstance(year, Headline):
        return (year.fiscal_year, "")
    return (year.fiscal_year or 0, year.label or "")


def analyze(
    result: Result, history: Sequence[Result] = (), headlines: Sequence[Headline] = ()
) -> Analysis:
    """Findings on the result as published (``scoring.official``): where a published figure
    was given beside its parts, it is the one ranked and printed; the mismatches list where
    the engine's recomputation disagrees with it beyond rounding. ``headlines``: earlier years
    known only by their stated total (trend only)."""
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
        trend=trend(result, history, headlines),
        mismatches=tuple(all_mismatches),
        uplift=uplift.plan(result),
        qualitative_reason=qualitative_reason(result),
    )
