"""Peers: percentile ranks and summaries, as a table of cases."""

from __future__ import annotations

import pytest

from openita.engine import peers


@pytest.mark.parametrize(
    ("value", "others", "expected"),
    [
        (50.0, [10.0, 20.0, 30.0, 40.0], 100.0),  # above all
        (5.0, [10.0, 20.0, 30.0, 40.0], 0.0),  # below all
        (25.0, [10.0, 20.0, 30.0, 40.0], 50.0),  # in the middle
        (20.0, [10.0, 20.0, 30.0, 40.0], 37.5),  # a tie counts half
        (20.0, [20.0, 20.0, 20.0, 20.0], 50.0),  # everyone the same
        (85.004, [85.0, 90.0], 25.0),  # compared as printed: 85.00 ties 85.00
    ],
)
def test_percentile(value: float, others: list[float], expected: float) -> None:
    assert peers.percentile_of(peers.counts_of(value, others)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("counts", "problem"),
    [
        (peers.Counts(0, 0, 0, None), "no peers"),
        (peers.Counts(3, 2, 2, 1.0), "inconsistent"),
    ],
)
def test_percentile_refuses_impossible_counts(counts: peers.Counts, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        peers.percentile_of(counts)


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, False), (4, False), (5, True), (12, True)],
)
def test_position_hidden_below_five_peers(n: int, shown: bool) -> None:
    others = [float(v) for v in range(n)]
    found = peers.position(3.0, others)
    assert (found is not None) == shown
    if found is not None:
        assert found.n == n
        assert found.mean == pytest.approx(sum(others) / n)


def test_counts_of_a_list() -> None:
    assert peers.counts_of(20.0, [10.0, 20.0, 20.004, 30.0]) == peers.Counts(4, 1, 2, 20.001)
    assert peers.counts_of(1.0, []) == peers.Counts(0, 0, 0, None)


def test_best_indicators_highest_mean_first_and_small_columns_left_out() -> None:
    stats = {
        "ind1": peers.Counts(5, 0, 0, 90.0),
        "ind2": peers.Counts(5, 0, 0, 95.0),
        "ind3": peers.Counts(4, 0, 0, 99.0),  # too few
        "ind4": peers.Counts(6, 0, 0, 90.0),
        "ind5": peers.Counts(0, 0, 0, None),
    }
    best = peers.best_indicators(stats, top=2)
    assert [(b.code, b.n) for b in best] == [("ind2", 5), ("ind1", 5)]  # tie by code
