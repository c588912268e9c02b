"""Reads about measures plans: versions, the plan of a version, the difference of two."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.model import Document
from openita.measures.catalog import directions_for
from openita.plans import rounds
from openita.plans.numbering import measure_numbers
from openita.plans.results import plan_analysis
from openita.plans.schema import Measure, Plan, Progress
from openita.text import thai
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import emblem_of, with_agency_settings
from openita.web.approvals.selectors import plan_with_decisions
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment


def plans_of(agency: Agency) -> list[MeasuresPlan]:
    return list(MeasuresPlan.objects.filter(agency=agency).order_by("-fiscal_year"))


def plan_in(agency: Agency, plan_id: int) -> MeasuresPlan:
    """The plan, if it is this agency's (a plan id of another agency is 404 too)."""
    found = MeasuresPlan.objects.filter(agency=agency, pk=plan_id).first()
    if found is None:
        raise Http404("no such plan")
    return found


def versions_of(plan: MeasuresPlan) -> list[PlanVersion]:
    """Newest first, with their authors; without their content (a plan saved fifty times would
    otherwise load fifty plans to list them): use ``current_version`` for the content."""
    return list(plan.versions.select_related("created_by").defer("content").order_by("-number"))


def current_version(plan: MeasuresPlan) -> PlanVersion:
    found = plan.versions.select_related("created_by").order_by("-number").first()
    if found is None:
        raise Http404("the plan has no version")
    return found


def version_of(plan: MeasuresPlan, number: int) -> PlanVersion:
    found = plan.versions.select_related("created_by").filter(number=number).first()
    if found is None:
        raise Http404("no such version")
    return found


def draftable_years(agency: Agency) -> list[int]:
    """The plan year the draft button offers: the one after the newest results, when it has
    no plan yet and no later plan exists (a gap left in earlier years is not offered: those
    plans were due long ago; the next year's plan starts from the current one instead)."""
    results = Assessment.objects.filter(agency=agency).values_list("fiscal_year", flat=True)
    planned = set(MeasuresPlan.objects.filter(agency=agency).values_list("fiscal_year", flat=True))
    newest = max(results, default=None)
    if newest is None or any(y >= newest + 1 for y in planned):
        return []
    return [newest + 1]


def sensible_draft(agency: Agency, fiscal_year: int) -> bool:
    """False for a year the service would draft but the button does not offer (an old gap);
    True otherwise, so the service says why a year without results or with a plan cannot be."""
    if fiscal_year in draftable_years(agency):
        return True
    planned = MeasuresPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).exists()
    before = Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year - 1).exists()
    return planned or not before


def unit_choices(agency: Agency, plan: Plan) -> list[str]:
    """The agency's units (from its list on file, else the plan's own list)."""
    names = [u.name for u in agency.units.all()] or list(plan.agency.units)
    return list(dict.fromkeys(names))


def plan_document(version: PlanVersion) -> Document:
    """The plan document of exactly this version (for the DOCX and PDF downloads)."""
    plan = plan_of(version.content)
    analysis = plan_analysis(plan)
    directions = directions_for(analysis.result.framework) if analysis else {}
    return plan_doc.build(plan, directions=directions)


# --- the difference between two versions ----------------------------------------------------

FIELDS = ("title", "group", "steps", "unit", "deadline", "rounds", "addresses", "progress")


@dataclass(frozen=True)
class FieldChange:
    name: str
    before: str
    after: str

    @cached_property
    def runs(self) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
        """Before and after as ``(text, changed)`` runs: the words taken out and put in."""
        return thai.word_diff(self.before, self.after)

    @property
    def before_runs(self) -> list[tuple[str, bool]]:
        return self.runs[0]

    @property
    def after_runs(self) -> list[tuple[str, bool]]:
        return self.runs[1]


@dataclass(frozen=True)
class MeasureChange:
    id: str
    title: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class PlanDiff:
    old: PlanVersion
    new: PlanVersion
    foreword: FieldChange | None = None
    added: list[Measure] = field(default_factory=list)
    removed: list[Measure] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    reordered: bool = False

    @property
    def empty(self) -> bool:
        return not (self.foreword or self.added or self.removed or self.changed or self.reordered)


