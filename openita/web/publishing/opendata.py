"""The measures of a plan version as open data: CSV (UTF-8 with BOM, for Excel) and JSON.

Both come from the published version's content only, so they say exactly what the published
documents say. The JSON schema is ``openita-open-plan/1`` (docs/publishing.md):

    {"format": "openita-open-plan/1", "agency": {...}, "fiscal_year": 2566,
     "subject": "plan", "version": 3, "approved_at": "...", "published_at": "...",
     "measures": [{"id", "group", "title", "steps": [...], "unit", "deadline",
                   "deadline_be", "rounds": [6, 12], "addresses": [...],
                   "progress": {"6": {"status", "status_th", "percent", "done",
                                      "outcome", "carried_from"}, "12": {...}}}]}
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from openita.plans import rounds
from openita.plans.schema import STATUS_TH, Measure, Plan
from openita.text import thai
from openita.web.ui.cells import safe_cell

FORMAT = "openita-open-plan/1"
ROUNDS = (6, 12)
ROUND_FIELDS = ("status", "status_th", "percent", "done", "outcome", "carried_from")
NOT_REPORTED = "not_reported"  # nothing entered in this round nor an earlier one
COLUMNS = [
    "measure_id",
    "group",
    "title",
    "steps",
    "unit",
    "deadline",
    "deadline_be",
    "rounds",
    "addresses",
    *(f"round{r}_{f}" for r in ROUNDS for f in ROUND_FIELDS),
]


def _progress(measure: Measure, months: int) -> dict[str, Any] | None:
    """The measure's progress in a round as the published report prints it: carried forward
    from an earlier round when this one has nothing (``openita.plans.rounds``), or
    ``not_reported`` when no round has anything. None when it does not report in that round."""
    if months not in measure.rounds:
        return None
    found = rounds.round_progress(measure, months)
    if found.missing:
        return {
            "status": NOT_REPORTED,
            "status_th": "ยังไม่ได้รายงานผล",
            "percent": 0,
            "done": "",
            "outcome": "",
            "carried_from": None,
        }
    p = found.progress
    return {
        "status": p.status,
        "status_th": STATUS_TH[p.status],
        "percent": 100 if p.status == "done" else p.percent,
        "done": p.done,
        "outcome": p.outcome,
        "carried_from": found.source if found.carried else None,
    }


def measure_record(measure: Measure, rounds: tuple[int, ...] = ROUNDS) -> dict[str, Any]:
    """The measure as open data; progress only of ``rounds`` (those whose report is approved)."""
    progress = {str(r): p for r in rounds if (p := _progress(measure, r)) is not None}
    return {
        "id": measure.id,
        "group": measure.group,
        "title": measure.title,
        "steps": list(measure.steps),
        "unit": measure.unit,
        "deadline": measure.deadline.isoformat(),
        "deadline_be": thai.format_date(measure.deadline),
        "rounds": list(measure.rounds),
        "addresses": list(measure.addresses),
        "progress": progress,
    }


def plan_csv(plan: Plan, rounds: tuple[int, ...] = ROUNDS) -> bytes:
    """One row per measure; steps one per line inside their cell, lists joined by "; ". Only
    the progress of ``rounds`` is filled; cells that would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for measure in plan.measures:
        record = measure_record(measure, rounds)
        row: list[Any] = [
            record["id"],
            record["group"],
            record["title"],
            "\n".join(record["steps"]),
            record["unit"],
            record["deadline"],
            record["deadline_be"],
            "; ".join(str(r) for r in record["rounds"]),
            "; ".join(record["addresses"]),
        ]
        for months in ROUNDS:
            progress = record["progress"].get(str(months))
            row += [
                "" if not progress or progress[f] is None else progress[f] for f in ROUND_FIELDS
            ]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def plan_json(
    plan: Plan,
    *,
    subject: str,
    version: int,
    approved_at: dt.datetime | None,
    published_at: dt.datetime,
    rounds: tuple[int, ...] = ROUNDS,
) -> bytes:
    data = {
        "format": FORMAT,
        "agency": {
            "name": plan.agency.name,
            "type": plan.agency.type,
            "district": plan.agency.district,
            "province": plan.agency.province,
        },
        "fiscal_year": plan.fiscal_year,
        "subject": subject,
        "version": version,
        "approved_at": approved_at.isoformat() if approved_at else None,
        "published_at": published_at.isoformat(),
        "measures": [measure_record(m, rounds) for m in plan.measures],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
