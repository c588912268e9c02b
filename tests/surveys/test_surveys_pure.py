"""The survey's pure parts: the form from the framework, codes, plausibility, samples, results."""

from __future__ import annotations

import random

import pytest

from openita import engine, frameworks
from openita.engine.rounding import published
from openita.surveys import codes, forms, plausibility, results, samples


@pytest.fixture(scope="module")
def fw() -> frameworks.Framework:
    found = frameworks.for_year(2569)
    assert found is not None
    return found


@pytest.mark.parametrize(("tool", "sections"), [("IIT", 5), ("EIT", 3)])
def test_the_form_has_a_section_per_indicator_and_every_answer_key(
    fw: frameworks.Framework, tool: str, sections: int
) -> None:
    form = forms.build(fw, tool)
    assert len(form.sections) == sections
    assert [s.indicator for s in form.sections] == [
        i.code for i in next(t for t in fw.tools if t.code == tool).indicators
    ]
    asked = {q.key for q in forms.answerable(form)}
    assert asked == set(engine.answer_keys(fw)) & {
        k
        for k in engine.answer_keys(fw)
        if engine.answer_keys(fw)[k].item.code[0] == tool[0].lower()
    }


def test_a_checklist_or_unknown_tool_is_refused_by_name(fw: frameworks.Framework) -> None:
    with pytest.raises(forms.FormError, match="OIT"):
        forms.build(fw, "OIT")
    with pytest.raises(forms.FormError, match="XYZ"):
        forms.build(fw, "XYZ")


def test_answers_are_checked_per_section(fw: frameworks.Framework) -> None:
    form = forms.build(fw, "EIT")
    first = form.sections[0]
    keys = [q.key for q in first.questions if q.options]
    answers = {k: "1" for k in keys}
    assert forms.check(form, answers, section=first.indicator) == []
    answers[keys[0]] = "9"
    del answers[keys[1]]
    answers["zz9"] = "1"
    problems = {p.key for p in forms.check(form, answers, section=first.indicator)}
    assert problems == {keys[0], keys[1], "zz9"}


def test_codes_are_single_form_and_keyed() -> None:
    made = codes.new_codes(200)
    assert len(set(made)) == 200
    code = made[0]
    assert codes.clean(code.lower().replace("-", " ")) == code
    assert codes.digest("k1", code) == codes.digest("k1", code.lower())
    assert codes.digest("k1", code) != codes.digest("k2", code)
    for bad in ("", "ABC", "ACDE-FG3O", "ACDE-FG341"):
        with pytest.raises(codes.BadCode):
            codes.clean(bad)


@pytest.mark.parametrize(
    ("answers", "seconds", "suspicious"),
    [
        ({f"e{n}": 1 + n % 3 for n in range(15)}, 120.0, False),
        ({f"e{n}": 1 + n % 3 for n in range(15)}, 8.0, True),  # faster than reading
        ({f"e{n}": 2 for n in range(15)}, 120.0, True),  # the same answer everywhere
        ({f"e{n}": 2 for n in range(3)}, 60.0, False),  # too few answers to judge a line
        ({f"e{n}": 2 for n in range(15)}, None, True),
    ],
)
def test_plausibility(answers: dict[str, int], seconds: float | None, suspicious: bool) -> None:
    verdict = plausibility.judge(answers, seconds)
    assert verdict.suspicious is suspicious
    assert bool(verdict.reasons) is suspicious


@pytest.mark.parametrize(
    ("tool", "eligible", "kind", "expected"),
    [
        ("IIT", 5, None, 5),  # fewer staff than the minimum: all of them
        ("IIT", 20, None, 10),
        ("IIT", 100, None, 30),
        ("IIT", None, None, 10),
        ("EIT", None, "sao", 30),
        ("EIT", None, "city", 100),
        ("EIT", None, "unknown-kind", 30),
    ],
)
def test_target_samples_come_from_data(
    tool: str, eligible: int | None, kind: str | None, expected: int
) -> None:
    assert samples.target(tool, eligible=eligible, kind=kind) == expected
    assert samples.rules().status == "provisional"


def _respondents(form: forms.Form, n: int, seed: int) -> list[dict[str, int]]:
    rng = random.Random(seed)
    return [
        {q.key: rng.randint(1, len(q.options)) for q in forms.answerable(form)} for _ in range(n)
    ]


def test_results_hide_every_breakdown_under_the_floor(fw: frameworks.Framework) -> None:
    form = forms.build(fw, "EIT")
    few = results.summarise(fw, "EIT", _respondents(form, samples.privacy_floor() - 1, 1))
    assert not few.shown and few.tool_score is None
    assert all(r.own is None for r in (*few.items, *few.indicators))


def test_results_agree_with_the_engine(fw: frameworks.Framework) -> None:
    form = forms.build(fw, "EIT")
    answers = _respondents(form, 12, 2)
    s = results.summarise(fw, "EIT", answers)
    scores, _counts = engine.item_scores(fw, answers)
    given = {**scores, "IIT": 0.0, "OIT": 0.0}
    whole = engine.score(fw, given)
    assert s.shown and s.respondents == 12
    assert s.tool_score == published(whole.scores["EIT"])
    for row in s.indicators:
        assert row.own == published(whole.scores[row.code])
    e1 = next(r for r in s.items if r.code == "e1")
    assert e1.n == 12 and e1.own == published(scores["e1"])


def test_results_compare_with_the_national_result(fw: frameworks.Framework) -> None:
    form = forms.build(fw, "EIT")
    national = engine.score(fw, {"IIT": 90.0, "OIT": 90.0, **{f"e{n}": 80.0 for n in range(1, 16)}})
    s = results.summarise(fw, "EIT", _respondents(form, 8, 3), national)
    row = next(r for r in s.items if r.code == "e2")
    assert row.national == 80.0 and row.own is not None
    assert row.change == pytest.approx(round(row.own - 80.0, 2))
    assert s.national_tool == pytest.approx(80.0)
