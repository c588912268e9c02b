"""Scores at any level -> sub-indicators -> indicators -> tools -> total -> rating.

The input is one mapping from codes to scores: item codes (``i1``, ``e3``, ``o12``),
sub-indicator and indicator codes (``ind9.2``, ``ind4``), tool codes (``IIT``) and ``total``.
Each node of the framework tree is computed from its children when all of them are known
(each step a plain mean; the total is the weighted mean of the tools); otherwise the given
figure at that node is used. So a user may give items for one tool and only indicators for
another, as older reports do. A figure given at a node that is also computed from below is
kept as *claimed*, and the analysis checks it against the computed one.

Scores keep full precision; rounding is for display only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from openita.engine.errors import Problem, ScoringError
from openita.engine.rounding import published
from openita.frameworks.schema import (
    Band,
    Framework,
    Indicator,
    Item,
    QualitativeLevel,
    SubIndicator,
    Tool,
)

TOTAL = "total"
Node = Tool | Indicator | SubIndicator | Item


@dataclass(frozen=True)
class Result:
    framework: Framework
    scores: Mapping[str, float]  # every node with a value, and "total"
    computed: frozenset[str]  # nodes computed from their children
    claimed: Mapping[str, float]  # given figures at nodes that were also computed
    band: Band
    passed: bool
    qualitative: QualitativeLevel | None
    fiscal_year: int | None = None
    label: str | None = None
    # Set by ``official``: the engine's own figure at each node where a published one was given
    # and printed instead (empty for a plain ``score``, whose scores are all recomputed).
    recomputed: Mapping[str, float] = field(default_factory=dict)

    @property
    def is_official(self) -> bool:
        """The scores print the given (published) figures where there were any."""
        return bool(self.recomputed)

    def checked(self, code: str) -> float:
        """The engine's figure at a node, to check a published one against."""
        return self.recomputed.get(code, self.scores[code])

    @property
    def total(self) -> float:
        return self.scores[TOTAL]

    @property
    def tools(self) -> dict[str, float]:
        return {t.code: self.scores[t.code] for t in self.framework.tools}

    @property
    def indicators(self) -> dict[str, float | None]:
        return {i.code: self.scores.get(i.code) for i in self.framework.indicators}

    @property
    def sub_indicators(self) -> dict[str, float | None]:
        return {
            s.code: self.scores.get(s.code)
            for i in self.framework.indicators
            for s in i.sub_indicators
        }

    @property
    def items(self) -> dict[str, float]:
        return {i.code: self.scores[i.code] for i in self.framework.items if i.code in self.scores}

    @property
    def name(self) -> str:
        """How to call this result in a table: its fiscal year, else its label."""
        if self.fiscal_year is not None:
            return str(self.fiscal_year)
        return self.label or "?"


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Tool):
        return node.indicators
    if isinstance(node, Indicator):
        return node.sub_indicators or node.items
    if isinstance(node, SubIndicator):
        return node.items
    return ()


@dataclass
class _Walk:
    given: Mapping[str, float]
    scores: dict[str, float] = field(default_factory=dict)
    computed: set[str] = field(default_factory=set)
    claimed: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    prefer_given: bool = False  # official(): a given figure stands over the computed one
    recomputed: dict[str, float] = field(default_factory=dict)

    def resolve(self, node: Node) -> float | None:
        kids = children(node)
        values = [self.resolve(k) for k in kids]
        given = self.given.get(node.code)
        known = [v for v in values if v is not None]
        if kids and len(known) == len(kids):
            value = math.fsum(known) / len(known)  # every step is a plain mean
            self.computed.add(node.code)
            if given is not None:
                self.claimed[node.code] = given
                if self.prefer_given:
                    self.recomputed[node.code] = value
                    value = given
        elif given is not None:
            value = given
        elif known:
            if any(k.code in self.failed for k in kids):
                self.failed.add(node.code)  # already reported where it starts
                return None
            self.failed.add(node.code)
            missing = _missing_leaves(node, self.scores)
            self.problems.append(
                Problem(
                    f"{node.code}: incomplete, missing {_list_codes(missing)} "
                    f"(give them, or the score of {node.code} itself)",
                    node.code,
                )
            )
            return None
        else:
            return None
        self.scores[node.code] = value
        return value


def _missing_leaves(node: Node, scores: Mapping[str, float]) -> list[str]:
    kids = children(node)
    if not kids:
        return [] if node.code in scores else [node.code]
    if all(k.code not in scores for k in kids) and any(not children(k) for k in kids):
        return [k.code for k in kids]
    return [code for k in kids if k.code not in scores for code in _missing_leaves(k, scores)]


