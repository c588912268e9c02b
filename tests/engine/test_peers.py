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
    assert peers.percentile(value, others) == pytest.approx(expected)


def test_percentile_needs_peers() -> None:
    with pytest.raises(ValueError, match="no peers"):
        peers.percentile(1.0, [])


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
        assert found.peers.mean == pytest.approx(sum(others) / n)


def test_summary_median_of_even_count() -> None:
    s = peers.summarise([1.0, 2.0, 3.0, 10.0])
    assert (s.n, s.mean, s.median) == (4, 4.0, 2.5)


def test_positions_per_code_and_missing_columns() -> None:
    columns = {"ind1": [10.0, 20.0, 30.0, 40.0, 50.0], "ind2": [1.0, 2.0]}
    found = peers.positions({"ind1": 45.0, "ind2": 3.0, "ind3": 1.0}, columns)
    assert found["ind1"] is not None and found["ind1"].percentile == 80.0
    assert found["ind2"] is None  # two peers only
    assert found["ind3"] is None  # no peer figures at all


def test_best_indicators_highest_mean_first_and_small_columns_left_out() -> None:
    columns = {
        "ind1": [90.0] * 5,
        "ind2": [95.0] * 5,
        "ind3": [99.0] * 4,  # too few
        "ind4": [90.0] * 6,
    }
    best = peers.best_indicators(columns, top=2)
    assert [(b.code, b.n) for b in best] == [("ind2", 5), ("ind1", 5)]  # tie by code


def test_columns_of_skips_missing_and_non_numbers() -> None:
    rows = [{"ind1": 1.0, "ind2": 2}, {"ind1": "x"}, {}]
    assert peers.columns_of(rows, ["ind1", "ind2"]) == {"ind1": [1.0], "ind2": [2.0]}