def field_label(name: str) -> str:
    labels = {
        "title": _("มาตรการ"),
        "group": _("มาตรการหลัก"),
        "steps": _("ขั้นตอน/วิธีการปฏิบัติ"),
        "unit": _("ผู้รับผิดชอบ"),
        "deadline": _("กำหนดแล้วเสร็จ"),
        "rounds": _("รอบการรายงาน"),
        "addresses": _("ประเด็นที่แก้ไข"),
        "progress": _("ผลการดำเนินงาน"),
        "foreword": _("คำนำ"),
    }
    return labels.get(name, name)


def shown(name: str, value: Any) -> str:
    """A field's value as the diff page prints it."""
    if name == "deadline" and isinstance(value, dt.date):
        return thai.format_date(value)
    if name == "steps":
        return "\n".join(value)
    if name in ("rounds", "addresses"):
        return ", ".join(str(v) for v in value) or "-"
    if name == "progress":
        # In words: the round, the status's label (never its code), the percent, what was done.
        parts = []
        for months, p in sorted(value.items()):
            text = _("รอบ %(m)s เดือน: %(status)s %(percent)s%%") % {
                "m": months,
                "status": status_label(p.status),
                "percent": p.percent,
            }
            parts.append(f"{text} – {p.done}" if p.done else text)
        return "\n".join(parts) or "-"
    return str(value)


PROGRESS_FIELDS = ("status", "percent", "done", "outcome", "follow_up", "evidence", "reason")


def progress_label(name: str) -> str:
    labels = {
        "status": _("สถานะ"),
        "percent": _("ร้อยละความคืบหน้า"),
        "done": _("ผลการดำเนินการ"),
        "outcome": _("ผลลัพธ์/ความสำเร็จ"),
        "follow_up": _("กำกับติดตาม"),
        "evidence": _("หลักฐาน"),
        "reason": _("เหตุผลที่ยกเลิก"),
    }
    return labels.get(name, name)


def _progress_shown(name: str, value: Any) -> str:
    if name == "status":
        return status_label(str(value))
    if name == "evidence":
        return "\n".join(value) or "-"
    if name == "percent":
        return f"{value}%"
    return str(value) or "-"


def _progress_changes(old: dict[int, Progress], new: dict[int, Progress]) -> list[FieldChange]:
    """Each round's progress, field by field, in words (the updated date is left out)."""
    changes = []
    for months in sorted({*old, *new}):
        before, after = old.get(months) or Progress(), new.get(months) or Progress()
        for name in PROGRESS_FIELDS:
            a, b = getattr(before, name), getattr(after, name)
            if a != b:
                label = _("รอบ %(n)s เดือน: %(field)s") % {
                    "n": months,
                    "field": progress_label(name),
                }
                changes.append(
                    FieldChange(label, _progress_shown(name, a), _progress_shown(name, b))
                )
    return changes


def _measure_changes(old: Measure, new: Measure) -> list[FieldChange]:
    changes = []
    for name in FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if name == "progress":
            changes.extend(_progress_changes(before, after))
        elif before != after:
            changes.append(FieldChange(field_label(name), shown(name, before), shown(name, after)))
    return changes


def plan_diff(old: PlanVersion, new: PlanVersion) -> PlanDiff:
    """What changed from ``old`` to ``new``: measures (matched by id) added, removed, and
    changed field by field, and the foreword."""
    a, b = plan_of(old.content), plan_of(new.content)
    before = {m.id: m for m in a.measures}
    after = {m.id: m for m in b.measures}
    changed = []
    for m in b.measures:
        if m.id in before:
            fields = _measure_changes(before[m.id], m)
            if fields:
                changed.append(MeasureChange(m.id, m.title, fields))
    kept_a = [m.id for m in a.measures if m.id in after]
    kept_b = [m.id for m in b.measures if m.id in before]
    foreword = None
    if a.foreword != b.foreword:
        foreword = FieldChange(field_label("foreword"), a.foreword, b.foreword)
    return PlanDiff(
        old=old,
        new=new,
        foreword=foreword,
        added=[m for m in b.measures if m.id not in before],
        removed=[m for m in a.measures if m.id not in after],
        changed=changed,
        reordered=kept_a != kept_b,
    )


