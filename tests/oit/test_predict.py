"""The predicted OIT score and total from the checklist, against scoring the same items."""

from __future__ import annotations

import pytest

from openita import frameworks
from openita.engine import score
from openita.oit.predict import predict


@pytest.mark.parametrize("fw_id", sorted(frameworks.available()))
def test_prediction_is_the_engine_score_of_the_same_items(fw_id: str) -> None:
    fw = frameworks.get(fw_id)
    oit = next(t for t in fw.tools if t.kind == "checklist")
    codes = [i.code for i in oit.items]
    ready = {c: n % 5 != 0 for n, c in enumerate(codes)}  # every fifth item missing
    others = {"IIT": 91.0, "EIT": 80.5}
    got = predict(fw, ready, others)
    expected = score(fw, {**others, **{c: 100.0 if r else 0.0 for c, r in ready.items()}})
    assert got.oit == pytest.approx(expected.scores[oit.code])
    assert got.total == pytest.approx(expected.total)
    assert got.rating == expected.band.code
    assert (got.ready, got.items) == (sum(ready.values()), len(codes))
    assert {w.code for w in got.missing} == {c for c, r in ready.items() if not r}
    # Fixing the most valuable missing item raises the total by exactly its worth.
    best = got.missing[0]
    after = predict(fw, {**ready, best.code: True}, others)
    assert after.total is not None and got.total is not None
    assert after.total - got.total == pytest.approx(best.points)
    assert [w.points for w in got.missing] == sorted((w.points for w in got.missing), reverse=True)


def test_without_survey_figures_only_the_oit_score(fw2565: frameworks.Framework) -> None:
    oit = next(t for t in fw2565.tools if t.kind == "checklist")
    all_ready = {i.code: True for i in oit.items}
    assert predict(fw2565, all_ready).oit == pytest.approx(100)
    one_missing = predict(fw2565, {**all_ready, "o12": False})
    assert one_missing.total is None and one_missing.rating is None
    assert not one_missing.of_total
    # o12 is one of 8 items of sub-indicator 9.2, one of five of indicator 9, one of two of OIT.
    assert one_missing.missing[0].points == pytest.approx(100 / 8 / 5 / 2)
    assert one_missing.oit == pytest.approx(100 - 100 / 8 / 5 / 2)


def test_seed003_lost_o12_and_o20(
    fw2565: frameworks.Framework, seed_items: dict[str, float]
) -> None:
    # Seed 003: every OIT item published but o12 and o20; IIT and EIT as NACC published them.
    ready = {c: v == 100 for c, v in seed_items.items() if c.startswith("o")}
    got = predict(fw2565, ready, {"IIT": 93.10, "EIT": 78.86})
    assert round(got.oit, 2) == 97.32
    # o20 is one of 7 items of 9.3, o12 one of 8 of 9.2: o20 is worth more, so it comes first.
    assert [w.code for w in got.missing] == ["o20", "o12"]
    assert got.missing[0].points == pytest.approx(0.4 * 100 / 7 / 5 / 2)
    assert round(sum(w.points for w in got.missing), 2) == round(0.4 * (100 - got.oit), 2)