def _list_codes(codes: list[str], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def check_codes(framework: Framework, given: Mapping[str, float]) -> list[Problem]:
    """Unknown codes and scores outside 0-100."""
    known = {TOTAL, *(t.code for t in framework.tools)}
    for ind in framework.indicators:
        known.add(ind.code)
        known.update(s.code for s in ind.sub_indicators)
    known.update(i.code for i in framework.items)
    all_or_nothing = {
        item.code: tool.code
        for tool in framework.tools
        if tool.scoring == "all_or_nothing"
        for item in tool.items
    }
    problems = []
    for code, value in given.items():
        if code not in known:
            problems.append(Problem(f"unknown code '{code}' in framework {framework.id}", code))
        elif not (0 <= value <= 100) or math.isnan(value):
            problems.append(Problem(f"{code}: score {value:g} is outside 0-100", code))
        elif code in all_or_nothing and value not in (0, 100):
            problems.append(
                Problem(
                    f"{code}: score {value:g} is not allowed: {all_or_nothing[code]} items of "
                    f"framework {framework.id} are all-or-nothing, 0 or 100 "
                    "(100 only when every component is published)",
                    code,
                )
            )
    return problems


def weighted_total(framework: Framework, tools: Mapping[str, float]) -> float:
    weight = math.fsum(t.weight for t in framework.tools)
    return math.fsum(t.weight * tools[t.code] for t in framework.tools) / weight


def qualitative_level(
    framework: Framework, total: float, tools: Mapping[str, float]
) -> QualitativeLevel | None:
    rating = framework.qualitative_rating
    if rating is None:
        return None
    shown_total = published(total)
    shown_tools = [published(v) for v in tools.values()]
    for level in rating.levels:
        each = level.min_each_tool
        if shown_total >= level.min_total and (each is None or min(shown_tools) >= each):
            return level
    return rating.levels[-1]


def score(
    framework: Framework,
    given: Mapping[str, float],
    *,
    fiscal_year: int | None = None,
    label: str | None = None,
) -> Result:
    """Score one year of one agency. Raises ScoringError listing every problem."""
    problems = check_codes(framework, given)
    if problems:
        raise ScoringError(problems)
    walk = _Walk(given)
    for tool in framework.tools:
        if walk.resolve(tool) is None and tool.code not in walk.failed:
            codes = [i.code for i in tool.items]
            inds = [i.code for i in tool.indicators]
            walk.problems.append(
                Problem(
                    f"missing tool {tool.code}: give its items ({codes[0]}-{codes[-1]}), "
                    f"its indicators ({', '.join(inds)}) or its score",
                    tool.code,
                )
            )
    if walk.problems:
        raise ScoringError(walk.problems)
    tools = {t.code: walk.scores[t.code] for t in framework.tools}
    total = weighted_total(framework, tools)
    walk.scores[TOTAL] = total
    walk.computed.add(TOTAL)
    if TOTAL in given:
        walk.claimed[TOTAL] = given[TOTAL]
    return Result(
        framework=framework,
        scores=walk.scores,
        computed=frozenset(walk.computed),
        claimed=walk.claimed,
        band=framework.band_for(published(total)),
        passed=published(total) >= framework.pass_mark,
        qualitative=qualitative_level(framework, total, tools),
        fiscal_year=fiscal_year,
        label=label,
    )


def given_of(result: Result) -> dict[str, float]:
    """The figures the result was scored from: its leaves and every claimed figure."""
    given = {c: v for c, v in result.scores.items() if c not in result.computed}
    given.update(result.claimed)
    return given


def official(result: Result) -> Result:
    """The result as published: where NACC's figure (an indicator, a tool, the total) was given
    beside the parts it is computed from, the given figure stands and nodes above it are
    computed from it; the engine's own figure is kept in ``recomputed`` to check it.

    Documents and pages print this; ``analysis.mismatches`` shows where the two differ by more
    than rounding. A result without claimed figures comes back unchanged.
    """
    if not result.claimed or result.recomputed:
        return result
    framework = result.framework
    given = given_of(result)
    walk = _Walk(given, prefer_given=True)
    for tool in framework.tools:
        walk.resolve(tool)
    tools = {t.code: walk.scores[t.code] for t in framework.tools}
    total = given.get(TOTAL)
    recomputed = dict(walk.recomputed)
    computed_total = weighted_total(framework, tools)
    if total is None:
        total = computed_total
    else:
        recomputed[TOTAL] = computed_total
    walk.scores[TOTAL] = total
    return Result(
        framework=framework,
        scores=walk.scores,
        computed=result.computed,
        claimed=result.claimed,
        band=framework.band_for(published(total)),
        passed=published(total) >= framework.pass_mark,
        qualitative=qualitative_level(framework, total, tools),
        fiscal_year=result.fiscal_year,
        label=result.label,
        recomputed=recomputed,
    )


def coefficients(result: Result) -> dict[str, float]:
    """Points of the total per point of each unit the result was computed from.

    A unit is the deepest node actually used: an item where a tool was scored from its
    items, an indicator where only indicators were given, and so on. The total is linear in
    the units, so a unit raised by d points lifts the total by coefficient * d.
    """
    framework = result.framework
    weight_sum = math.fsum(t.weight for t in framework.tools)
    found: dict[str, float] = {}

    def walk(node: Node, share: float) -> None:
        kids = children(node)
        if node.code in result.computed and kids:
            for kid in kids:
                walk(kid, share / len(kids))
        else:
            found[node.code] = share

    for tool in framework.tools:
        walk(tool, tool.weight / weight_sum)
    return found
