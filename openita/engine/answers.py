"""Raw answers of respondents -> item scores.

A respondent is a mapping from an answer key to the chosen option. The key is the item code
(``i2``) for an item without sub-items, or the item code, a dot and the 1-based sub-item number
(``i1.2``) for a sub-item. The chosen option is its 1-based number in the order the form prints
the options, or its exact label (``มากที่สุด``). A missing or blank answer is skipped.

Scoring: a respondent's item score is the mean of the points of the sub-items they answered;
the item score is the mean over the respondents who answered it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openita.engine.errors import Problem, ScoringError
from openita.frameworks.schema import Framework, Item, Scale

Answer = int | str | None


@dataclass(frozen=True)
class AnswerKey:
    item: Item
    sub_index: int | None  # 0-based, None for an item without sub-items


def answer_keys(framework: Framework) -> dict[str, AnswerKey]:
    """Every key a respondent may answer, in form order."""
    keys: dict[str, AnswerKey] = {}
    for tool in framework.tools:
        if tool.kind != "survey":
            continue
        for item in tool.items:
            if item.sub_items:
                for n in range(len(item.sub_items)):
                    keys[f"{item.code}.{n + 1}"] = AnswerKey(item, n)
            else:
                keys[item.code] = AnswerKey(item, None)
    return keys


def option_index(scale: Scale, answer: int | str) -> int | None:
    """0-based option index of an answer given as a 1-based number or a label."""
    if isinstance(answer, int) and not isinstance(answer, bool):
        return answer - 1 if 1 <= answer <= len(scale.options) else None
    text = str(answer).strip()
    if text.isdigit():
        return option_index(scale, int(text))
    labels = [o.label for o in scale.options]
    return labels.index(text) if text in labels else None


def _points(framework: Framework, key: AnswerKey, answer: int | str) -> float | None:
    assert key.item.scale is not None  # survey items always have a scale (framework rules)
    scale = framework.scale(key.item.scale)
    index = option_index(scale, answer)
    if index is None:
        return None
    item, sub = key.item, key.sub_index
    flip = item.reversed if sub is None else item.sub_item_reversed(sub)
    return scale.points(index, reversed_=flip)


def _describe_options(framework: Framework, key: AnswerKey) -> str:
    assert key.item.scale is not None
    labels = [o.label for o in framework.scale(key.item.scale).options]
    return f"1-{len(labels)} or one of: " + ", ".join(labels)


def item_scores(
    framework: Framework, respondents: Sequence[Mapping[str, Answer]]
) -> tuple[dict[str, float], dict[str, int]]:
    """Item scores and the number of respondents behind each; ScoringError on bad answers."""
    keys = answer_keys(framework)
    problems: list[Problem] = []
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for r, answers in enumerate(respondents):
        per_item: dict[str, list[float]] = {}
        for raw_key, answer in answers.items():
            code = raw_key.strip().lower()
            if answer is None or (isinstance(answer, str) and not answer.strip()):
                continue
            key = keys.get(code)
            if key is None:
                problems.append(Problem(_unknown_key(framework, code), code, r))
                continue
            points = _points(framework, key, answer)
            if points is None:
                options = _describe_options(framework, key)
                message = f"{code}: answer {answer!r} is not an option ({options})"
                problems.append(Problem(message, code, r))
                continue
            per_item.setdefault(key.item.code, []).append(points)
        for code, values in per_item.items():
            sums[code] = sums.get(code, 0.0) + sum(values) / len(values)
            counts[code] = counts.get(code, 0) + 1
    if problems:
        raise ScoringError(problems)
    return {code: sums[code] / counts[code] for code in sums}, counts


def _unknown_key(framework: Framework, code: str) -> str:
    item = framework.item(code.split(".")[0])
    if item is None:
        return f"unknown answer code '{code}' in framework {framework.id}"
    if item.sub_items and "." not in code:
        return (
            f"{code} has {len(item.sub_items)} sub-items: answer them as "
            f"{code}.1 … {code}.{len(item.sub_items)}"
        )
    if not item.sub_items and "." in code:
        return f"{item.code} has no sub-items: answer it as {item.code}"
    if item.sub_items:
        return f"{item.code} has only {len(item.sub_items)} sub-items, not '{code}'"
    return f"{code} is an item of a checklist tool: give its score, not an answer"
