"""The figures of a result computed once, when it is saved, so lists and views across
thousands of agencies read columns instead of rescoring every year on every request.

``Assessment.scores`` stays the truth (what was given); these are derived from it by the engine
(as published: NACC's figures win where given) and carry the framework fingerprint they were
computed under, so a corrected framework finds the stale ones (``stale_assessments``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from openita import engine, frameworks
from openita.engine import batch
from openita.engine.rounding import published

if TYPE_CHECKING:
    from openita.web.results.models import Assessment


@dataclass(frozen=True)
class StoredFigures:
    total: Decimal
    rating: str  # the band's code (AA, A, …)
    level: str  # the qualitative level's code, "" before FY2567
    passed: bool
    figures: dict[str, float]  # tools and indicators as printed
    key: str  # the framework fingerprint they were computed under


# id(framework) -> (framework, fingerprint); holding the framework keeps its id from being reused.
_FINGERPRINTS: dict[int, tuple[frameworks.Framework, str]] = {}


def fingerprint(framework: frameworks.Framework) -> str:
    """Identifies a framework's content: id, version and a hash of everything in it."""
    known = _FINGERPRINTS.get(id(framework))
    if known is not None and known[0] is framework:
        return known[1]
    digest = hashlib.sha256(framework.model_dump_json().encode()).hexdigest()[:16]
    key = f"{framework.id}@{framework.version}:{digest}"
    _FINGERPRINTS[id(framework)] = (framework, key)
    return key


def from_result(result: engine.Result) -> StoredFigures:
    shown = engine.official(result)
    fw = shown.framework
    codes = [t.code for t in fw.tools] + [i.code for t in fw.tools for i in t.indicators]
    figures = {c: published(shown.scores[c]) for c in codes if c in shown.scores}
    return StoredFigures(
        total=Decimal(f"{published(shown.total):.2f}"),
        rating=shown.band.code,
        level=shown.qualitative.code if shown.qualitative is not None else "",
        passed=shown.passed,
        figures=figures,
        key=fingerprint(fw),
    )


def from_batch(
    found: batch.Figures | None, framework: frameworks.Framework
) -> StoredFigures | None:
    """The stored figures of one row scored by ``engine.batch`` (None stays None)."""
    if found is None:
        return None
    return StoredFigures(
        total=Decimal(f"{found.total:.2f}"),
        rating=found.band,
        level=found.level,
        passed=found.passed,
        figures=found.figures,
        key=fingerprint(framework),
    )


def compute(framework_id: str, scores: dict[str, float], fiscal_year: int) -> StoredFigures:
    """Raises FrameworkNotFound/FrameworkInvalid or engine.ScoringError like scoring does."""
    framework = frameworks.get(framework_id)
    given = {str(k): float(v) for k, v in scores.items()}
    return from_result(engine.score(framework, given, fiscal_year=fiscal_year))


FIELDS = ("total", "rating", "level", "passed", "figures", "figures_key")


def apply(assessment: Assessment, stored: StoredFigures | None) -> None:
    """Set the stored columns (all empty when the result cannot be scored now)."""
    if stored is None:
        assessment.total = None
        assessment.rating = ""
        assessment.level = ""
        assessment.passed = None
        assessment.figures = {}
        assessment.figures_key = ""
        return
    assessment.total = stored.total
    assessment.rating = stored.rating
    assessment.level = stored.level
    assessment.passed = stored.passed
    assessment.figures = stored.figures
    assessment.figures_key = stored.key


def refresh(assessment: Assessment) -> None:
    """Recompute the stored columns from the assessment's scores and framework."""
    try:
        stored = compute(assessment.framework_id, assessment.scores, assessment.fiscal_year)
    except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid, engine.ScoringError):
        stored = None
    apply(assessment, stored)
