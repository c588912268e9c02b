"""Where an agency stands among its peers: percentiles and means of other agencies' figures,
never the figures themselves.

Pure: the caller counts, for each figure, how many peers are below the agency's own and how
many equal it, and their mean (the web app does it in one SQL query over the stored columns;
``counts_of`` does it for a list). A position is only given when there are at least
``MIN_PEERS`` peers, so that no single other agency's figure can be worked out from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

MIN_PEERS = 5  # fewer peers than this: no percentile, no mean


@dataclass(frozen=True)
class Counts:
    """What is known of the peers' figures of one code, relative to the agency's own."""

    n: int  # peers with a figure
    below: int  # peers with a lower figure
    same: int  # peers with the same figure (as printed)
    mean: float | None  # the peers' mean (None without peers)


@dataclass(frozen=True)
class Position:
    """The agency's place among ``n`` peers (the agency itself not counted)."""

    n: int
    percentile: float  # 0-100: the share of peers below it, ties counted half
    mean: float  # the peers' mean


@dataclass(frozen=True)
class IndicatorMean:
    code: str
    mean: float
    n: int


def counts_of(value: float, others: Sequence[float]) -> Counts:
    """The counts of a list of peer figures; figures are compared as printed (two decimals)."""
    own = round(value, 2)
    below = sum(1 for v in others if round(v, 2) < own)
    same = sum(1 for v in others if round(v, 2) == own)
    return Counts(len(others), below, same, fmean(others) if others else None)


def percentile_of(counts: Counts) -> float:
    """The mid-rank percentile: peers below, plus half of those with the same figure, 0-100."""
    if counts.n <= 0:
        raise ValueError("no peers to rank against")
    if not 0 <= counts.below + counts.same <= counts.n:
        raise ValueError(f"inconsistent counts: {counts}")
    return 100.0 * (counts.below + counts.same / 2) / counts.n


def position_of(counts: Counts, *, min_n: int = MIN_PEERS) -> Position | None:
    """The position the counts give; None when there are fewer than ``min_n`` peers."""
    if counts.n < min_n or counts.mean is None:
        return None
    return Position(counts.n, percentile_of(counts), counts.mean)


def position(value: float, others: Sequence[float], *, min_n: int = MIN_PEERS) -> Position | None:
    """The position of ``value`` among a list of peer figures."""
    return position_of(counts_of(value, others), min_n=min_n)


def best_indicators(
    stats: Mapping[str, Counts], *, top: int = 3, min_n: int = MIN_PEERS
) -> list[IndicatorMean]:
    """The codes where the peers do best: highest mean first (ties by code), each with its
    number of agencies; codes with fewer than ``min_n`` figures are left out."""
    means = [
        IndicatorMean(code, c.mean, c.n)
        for code, c in stats.items()
        if c.n >= min_n and c.mean is not None
    ]
    means.sort(key=lambda m: (-m.mean, m.code))
    return means[:top]
