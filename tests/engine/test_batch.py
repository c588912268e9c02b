"""Batch scoring (engine.batch) gives the figures of scoring one by one, to the cent."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openita import engine, frameworks
from openita.engine import batch
from openita.engine.rounding import published

FRAMEWORKS = [frameworks.get(f"ita-{y}") for y in (2565, 2567, 2569)]


def one_by_one(fw, rows, year):
    out = []
    for row in rows:
        try:
            out.append(batch.figures_of(engine.score(fw, row, fiscal_year=year)))
        except engine.ScoringError:
            out.append(None)
    return out


def item_row(fw):
    """Item scores as officers give them: two decimals, OIT items 0 or 100."""
    fields = {}
    for tool in fw.tools:
        for item in tool.items:
            if tool.scoring == "all_or_nothing":
                fields[item.code] = st.sampled_from([0.0, 100.0])
            else:
                fields[item.code] = st.integers(0, 10000).map(lambda c: c / 100)
    return st.fixed_dictionaries(fields)


@st.composite
def rows_of(draw, fw):
    rows = draw(st.lists(item_row(fw), min_size=1, max_size=12))
    # Some rows given otherwise: a claimed total, a tool given instead of its items, a
    # missing item, a bad value; they fall back to one-by-one scoring and must agree too.
    for n, row in enumerate(rows):
        kind = draw(st.sampled_from(["items"] * 4 + ["claim", "tool", "missing", "bad"]))
        if kind == "claim":
            rows[n] = {**row, engine.TOTAL: draw(st.integers(0, 10000)) / 100}
        elif kind == "tool":
            tool = fw.tools[0]
            kept = {c: v for c, v in row.items() if fw.tool_of(c) != tool.code}
            rows[n] = {**kept, tool.code: draw(st.integers(0, 10000)) / 100}
        elif kind == "missing":
            rows[n] = {c: v for c, v in row.items() if c != fw.items[0].code}
        elif kind == "bad":
            rows[n] = {**row, fw.items[0].code: 101.0}
    return rows


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_batch_equals_one_by_one(data):
    fw = data.draw(st.sampled_from(FRAMEWORKS))
    year = fw.fiscal_years[0]
    rows = data.draw(rows_of(fw))
    assert batch.score_many(fw, rows, fiscal_year=year) == one_by_one(fw, rows, year)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_any_float_items_agree(data):
    """Not only two-decimal input: any floats in 0-100 (OIT 0/100) agree to the cent."""
    fw = data.draw(st.sampled_from(FRAMEWORKS))
    score = st.floats(min_value=0, max_value=100, allow_nan=False)
    fields = {
        i.code: st.sampled_from([0.0, 100.0]) if t.scoring == "all_or_nothing" else score
        for t in fw.tools
        for i in t.items
    }
    rows = data.draw(st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=6))
    assert batch.score_many(fw, rows) == one_by_one(fw, rows, None)


def test_half_cent_ties_are_rounded_up_as_published():
    """Two IIT items at 84.99 and 85.00 average exactly 84.995: printed 85.00, not 84.99."""
    fw = FRAMEWORKS[0]
    base = {
        i.code: (100.0 if t.scoring == "all_or_nothing" else 90.0)
        for t in fw.tools
        for i in t.items
    }
    ind = fw.tools[0].indicators[0]
    items = [i.code for i in ind.all_items]
    rows = []
    for spread in range(4):
        row = dict(base)
        for n, code in enumerate(items):
            row[code] = 84.99 if n % 2 == 0 else 85.0
        if len(items) % 2:
            row[items[-1]] = 84.995 + spread / 1000
        rows.append(row)
    got = batch.score_many(fw, rows)
    assert got == one_by_one(fw, rows, None)
    assert got[0] is not None and got[0].figures[ind.code] in (85.0, 84.99)


def test_vectorised_path_is_taken_and_matches_a_plain_rollup():
    fw = FRAMEWORKS[2]
    rng = np.random.default_rng(1)
    codes = batch.item_codes(fw)
    aon = {i.code for t in fw.tools if t.scoring == "all_or_nothing" for i in t.items}
    matrix = np.array(
        [
            [
                100.0 * (rng.random() < 0.8) if c in aon else round(rng.uniform(50, 100), 2)
                for c in codes
            ]
            for _ in range(200)
        ]
    )
    got = batch.score_items(fw, matrix)
    assert got.ok.all()  # two-decimal items: no row needs the one-by-one path
    rows = [dict(zip(codes, r, strict=True)) for r in matrix.tolist()]
    expected = one_by_one(fw, rows, None)
    for r in np.flatnonzero(got.ok):
        assert got.total[r] == expected[r].total
        assert fw.bands[got.band[r]].code == expected[r].band


def test_rows_the_engine_refuses_are_none():
    fw = FRAMEWORKS[0]
    assert batch.score_many(fw, [{"nonsense": 1.0}, {}]) == [None, None]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_roll_up_is_the_engines_bit_for_bit(data):
    """Every node's full-precision value equals engine.score's exactly (sums rounded once)."""
    fw = data.draw(st.sampled_from(FRAMEWORKS))
    rows = data.draw(st.lists(item_row(fw), min_size=1, max_size=8))
    codes = batch.item_codes(fw)
    rolled = batch.roll_up(fw, np.array([[r[c] for c in codes] for r in rows]))
    for n, row in enumerate(rows):
        if rolled.unsure[n]:
            continue
        result = engine.score(fw, row)
        got = dict(zip(rolled.codes, rolled.values[:, n].tolist(), strict=True))
        assert {c: got[c] for c in result.scores if c != engine.TOTAL} == {
            c: v for c, v in result.scores.items() if c != engine.TOTAL
        }
        assert rolled.total[n] == result.total


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=0, max_value=100, allow_nan=False),
        st.integers(0, 20000).map(lambda k: k / 200),  # half cents and their neighbours
        st.integers(0, 20000).map(lambda k: np.nextafter(k / 200, 0)),
        st.integers(0, 20000).map(lambda k: np.nextafter(k / 200, 200)),
    )
)
def test_vectorised_rounding_is_published(value):
    got = batch._published(np.array([value], dtype=np.float64))[0]
    assert got == published(float(value))
