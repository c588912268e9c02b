"""Headline-only years (a stated total, no indicators) in the trend: shown, never scored."""

from __future__ import annotations

from openita import engine, frameworks
from openita.engine import TOTAL, Headline

INDICATORS = {
    "ind1": 95.21, "ind2": 92.11, "ind3": 94.38, "ind4": 91.96, "ind5": 91.82,
    "ind6": 81.03, "ind7": 76.92, "ind8": 78.64, "ind9": 94.64, "ind10": 100.0,
}  # fmt: skip


def scored(year: int, shift: float = 0.0) -> engine.Result:
    fw = frameworks.get("ita-2565")
    return engine.score(fw, {c: v - shift for c, v in INDICATORS.items()}, fiscal_year=year)


def test_headline_years_stand_in_the_trend_with_their_total_only():
    current, before = scored(2565), scored(2563, shift=5)
    heads = [Headline(2564, 85.29, "A", "news.txt:3"), Headline(2562, 70.0, "C")]
    trend = engine.analyze(current, [before], heads).trend
    assert trend is not None
    assert trend.years == ("2562", "2563", "2564", "2565")
    assert trend.headline_years == frozenset({"2562", "2564"})
    assert trend.series[TOTAL][0] == 70.0 and trend.series[TOTAL][2] == 85.29
    assert trend.series["ind1"][2] is None and trend.series["IIT"][0] is None
    assert round(trend.change[TOTAL], 2) == round(current.total - 85.29, 2)
    assert "ind1" not in trend.change  # no indicators the year before: no indicator change


def test_headlines_alone_make_a_trend_and_never_replace_a_scored_year():
    current, before = scored(2565), scored(2564, shift=2)
    assert engine.analyze(current).trend is None
    alone = engine.analyze(current, [], [Headline(2564, 88.0)]).trend
    assert alone is not None and alone.years == ("2564", "2565")
    both = engine.analyze(current, [before], [Headline(2564, 10.0), Headline(2566, 99.0)]).trend
    assert both is not None and both.years == ("2564", "2565")  # later headlines left out
    assert both.series[TOTAL][0] == before.total and not both.headline_years


def test_a_headline_year_is_not_analysed():
    analysis = engine.analyze(scored(2565), [], [Headline(2564, 50.0)])
    assert not analysis.mismatches  # a stated total without parts is nothing to check
    assert analysis.ranking[0].code == "ind10"
