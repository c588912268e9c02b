"""Score many agencies of one framework and year at once (NumPy), with the same figures as
scoring them one by one (``engine.score`` then ``engine.official``), to the cent.

The vectorised path takes rows given exactly as item scores (every item of the framework, no
other code): items -> sub-indicators -> indicators -> tools, each step a plain mean, then the
weighted total; figures are rounded as published (two decimals, halves up), bands, pass and
the qualitative level follow from the rounded figures as in ``engine.score``.

Figures printed to the cent depend on the last binary digit of a figure near a half cent
(84.995 is printed 85.00, 84.99499999999999 84.99), and two-decimal items make such figures
common. So the vectorised sums are rounded once, as ``math.fsum`` rounds them (TwoSum error
terms), giving the engine's figures bit for bit, and they are rounded to cents exactly as
``rounding.published`` rounds them. Rows the vectorised path does not take
(indicator or tool figures given, claimed/published figures, missing items, values the
engine refuses, and the very rare sums it cannot prove exact) are scored one by one. So every
row equals ``engine.score`` to the cent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openita.engine.errors import ScoringError
from openita.engine.rounding import published
from openita.engine.scoring import Node, Result, children, official, score
from openita.frameworks.schema import Framework

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Figures:
    """What is stored and listed of one result: as printed (published rounding)."""

    total: float
    band: str  # the band's code (AA, A, ...)
    level: str  # the qualitative level's code, "" when the framework has none
    passed: bool
    figures: dict[str, float]  # tool and indicator code -> printed figure


def figures_of(result: Result) -> Figures:
    """The printed figures of one result, as published (NACC's figures where given)."""
    shown = official(result)
    fw = shown.framework
    codes = [t.code for t in fw.tools] + [i.code for t in fw.tools for i in t.indicators]
    return Figures(
        total=published(shown.total),
        band=shown.band.code,
        level=shown.qualitative.code if shown.qualitative is not None else "",
        passed=shown.passed,
        figures={c: published(shown.scores[c]) for c in codes if c in shown.scores},
    )


@dataclass(frozen=True)
class _Step:
    """One depth of the tree: ``targets[t]`` is the mean of rows ``kids[t, :]`` of the value
    matrix (padded with the index of a row of zeros), ``counts[t]`` children."""

    targets: npt.NDArray[np.intp]
    kids: npt.NDArray[np.intp]
    counts: Array


@dataclass(frozen=True)
class _Plan:
    """A framework's tree as index arrays, computed once per framework object."""

    items: tuple[str, ...]  # column order of the item matrix
    steps: tuple[_Step, ...]  # deepest first
    nodes: tuple[str, ...]  # every node after the items, in order
    shown: tuple[str, ...]  # tools then indicators (what is stored)
    shown_rows: npt.NDArray[np.intp]
    tool_rows: npt.NDArray[np.intp]
    weights: Array
    weight_sum: float
    all_or_nothing: tuple[int, ...]  # item columns that must be 0 or 100


# id(framework) -> (framework, plan); holding the framework keeps its id from being reused.
_PLANS: dict[int, tuple[Framework, _Plan]] = {}


def _plan(framework: Framework) -> _Plan:
    known = _PLANS.get(id(framework))
    if known is not None and known[0] is framework:
        return known[1]
    plan = _make_plan(framework)
    _PLANS[id(framework)] = (framework, plan)
    return plan


def _make_plan(framework: Framework) -> _Plan:
    items = tuple(i.code for t in framework.tools for i in t.items)
    index = {c: n for n, c in enumerate(items)}
    depth: dict[str, int] = {}
    by_code: dict[str, Node] = {}

    def walk(node: Node) -> int:
        by_code[node.code] = node
        kids = children(node)
        h = 0 if not kids else 1 + max(walk(k) for k in kids)
        depth[node.code] = h
        return h

    for tool in framework.tools:
        walk(tool)
    inner = sorted((c for c in depth if depth[c] > 0), key=lambda c: depth[c])
    for code in inner:
        index[code] = len(index)
    zero = len(index)  # a row of zeros: adding it changes no sum
    steps = []
    for level in sorted({depth[c] for c in inner}):
        targets = [c for c in inner if depth[c] == level]
        kids = [[index[k.code] for k in children(by_code[c])] for c in targets]
        width = max(len(k) for k in kids)
        steps.append(
            _Step(
                targets=np.array([index[c] for c in targets], dtype=np.intp),
                kids=np.array([k + [zero] * (width - len(k)) for k in kids], dtype=np.intp),
                counts=np.array([float(len(k)) for k in kids], dtype=np.float64),
            )
        )
    shown = tuple(t.code for t in framework.tools) + tuple(
        i.code for t in framework.tools for i in t.indicators
    )
    aon = tuple(
        index[i.code] for t in framework.tools if t.scoring == "all_or_nothing" for i in t.items
    )
    return _Plan(
        items=items,
        steps=tuple(steps),
        nodes=tuple(inner),
        shown=shown,
        shown_rows=np.array([index[c] for c in shown], dtype=np.intp),
        tool_rows=np.array([index[t.code] for t in framework.tools], dtype=np.intp),
        weights=np.array([t.weight for t in framework.tools], dtype=np.float64),
        weight_sum=math.fsum(t.weight for t in framework.tools),
        all_or_nothing=aon,
    )


def item_codes(framework: Framework) -> tuple[str, ...]:
    """The column order of the item matrix ``roll_up`` takes."""
    return _plan(framework).items


def _exact_sums(terms: Array) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Sums along axis 0 rounded once, as ``math.fsum`` rounds them (to nearest, halves
    to even), and where that could not be guaranteed (then the row is scored one by one).

    Each running sum carries its rounding errors exactly in a second term (Knuth's TwoSum);
    the errors are summed the same way, and a row whose errors themselves did not add up
    exactly is flagged. Otherwise sum + errors is the exact sum and one addition rounds it.
    """
    s = terms[0].copy()
    e = np.zeros_like(s)
    lost = np.zeros_like(s)  # any nonzero: an error term was itself rounded
    t = np.empty_like(s)
    u = np.empty_like(s)
    err = np.empty_like(s)
    for j in range(1, terms.shape[0]):
        b = terms[j]
        np.add(s, b, out=t)  # t = s + b; err = (s - (t - (t - s))) + (b - (t - s))
        np.subtract(t, s, out=u)
        np.subtract(b, u, out=err)
        np.subtract(t, u, out=u)
        np.subtract(s, u, out=u)
        np.add(err, u, out=err)
        s, t = t, s
        np.add(e, err, out=t)  # the same for e + err, its error added to ``lost``
        np.subtract(t, e, out=u)
        np.subtract(err, u, out=err)
        np.subtract(t, u, out=u)
        np.subtract(e, u, out=u)
        np.add(err, u, out=err)
        np.abs(err, out=err)
        np.add(lost, err, out=lost)
        e, t = t, e
    return s + e, lost != 0


@dataclass(frozen=True)
class Rolled:
    """Full-precision figures of many rows: ``values[j]`` is node ``codes[j]`` (one row per
    node, one column per input row), bit for bit ``engine.score``'s unless ``unsure``."""

    codes: tuple[str, ...]  # items, then sub-indicators, indicators, tools
    values: Array
    total: Array
    unsure: npt.NDArray[np.bool_]


def roll_up(framework: Framework, items: Array) -> Rolled:
    """Items (rows x ``item_codes``) -> every node and the total, each a mean of its children
    summed as ``math.fsum`` sums them; no checks on the values."""
    plan = _plan(framework)
    rows, width = items.shape
    values = np.empty((width + len(plan.nodes) + 1, rows), dtype=np.float64)
    values[-1] = 0.0  # the padding row
    values[:width] = items.T
    unsure = np.zeros(rows, dtype=np.bool_)
    for step in plan.steps:
        sums, lost = _exact_sums(values[step.kids.T])  # kids x targets x rows
        values[step.targets] = sums / step.counts[:, None]
        unsure |= lost.any(axis=0)
    weighted, lost = _exact_sums(values[plan.tool_rows] * plan.weights[:, None])
    unsure |= lost
    return Rolled(
        codes=plan.items + plan.nodes,
        values=values[:-1],
        total=weighted / plan.weight_sum,
        unsure=unsure,
    )


def _published(values: Array) -> Array:
    """Rounded to cents as ``rounding.published`` rounds: halves up, from the shortest decimal
    form. That form reaches the half cent k + 1/2 exactly when the value is at least the
    double nearest to (2k + 1) / 200, which IEEE division gives; so no decimal is needed."""
    k = np.floor(values * 100.0)
    return (k + (values >= (2.0 * k + 1.0) / 200.0)) / 100.0


@dataclass(frozen=True)
class BatchFigures:
    """Printed figures of many rows, as arrays (``ok[r]`` False: row r needs ``score``)."""

    shown: tuple[str, ...]  # tools then indicators: columns of ``figures``
    figures: Array
    total: Array
    band: npt.NDArray[np.int64]  # index into framework.bands
    level: npt.NDArray[np.int64]  # index into the qualitative levels, -1 when none
    ok: npt.NDArray[np.bool_]


def score_items(framework: Framework, items: Array) -> BatchFigures:
    """Printed figures of rows of item scores (rows x ``item_codes``), vectorised.

    Rows with a value outside 0-100, NaN, an all-or-nothing item other than 0 or 100, or
    sums that could not be rounded as ``math.fsum`` rounds them come back with ``ok`` False.
    """
    plan = _plan(framework)
    ok = np.asarray(~np.isnan(items).any(axis=1), dtype=np.bool_)
    ok &= ((items >= 0) & (items <= 100)).all(axis=1)
    if plan.all_or_nothing:
        aon = items[:, plan.all_or_nothing]
        ok &= ((aon == 0) | (aon == 100)).all(axis=1)
    rolled = roll_up(framework, np.where(ok[:, None], items, 0.0))
    ok &= ~rolled.unsure
    shown = _published(rolled.values[plan.shown_rows].T)
    total = _published(rolled.total)
    band = np.full(total.shape, -1, dtype=np.int64)
    for n, b in enumerate(framework.bands):
        band[(band < 0) & (total >= b.min) & (total <= b.max)] = n
    ok &= band >= 0
    level = np.full(total.shape, -1, dtype=np.int64)
    rating = framework.qualitative_rating
    if rating is not None:
        lowest_tool = shown[:, : len(framework.tools)].min(axis=1)
        for n, q in enumerate(rating.levels):
            fits = total >= q.min_total
            if q.min_each_tool is not None:
                fits &= lowest_tool >= q.min_each_tool
            level[(level < 0) & fits] = n
        level[level < 0] = len(rating.levels) - 1
    return BatchFigures(plan.shown, shown, total, band, level, ok)


def _one(framework: Framework, given: Mapping[str, float], year: int | None) -> Figures | None:
    try:
        return figures_of(score(framework, given, fiscal_year=year))
    except ScoringError:
        return None


def score_many(
    framework: Framework,
    rows: Sequence[Mapping[str, float]],
    *,
    fiscal_year: int | None = None,
) -> list[Figures | None]:
    """The printed figures of each row (given scores, as for ``engine.score``), equal to
    ``figures_of(engine.score(...))``; None where the engine refuses the row."""
    plan = _plan(framework)
    wanted = set(plan.items)
    width = len(plan.items)
    matrix = np.full((len(rows), width), np.nan, dtype=np.float64)
    for r, given in enumerate(rows):
        if len(given) == width and given.keys() == wanted:
            matrix[r] = [given[c] for c in plan.items]
    return score_matrix(framework, matrix, fiscal_year=fiscal_year, rows=rows)


def score_matrix(
    framework: Framework,
    items: Array,
    *,
    fiscal_year: int | None = None,
    rows: Sequence[Mapping[str, float]] | None = None,
) -> list[Figures | None]:
    """``score_many`` for rows of item scores (rows x ``item_codes``; NaN where not given).
    Rows the vectorised path does not take are scored one by one from ``rows`` when given,
    else from the row's items."""
    plan = _plan(framework)
    batch = score_items(framework, items)
    bands = [b.code for b in framework.bands]
    levels = (
        [q.code for q in framework.qualitative_rating.levels]
        if framework.qualitative_rating is not None
        else []
    )
    pass_mark = framework.pass_mark
    out: list[Figures | None] = []
    shown = plan.shown
    figures = batch.figures.tolist()
    totals = batch.total.tolist()
    band_ix = batch.band.tolist()
    level_ix = batch.level.tolist()
    ok = batch.ok.tolist()
    for r in range(items.shape[0]):
        if not ok[r]:
            if rows is not None:
                given: Mapping[str, float] = rows[r]
            else:
                given = {c: v for c, v in zip(plan.items, items[r].tolist(), strict=True) if v == v}
            out.append(_one(framework, given, fiscal_year))
            continue
        total = totals[r]
        out.append(
            Figures(
                total=total,
                band=bands[band_ix[r]],
                level=levels[level_ix[r]] if levels else "",
                passed=total >= pass_mark,
                figures=dict(zip(shown, figures[r], strict=True)),
            )
        )
    return out
