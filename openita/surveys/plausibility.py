"""Signs that a public (EIT) response was not given by a person reading the questions:
answered faster than a person can read, or every answer the same although the form mixes
positive and reversed questions. A suspicious response is held for review, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# A person needs about this long to read a short Thai question and tick an answer.
MIN_SECONDS_PER_QUESTION = 1.5
MIN_ANSWERS_FOR_STRAIGHT_LINE = 8


@dataclass(frozen=True)
class Verdict:
    suspicious: bool
    reasons: tuple[str, ...]


def judge(answers: Mapping[str, int], seconds: float | None) -> Verdict:
    reasons = []
    n = len(answers)
    if seconds is not None and n and seconds < n * MIN_SECONDS_PER_QUESTION:
        reasons.append(f"ตอบ {n} ข้อใน {seconds:.0f} วินาที เร็วกว่าที่คนอ่านได้")
    if n >= MIN_ANSWERS_FOR_STRAIGHT_LINE and len(set(answers.values())) == 1:
        reasons.append(f"ทุกข้อตอบตัวเลือกเดียวกัน ({n} ข้อ)")
    return Verdict(bool(reasons), tuple(reasons))
