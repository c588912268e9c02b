"""The ITA engine: pure functions, no I/O, no Django.

``score`` turns scores at any level into a Result; ``item_scores`` turns raw answers into
item scores; ``analyze`` turns a Result and earlier years into findings and an uplift plan.
"""

from openita.engine.analysis import (
    Analysis,
    Headline,
    Mismatch,
    QualitativeReason,
    Scored,
    Shortfall,
    Trend,
    analyze,
)
from openita.engine.answers import answer_keys, item_scores
from openita.engine.errors import Problem, ScoringError
from openita.engine.scoring import TOTAL, Result, coefficients, official, score
from openita.engine.uplift import Fix, Target, Uplift

__all__ = [
    "TOTAL",
    "Analysis",
    "Fix",
    "Headline",
    "Mismatch",
    "Problem",
    "QualitativeReason",
    "Result",
    "Scored",
    "ScoringError",
    "Shortfall",
    "Target",
    "Trend",
    "Uplift",
    "analyze",
    "answer_keys",
    "coefficients",
    "item_scores",
    "official",
    "score",
]
