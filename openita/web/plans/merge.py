"""Merge an edit started from an older version with the newer one a colleague saved.

Three plans: ``origin`` (the version the user opened), ``theirs`` (the newer current version)
and ``mine`` (``origin`` with what the user typed). Measure by measure: what only one side
changed is taken from that side; what both changed to the same thing is kept once; what both
changed differently is a conflict, where the user's version stays in the form and the
colleague's is shown beside it. Nothing the colleague changed on a measure the user did not
touch is ever reverted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openita.plans.schema import Measure, Plan, Progress

EDITABLE = ("title", "group", "steps", "unit", "deadline", "rounds")


@dataclass
class Merged:
    """The merged form content and what the merge did."""

    rows: list[dict[str, Any]]  # one form's values per measure, in order
    foreword: str = ""
    taken: list[str] = field(default_factory=list)  # measures taken from the colleague's version
    conflicts: dict[str, Any] = field(default_factory=dict)  # measure id -> the colleague's
    foreword_conflict: str | None = None  # the colleague's foreword, when both changed it

    @property
    def ids(self) -> list[str]:
        return [str(r.get("id") or "") for r in self.rows]


def _three_way(origin: Any, theirs: Any, mine: Any) -> tuple[Any, bool, bool]:
    """(value, taken from theirs, conflict)."""
    if mine == origin:
        return theirs, theirs != origin, False
    if theirs in (origin, mine):
        return mine, False, False
    return mine, False, True


# --- a round's progress -----------------------------------------------------------------------


def _progress(plan: Plan, months: int) -> dict[str, Progress | None]:
    return {
        m.id: (m.progress.get(months) or Progress()).model_copy(  # type: ignore[call-overload]
            update={"updated": None}
        )
        for m in plan.measures
        if months in m.rounds
    }


def merge_progress(origin: Plan, theirs: Plan, mine: Plan, months: int) -> Merged:
    """The round's progress forms after a stale save: one row per measure of ``theirs`` in the
    round (values as ``forms.progress_initial`` gives them)."""
    o, t, m = _progress(origin, months), _progress(theirs, months), _progress(mine, months)
    merged = Merged(rows=[])
    for measure_id, their in t.items():
        value, taken, conflict = _three_way(o.get(measure_id), their, m.get(measure_id, their))
        if taken:
            merged.taken.append(measure_id)
        if conflict:
            merged.conflicts[measure_id] = their
        merged.rows.append(progress_row(measure_id, value or Progress()))
    return merged


def progress_row(measure_id: str, p: Progress) -> dict[str, Any]:
    return {
        "id": measure_id,
        "status": p.status,
        "percent": 100 if p.status == "done" else p.percent,
        "done": p.done,
        "outcome": p.outcome,
        "follow_up": p.follow_up,
        "evidence": "\n".join(p.evidence),
        "reason": p.reason,
    }


# --- the plan's measures ----------------------------------------------------------------------


def _editable(m: Measure | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {name: getattr(m, name) for name in EDITABLE}


def measure_row(measure_id: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": measure_id,
        "title": values["title"],
        "group": values["group"],
        "steps": "\n".join(values["steps"]),
        "unit": values["unit"],
        "deadline": values["deadline"],
        "rounds": list(values["rounds"]),
    }


def merge_plan(origin: Plan, theirs: Plan, mine: Plan) -> Merged:
    """The plan's edit forms after a stale save: ``theirs``'s measures in order (each merged),
    then measures only the user added (with no id: they get a fresh one when saved), then
    measures the colleague removed but the user changed (kept, as the user's)."""
    o = {m.id: _editable(m) for m in origin.measures}
    t = {m.id: _editable(m) for m in theirs.measures}
    m = {x.id: _editable(x) for x in mine.measures}
    foreword, _taken, clash = _three_way(origin.foreword, theirs.foreword, mine.foreword)
    merged = Merged(rows=[], foreword=foreword)
    if clash:
        merged.foreword_conflict = theirs.foreword
    for measure_id in [*t, *(i for i in o if i not in t)]:
        # A measure the user added got an id that may equal one the colleague added: only
        # measures of the origin are the user's version of the colleague's.
        mine_value = m.get(measure_id) if measure_id in o else None
        value, taken, conflict = _three_way(o.get(measure_id), t.get(measure_id), mine_value)
        if taken:
            merged.taken.append(measure_id)
        if conflict:
            merged.conflicts[measure_id] = t.get(measure_id)
        if value is not None:
            merged.rows.append(measure_row(measure_id, value))
        elif conflict and (their := t.get(measure_id)) is not None:
            # The user removed what the colleague changed: keep theirs, ticked for removal.
            merged.rows.append({**measure_row(measure_id, their), "DELETE": True})
    for measure_id, values in m.items():
        if measure_id not in o and values is not None:
            merged.rows.append(measure_row("", values))  # added by the user
    return merged
