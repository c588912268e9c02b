"""Raw answers -> item scores: sub-items, reversed items, yes/no items, labels."""

from __future__ import annotations

import pytest

from openita import engine

CASES = [
    # (answers of each respondent, item, expected score)
    ([{"i2": 4}], "i2", 100.0),
    ([{"i2": 1}, {"i2": 4}], "i2", 50.0),
    ([{"i2": "มาก"}], "i2", 67.0),
    ([{"i9": 1}], "i9", 100.0),  # reversed: "least" is the best answer
    ([{"i9": 4}], "i9", 0.0),
    ([{"i1.1": 4, "i1.2": 3}], "i1", 83.5),  # mean of sub-items
    ([{"i11.1": 4, "i11.2": 4}], "i11", 50.0),  # second sub-item reversed
    ([{"i4.1": 1, "i4.2": 2, "i4.3": 2}], "i4", 200 / 3),  # มี (1) = 0, ไม่มี (2) = 100
    ([{"i26.1": 1, "i26.2": 1}], "i26", 100.0),  # มี = 100 here
    ([{"e4.1": "ไม่เคย", "e4.2": "ไม่เคย", "e4.3": "เคย"}], "e4", 200 / 3),
    ([{"e3": 4}, {"e3": 2}], "e3", (0 + 67) / 2),  # reversed
    ([{"i2": 3}, {"i2": ""}, {"i2": None}], "i2", 67.0),  # blanks are skipped
]


@pytest.mark.parametrize(("respondents", "code", "expected"), CASES)
def test_item_score(fw2565, respondents, code, expected):
    scores, counts = engine.item_scores(fw2565, respondents)
    assert scores[code] == pytest.approx(expected)
    assert counts[code] == len(
        [r for r in respondents if any(v not in (None, "") for v in r.values())]
    )


BAD = [
    ({"i1": 3}, "i1 has 2 sub-items"),
    ({"i2.1": 3}, "i2 has no sub-items"),
    ({"i1.3": 3}, "i1 has only 2 sub-items"),
    ({"i2": 5}, "answer 5 is not an option"),
    ({"i2": "ดีมาก"}, "answer 'ดีมาก' is not an option"),
    ({"o1": 1}, "checklist tool"),
    ({"z9": 1}, "unknown answer code 'z9'"),
]


@pytest.mark.parametrize(("answers", "message"), BAD)
def test_bad_answers(fw2565, answers, message):
    with pytest.raises(engine.ScoringError) as info:
        engine.item_scores(fw2565, [{"i2": 1}, answers])
    assert [p.respondent for p in info.value.problems] == [1]
    assert message in info.value.problems[0].message


def test_answer_keys_cover_every_survey_item(fw2565):
    keys = engine.answer_keys(fw2565)
    assert {k.item.code for k in keys.values()} == {
        i.code for t in fw2565.tools if t.kind == "survey" for i in t.items
    }
    assert "i1.2" in keys and "i1" not in keys and "i2" in keys
