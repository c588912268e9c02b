"""Scoring from mixed levels, and what the engine refuses (table-driven)."""

from __future__ import annotations

import pytest

from openita import engine

IND = {f"ind{n}": 80.0 for n in range(1, 11)}


def _items(fw, tool, value):
    return {i.code: value for i in fw.tool(tool).items}


def test_mixed_levels_per_tool(fw2565):
    """IIT from items, EIT from indicators, OIT from its tool score."""
    given = _items(fw2565, "IIT", 90.0) | {"ind6": 70.0, "ind7": 80.0, "ind8": 90.0, "OIT": 50.0}
    result = engine.score(fw2565, given)
    assert result.tools == pytest.approx({"IIT": 90.0, "EIT": 80.0, "OIT": 50.0})
    assert result.total == pytest.approx(0.3 * 90 + 0.3 * 80 + 0.4 * 50)
    assert result.indicators["ind9"] is None


def test_sub_indicators_as_input(fw2565):
    subs = {
        "ind9.1": 100.0,
        "ind9.2": 87.5,
        "ind9.3": 85.71,
        "ind9.4": 100.0,
        "ind9.5": 100.0,
        "ind10.1": 100.0,
        "ind10.2": 100.0,
    }
    result = engine.score(
        fw2565, {k: v for k, v in IND.items() if k not in ("ind9", "ind10")} | subs
    )
    assert result.scores["ind9"] == pytest.approx(94.642, abs=1e-3)
    assert "ind9" in result.computed


def test_partial_items_with_given_indicator_use_the_indicator(fw2565):
    """Reports list only some items (e.g. the top three); the indicator figure stands."""
    result = engine.score(fw2565, IND | {"i4": 100.0, "i5": 100.0})
    assert result.scores["ind1"] == 80.0
    assert result.items == {"i4": 100.0, "i5": 100.0}
    assert "ind1" not in result.computed


BAD = [
    ("unknown code", IND | {"x99": 50.0}, ["unknown code 'x99'"]),
    ("over 100", IND | {"ind3": 120.0}, ["ind3: score 120 is outside 0-100"]),
    ("negative", IND | {"ind3": -1.0}, ["ind3: score -1 is outside 0-100"]),
    (
        "missing tool",
        {k: v for k, v in IND.items() if k not in ("ind9", "ind10")},
        ["missing tool OIT"],
    ),
    (
        "partial items, no indicator",
        {k: v for k, v in IND.items() if k != "ind1"} | {"i1": 90.0, "i2": 90.0},
        ["ind1: incomplete, missing i3, i4, i5, i6"],
    ),
]


@pytest.mark.parametrize(("case", "given", "expected"), BAD, ids=[b[0] for b in BAD])
def test_refused(fw2565, case, given, expected):
    with pytest.raises(engine.ScoringError) as info:
        engine.score(fw2565, given)
    messages = [p.message for p in info.value.problems]
    for text in expected:
        assert any(text in m for m in messages), messages


BANDS = [
    (0, "F"),
    (49.99, "F"),
    (49.994, "F"),
    (49.996, "E"),
    (50, "E"),
    (54.99, "E"),
    (55, "D"),
    (65, "C"),
    (75, "B"),
    (84.99, "B"),
    (84.995, "A"),
    (85, "A"),
    (94.99, "A"),
    (95, "AA"),
    (100, "AA"),
]


@pytest.mark.parametrize(("total", "band"), BANDS)
def test_band_of_published_total(fw2565, total, band):
    result = engine.score(fw2565, {"IIT": total, "EIT": total, "OIT": total})
    assert result.band.code == band
    assert result.passed is (band in ("A", "AA"))


QUALITATIVE = [
    # (IIT, EIT, OIT, expected level) under ita-2568 (provisional thresholds)
    (96, 96, 96, "excellent"),
    (99, 94, 99, "good"),
    (99, 84, 99, "pass"),  # total 94.6, EIT under 85: cut from ผ่านดี to ผ่าน
    (80, 80, 80, "improve"),
    (60, 60, 60, "urgent"),
]


@pytest.mark.parametrize(("iit", "eit", "oit", "level"), QUALITATIVE)
def test_qualitative_rating(iit, eit, oit, level):
    from openita import frameworks

    fw = frameworks.get("ita-2568")
    result = engine.score(fw, {"IIT": iit, "EIT": eit, "OIT": oit})
    assert result.qualitative is not None
    assert result.qualitative.code == level


def test_no_qualitative_rating_without_rules(fw2565):
    assert engine.score(fw2565, {"IIT": 90, "EIT": 90, "OIT": 90}).qualitative is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (84.995, 85.0),
        (84.994999, 84.99),
        (90.515, 90.52),
        (0.005, 0.01),
        (100.0, 100.0),
        (59.50300, 59.5),
    ],
)
def test_published_rounding_is_half_up(value, shown):
    from openita.engine.rounding import published

    assert published(value) == shown


def test_incompleteness_reported_once(fw2565):
    given = {k: v for k, v in IND.items() if k != "ind1"} | {"i1": 90.0, "i2": 90.0}
    with pytest.raises(engine.ScoringError) as info:
        engine.score(fw2565, given)
    assert [p.code for p in info.value.problems] == ["ind1"]


def test_broken_local_framework_does_not_stop_the_others(tmp_path, monkeypatch):
    from openita import frameworks

    (tmp_path / "ita-2599.yaml").write_text("id: [broken", encoding="utf-8")
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path))
    assert frameworks.default().id == "ita-2565"
    assert frameworks.for_year(2566).id == "ita-2566"
