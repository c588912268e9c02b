"""Did the measures work: one agency's effect and the gains across agencies, as tables."""

from __future__ import annotations

import pytest

from openita.engine import effects
from openita.engine.effects import Observation


@pytest.mark.parametrize(
    ("before", "after", "targeted", "comparison", "changes", "missing", "untargeted", "n"),
    [
        # targeted rose by 20 and 10; the others by 2 and 4 on average 3
        (
            {"o1": 0, "o2": 50, "i1": 80, "i2": 70},
            {"o1": 20, "o2": 60, "i1": 82, "i2": 74},
            ["o1", "o2"],
            ["o1", "o2", "i1", "i2"],
            [20.0, 10.0],
            (),
            3.0,
            2,
        ),
        # a targeted code missing in the later year is reported, not guessed
        ({"o1": 0, "o9": 10}, {"o1": 100}, ["o1", "o9"], [], [100.0], ("o9",), None, 0),
        # a code named twice counts once; a comparison code without both years is skipped
        (
            {"e1": 90, "e2": 80},
            {"e1": 85, "e2": 90, "e3": 70},
            ["e1", "e1"],
            ["e2", "e3"],
            [-5.0],
            (),
            10.0,
            1,
        ),
    ],
)
def test_effect(
    before: dict[str, float],
    after: dict[str, float],
    targeted: list[str],
    comparison: list[str],
    changes: list[float],
    missing: tuple[str, ...],
    untargeted: float | None,
    n: int,
) -> None:
    found = effects.effect(before, after, targeted, comparison)
    assert [c.change for c in found.targeted] == changes
    assert found.missing == missing
    assert found.untargeted_mean == untargeted
    assert found.untargeted_n == n


def test_difference_is_targeted_mean_less_untargeted_mean() -> None:
    found = effects.effect(
        {"a1": 50, "a2": 50, "b1": 50}, {"a1": 70, "a2": 60, "b1": 55}, ["a1", "a2"], ["b1"]
    )
    assert found.targeted_mean == 15.0
    assert found.difference == 10.0
    assert effects.effect({}, {}, ["a1"], []).difference is None


def _obs(key: str, agency: int, change: float, diff: float | None) -> Observation:
    return Observation(key, agency, change, diff)


def test_gains_count_agencies_and_withhold_small_groups() -> None:
    rows = [_obs("m1", a, 10.0 + a, 5.0) for a in range(5)]
    rows += [_obs("m1", 0, 20.0, 15.0)]  # agency 0 twice: its mean counts once
    rows += [_obs("m2", a, 4.0, 8.0) for a in range(6)]
    rows += [_obs("m3", a, 50.0, 50.0) for a in range(4)]  # four agencies: withheld
    found = {g.key: g for g in effects.gains(rows)}
    assert found["m1"].n == 5
    assert found["m1"].mean_change == pytest.approx((15.0 + 11 + 12 + 13 + 14) / 5)
    assert found["m1"].mean_difference == pytest.approx((10.0 + 5 * 4) / 5)
    assert found["m3"].n == 4 and not found["m3"].shown and found["m3"].mean_difference is None
    order = [g.key for g in effects.gains(rows)]
    assert order == ["m2", "m1", "m3"]  # 8.0 beyond untargeted before 6.0; withheld last


def test_gains_without_enough_untargeted_figures_show_the_change_only() -> None:
    rows = [_obs("m1", a, 3.0, None if a else 1.0) for a in range(5)]
    (g,) = effects.gains(rows)
    assert g.shown and g.mean_change == 3.0
    assert g.mean_difference is None and g.n_difference == 1


def test_untargeted_leaves_out_targeted_items_and_the_indicators_holding_them() -> None:
    from openita import frameworks

    fw = frameworks.get("ita-2565")
    ind = fw.indicators[0]
    first, *rest = [i.code for i in ind.all_items]
    items, indicators = effects.untargeted(fw, [first, fw.indicators[1].code])
    assert first not in items and set(rest) <= set(items)
    assert not {i.code for i in fw.indicators[1].all_items} & set(items)
    assert ind.code not in indicators and fw.indicators[1].code not in indicators
    assert fw.indicators[2].code in indicators
    assert len(items) == len(fw.items) - 1 - len(fw.indicators[1].all_items)
