"""Findings and the uplift plan, on seed 003 and on made-up agencies."""

from __future__ import annotations

import pytest

from openita import engine
from openita.engine import TOTAL


@pytest.fixture
def seed_analysis(fw2565, seed_items):
    past = [
        engine.score(
            fw2565,
            {
                f"ind{n}": v
                for n, v in enumerate(
                    [88.52, 74.70, 82.59, 77.03, 80.53, 89.87, 90.03, 79.17, 34.47, 12.50], 1
                )
            },
            fiscal_year=2563,
        ),
        engine.score(
            fw2565,
            {
                f"ind{n}": v
                for n, v in enumerate(
                    [86.95, 77.31, 82.37, 76.87, 79.40, 98.19, 76.45, 87.27, 87.00, 87.50], 1
                )
            }
            | {TOTAL: 85.29},
            fiscal_year=2564,
        ),
    ]
    return engine.analyze(engine.score(fw2565, seed_items, fiscal_year=2565), past)


def test_seed_findings_match_the_report(seed_analysis):
    a = seed_analysis
    assert [s.code for s in a.ranking][:3] == ["ind10", "ind1", "ind9"]
    assert [s.code for s in a.ranking][-3:] == ["ind6", "ind8", "ind7"]
    assert [s.code for s in a.top_items["IIT"]] == ["i4", "i5", "i17"]
    assert [s.code for s in a.top_items["EIT"]] == ["e4", "e13", "e8"]
    assert [s.code for s in a.below_for("IIT")] == ["i7"]
    eit_below = [s.code for s in a.below_for("EIT")]
    assert len(eit_below) == 12  # "12 ประเด็นจาก 15"
    assert eit_below[:3] == ["e3", "e14", "e7"]
    assert [s.code for s in a.zero_items] == ["o12", "o20"]
    assert [s.code for s in a.weaknesses] == ["ind7", "ind8", "ind6"]
    assert [s.code for s in a.tools_below] == ["EIT"]


def test_below_threshold_is_lowest_first(seed_analysis):
    scores = [s.score for s in seed_analysis.below_threshold]
    assert scores == sorted(scores)
    assert all(s < 85 for s in scores)


def test_trend(seed_analysis):
    t = seed_analysis.trend
    assert t is not None
    assert t.years == ("2563", "2564", "2565")
    assert t.change["ind6"] == pytest.approx(81.03 - 98.19, abs=0.02)
    assert t.worst is not None and t.worst.code == "ind6"
    assert t.best is not None and t.best.code == "ind4"
    assert t.series[TOTAL][0] == pytest.approx(59.50, abs=0.005)


def test_consistency_across_history(seed_analysis):
    assert [(m.year, m.code) for m in seed_analysis.mismatches] == [("2564", TOTAL)]


def test_uplift_gain_of_an_item(seed_analysis):
    """e3 (68.93): EIT weight 30 % / 3 indicators / 5 items -> 0.02 points per point."""
    fix = next(f for f in seed_analysis.uplift.fixes if f.code == "e3")
    assert fix.coefficient == pytest.approx(0.3 / 3 / 5)
    assert fix.gain == pytest.approx(0.02 * (100 - 68.93))
    assert fix.gain_to_pass == pytest.approx(0.02 * (85 - 68.93))
    gains = [f.gain for f in seed_analysis.uplift.fixes]
    assert gains == sorted(gains, reverse=True)


def test_uplift_zero_oit_is_worth_forty_points(fw2565):
    """An agency at about 50 with OIT at 0: publishing the OIT items is worth 40 points."""
    given = {i.code: 83.53 for t in ("IIT", "EIT") for i in fw2565.tool(t).items}
    given |= {i.code: 0.0 for i in fw2565.tool("OIT").items}
    result = engine.score(fw2565, given)
    assert round(result.total, 2) == pytest.approx(50.12, abs=0.01)
    up = engine.analyze(result).uplift
    assert up.by_tool["OIT"] == pytest.approx(40.0)
    assert sum(f.gain for f in up.fixes if f.tool == "OIT") == pytest.approx(40.0)
    assert up.fixes[0].tool == "OIT"


def test_fewest_fixes_reach_the_target(fw2565):
    given = {i.code: 90.0 for t in ("IIT", "EIT") for i in fw2565.tool(t).items}
    given |= {i.code: 100.0 for i in fw2565.tool("OIT").items}
    zeros = ["o1", "o12", "o20", "o42", "o43"]
    given |= dict.fromkeys(zeros, 0.0)
    result = engine.score(fw2565, given)
    up = engine.analyze(result).uplift
    targets = {t.names: t for t in up.targets}
    reached = [t for t in targets.values()]
    for target in reached:
        assert round(target.total_after, 2) >= target.value
        # one fix fewer (the smallest gain dropped) would not be enough
        gains = {f.code: f.gain for f in up.fixes}
        short = result.total + sum(gains[c] for c in target.fixes[:-1])
        assert round(short, 2) < target.value
    assert result.passed is False
    assert ("pass", "A") in targets or ("pass",) in targets


def test_nothing_to_uplift_at_100(fw2565):
    result = engine.score(fw2565, {"IIT": 100, "EIT": 100, "OIT": 100})
    up = engine.analyze(result).uplift
    assert up.fixes == () and up.targets == ()


def test_uplift_units_are_indicators_when_items_are_unknown(fw2565):
    given = {f"ind{n}": 80.0 for n in range(1, 11)}
    up = engine.analyze(engine.score(fw2565, given)).uplift
    assert {f.code for f in up.fixes} == set(given)
    ind9 = next(f for f in up.fixes if f.code == "ind9")
    assert ind9.gain == pytest.approx(0.4 / 2 * 20)
