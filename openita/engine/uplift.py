"""The uplift plan: what each weak unit is worth, and the fewest fixes that reach a target.

Every unit (item, or indicator where items are unknown) enters the total linearly, so raising
it to 100 adds ``coefficient * (100 - score)`` points. Taking the units by that gain, largest
first, until the target is reached gives a set of the smallest possible size: any other set
of the same size gains at most as much.
"""

from __future__ import annotations

from dataclasses import dataclass

from openita.engine.rounding import published
from openita.engine.scoring import TOTAL, Result, coefficients


@dataclass(frozen=True)
class Fix:
    code: str
    tool: str
    score: float
    coefficient: float  # points of the total per point of this unit
    gain: float  # points of the total if raised to 100
    gain_to_pass: float  # points of the total if raised to the pass mark (0 when above it)


@dataclass(frozen=True)
class Target:
    names: tuple[str, ...]  # e.g. ("pass", "A")
    value: float
    fixes: tuple[str, ...]  # codes to raise to 100, biggest gain first
    total_after: float


@dataclass(frozen=True)
class Uplift:
    fixes: tuple[Fix, ...]  # every unit under 100, biggest gain first
    by_tool: dict[str, float]  # points of the total if the whole tool were at 100
    targets: tuple[Target, ...]


def plan(result: Result) -> Uplift:
    framework = result.framework
    pass_mark = framework.pass_mark
    fixes = []
    for code, coef in coefficients(result).items():
        value = result.scores[code]
        if value >= 100:
            continue
        tool = framework.tool_of(code) or code
        # an all-or-nothing item cannot stop at the pass mark: it passes at 100
        tool_def = framework.tool(tool)
        whole = framework.item(code) is not None and (
            tool_def is not None and tool_def.scoring == "all_or_nothing"
        )
        reach = 100.0 if whole else pass_mark
        fixes.append(
            Fix(
                code=code,
                tool=tool,
                score=value,
                coefficient=coef,
                gain=coef * (100 - value),
                gain_to_pass=coef * max(0.0, reach - value) if value < pass_mark else 0.0,
            )
        )
    order = {f.code: n for n, f in enumerate(fixes)}
    fixes.sort(key=lambda f: (-f.gain, order[f.code]))
    weight_sum = sum(t.weight for t in framework.tools)
    by_tool = {
        t.code: t.weight / weight_sum * (100 - result.scores[t.code]) for t in framework.tools
    }
    return Uplift(tuple(fixes), by_tool, _targets(result, fixes))


def _targets(result: Result, fixes: list[Fix]) -> tuple[Target, ...]:
    framework = result.framework
    total = result.scores[TOTAL]
    wanted: dict[float, list[str]] = {}
    if published(total) < framework.pass_mark:
        wanted.setdefault(framework.pass_mark, []).append("pass")
    above = [b for b in framework.bands if b.min > published(total)]
    if above:
        nxt = min(above, key=lambda b: b.min)
        wanted.setdefault(nxt.min, []).append(nxt.code)
    targets = []
    for value, names in sorted(wanted.items()):
        chosen: list[str] = []
        reached = total
        for fix in fixes:
            if published(reached) >= value:
                break
            chosen.append(fix.code)
            reached += fix.gain
        targets.append(Target(tuple(names), value, tuple(chosen), reached))
    return tuple(targets)
