"""Properties of the roll-up (hypothesis): bounded, monotone, weights respected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openita import engine, frameworks

FW = frameworks.get("ita-2565")
CODES = [i.code for i in FW.items]
score = st.floats(min_value=0, max_value=100, allow_nan=False)
all_items = st.fixed_dictionaries({c: score for c in CODES})


@settings(max_examples=60, deadline=None)
@given(all_items)
def test_total_is_bounded(items):
    result = engine.score(FW, items)
    assert 0 <= result.total <= 100 + 1e-9
    for value in result.scores.values():
        assert -1e-9 <= value <= 100 + 1e-9


@settings(max_examples=60, deadline=None)
@given(all_items, st.sampled_from(CODES), st.floats(min_value=0, max_value=100))
def test_total_is_monotone_in_every_item(items, code, bump):
    before = engine.score(FW, items).total
    raised = dict(items, **{code: min(100.0, items[code] + bump)})
    assert engine.score(FW, raised).total >= before - 1e-9


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
)
def test_weights_respected(iit, eit, oit):
    """A tool at x contributes weight * x: IIT 30 %, EIT 30 %, OIT 40 %."""
    result = engine.score(FW, {"IIT": iit, "EIT": eit, "OIT": oit})
    assert result.total == pytest.approx(0.3 * iit + 0.3 * eit + 0.4 * oit, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(all_items)
def test_coefficients_reproduce_the_total(items):
    """The total is linear in the items: sum of coefficient * score equals the total."""
    result = engine.score(FW, items)
    coefs = engine.coefficients(result)
    assert set(coefs) == set(CODES)
    assert sum(coefs.values()) == pytest.approx(1.0)
    assert sum(c * items[k] for k, c in coefs.items()) == pytest.approx(result.total)