# --- the progress of a reporting round --------------------------------------------------------

STATUSES = ("not_started", "in_progress", "done", "dropped")


def status_label(status: str) -> str:
    labels = {
        "not_started": _("ยังไม่ดำเนินการ"),
        "in_progress": _("อยู่ระหว่างดำเนินการ"),
        "done": _("ดำเนินการแล้ว"),
        "dropped": _("ยกเลิกแล้ว"),
    }
    return labels.get(status, status)


@dataclass(frozen=True)
class RoundRow:
    measure: Measure
    progress: Progress
    overdue: bool
    state: str = "entered"  # rounds.State: entered, carried (from an earlier round), missing
    source: int | None = None  # the round the progress was entered in
    number: str = ""  # the measure's number as the documents print it (1.1, 1.2, ...)
    due: bool = False  # its deadline falls on or before the round's last day

    @property
    def late_unreported(self) -> bool:
        """Due in the round and nothing reported: the page says so (the report says only
        "not reported", as nobody said it was not started)."""
        return self.missing and self.due

    @property
    def carried(self) -> bool:
        return self.state == "carried"

    @property
    def missing(self) -> bool:
        return self.state == "missing"

    @property
    def status_label(self) -> str:
        return status_label(self.progress.status)

    @property
    def evidence(self) -> list[tuple[str, bool]]:
        """Each evidence line, and whether it is a web link (the rest are file names)."""
        return [(e, e.lower().startswith(("http://", "https://"))) for e in self.progress.evidence]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Round:
    months: int
    start: dt.date
    end: dt.date
    rows: list[RoundRow]
    summary: rounds.RoundSummary | None = None
    memo_missing: tuple[str, ...] = ()  # "date", "reference": blanks the memo will print

    @property
    def nothing_entered(self) -> bool:
        return self.summary is not None and self.summary.nothing_entered

    @property
    def nothing_new(self) -> bool:
        return self.summary is not None and self.summary.nothing_new

    @property
    def carried(self) -> int:
        return sum(1 for r in self.rows if r.carried)

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if r.missing)

    @property
    def counts(self) -> list[StatusCount]:
        return [
            StatusCount(
                s,
                status_label(s),
                sum(1 for r in self.rows if not r.missing and r.progress.status == s),
            )
            for s in STATUSES
        ]

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def round_of(plan: Plan, months: int) -> Round:
    """The measures reporting in a round with their progress; overdue as the report marks it
    (deadline on or before the round's last day, and neither done nor dropped)."""
    if months not in (6, 12):
        raise Http404("no such round")
    start, end = thai.round_period(plan.fiscal_year, months)
    numbers = measure_numbers(plan.measures)
    rows = []
    for m in rounds.measures_in(plan, months):
        found = rounds.round_progress(m, months)
        overdue = rounds.overdue(m, found, end)
        rows.append(
            RoundRow(
                m,
                found.progress,
                overdue,
                found.state,
                found.source,
                numbers[m.id],
                m.deadline <= end,
            )
        )
    return Round(
        months,
        start,
        end,
        rows,
        rounds.summary(plan, months),
        tuple(rounds.memo_missing(plan, months)),
    )


def round_document(version: PlanVersion, months: int, kind: str, today: dt.date) -> Document:
    """The round's progress report or its covering memo, of exactly this version. The memo
    raises PlanInvalid when the agency has no signers."""
    agency = version.plan.agency  # what the plan lacks (signers, memo settings) comes from it
    if kind == "memo":
        # The approval block shows the executive's decision as recorded in approvals.
        plan = with_agency_settings(plan_with_decisions(version), agency)
        return memo_doc.build(plan, months, today=today, emblem_png=emblem_of(agency))
    return progress_doc.build(with_agency_settings(plan_of(version.content), agency), months)
