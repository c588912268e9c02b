"""Where an agency stands among its peers: percentiles and summaries of other agencies'
figures, never the figures themselves.

Pure: the caller reads the peers' stored figures (one query) and passes plain numbers. A
position is only given when there are at least ``MIN_PEERS`` peers, so that no single other
agency's figure can be worked out from what is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, median

MIN_PEERS = 5  # fewer peers than this: no percentile, no summary


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    median: float


@dataclass(frozen=True)
class Position:
    """The agency's place among ``n`` peers (the agency itself not counted)."""

    n: int
    percentile: float  # 0-100: the share of peers below it, ties counted half
    peers: Summary


@dataclass(frozen=True)
class IndicatorMean:
    code: str
    mean: float
    n: int


def summarise(values: Sequence[float]) -> Summary:
    if not values:
        raise ValueError("no values to summarise")
    return Summary(len(values), fmean(values), float(median(values)))


def percentile(value: float, others: Sequence[float]) -> float:
    """The percentile rank of ``value`` among ``others`` (mid-rank: peers below it, plus half
    of those with the same figure), 0-100. Figures are compared as printed (two decimals)."""
    if not others:
        raise ValueError("no peers to rank against")
    own = round(value, 2)
    below = sum(1 for v in others if round(v, 2) < own)
    same = sum(1 for v in others if round(v, 2) == own)
    return 100.0 * (below + same / 2) / len(others)


def position(value: float, others: Sequence[float], *, min_n: int = MIN_PEERS) -> Position | None:
    """The position of ``value`` among ``others``; None when there are fewer than ``min_n``."""
    if len(others) < min_n:
        return None
    return Position(len(others), percentile(value, others), summarise(others))


def positions(
    own: Mapping[str, float],
    columns: Mapping[str, Sequence[float]],
    *,
    min_n: int = MIN_PEERS,
) -> dict[str, Position | None]:
    """Per code of ``own``: its position among the peers' figures of that code."""
    return {code: position(v, columns.get(code, ()), min_n=min_n) for code, v in own.items()}


def best_indicators(
    columns: Mapping[str, Sequence[float]], *, top: int = 3, min_n: int = MIN_PEERS
) -> list[IndicatorMean]:
    """The codes where the peers do best: highest mean first (ties by code), each with its
    number of agencies; codes with fewer than ``min_n`` figures are left out."""
    means = [IndicatorMean(c, fmean(v), len(v)) for c, v in columns.items() if len(v) >= min_n]
    means.sort(key=lambda m: (-m.mean, m.code))
    return means[:top]


def columns_of(rows: Iterable[Mapping[str, float]], codes: Iterable[str]) -> dict[str, list[float]]:
    """Rows of figures (code -> value) turned into one list of values per code."""
    wanted = list(codes)
    found: dict[str, list[float]] = {c: [] for c in wanted}
    for row in rows:
        for code in wanted:
            value = row.get(code)
            if isinstance(value, int | float):
                found[code].append(float(value))
    return found
