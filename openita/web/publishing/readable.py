"""The public page's readable view of a publication: its results, measures and progress as
text on the page (not only files), read from what was frozen when it was published: the
open-data JSON stored with it (measures and progress), and the results section of the
published plan version (versions never change). Nothing newer can appear."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from openita.plans.results import plan_analysis
from openita.web.plans.content import plan_of
from openita.web.publishing.models import FileKind, Publication, PublishedFile


@dataclass(frozen=True)
class Results:
    fiscal_year: int
    total: float
    band: str
    passed: bool


@dataclass
class Readable:
    subject: str
    months: int | None  # the round of a progress report; None for the plan
    measures: list[dict[str, Any]] = field(default_factory=list)
    results: Results | None = None


def _frozen_json(publication: Publication) -> dict[str, Any] | None:
    found = PublishedFile.objects.filter(publication=publication, kind=FileKind.JSON).first()
    if found is None:
        return None
    try:
        data = json.loads(bytes(found.data).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _results(publication: Publication) -> Results | None:
    content = publication.version.content
    if not isinstance(content, dict) or not content.get("results"):
        return None
    try:
        analysis = plan_analysis(plan_of(content))
    except Exception:
        return None
    if analysis is None:
        return None
    result = analysis.result
    year = int(content["results"]["current"]["fiscal_year"])
    return Results(year, float(result.total), str(result.band.code), bool(result.passed))


def readable(publication: Publication) -> Readable | None:
    """What the page shows of ``publication`` as text, or None when its data is unreadable."""
    data = _frozen_json(publication)
    if data is None:
        return None
    subject = str(data.get("subject") or publication.subject)
    months = int(subject.removeprefix("progress")) if subject.startswith("progress") else None
    measures = []
    for m in data.get("measures", []):
        if not isinstance(m, dict):
            continue
        progress = (m.get("progress") or {}).get(str(months)) if months else None
        if months and progress is None:
            continue  # not reporting in this round
        measures.append({**m, "round": progress})
    found = Readable(subject, months, measures)
    if months is None:
        found.results = _results(publication)
    return found
