"""รายงานผลการดำเนินการตามมาตรการ...: the 6- or 12-month progress report (seeds 001, 002).

Per measure: methods, what was done, responsible unit, deadline, follow-up, outcome, status;
measures past their deadline and not done stand out. On a landscape page: eight columns.
"""

from __future__ import annotations

import datetime as dt

from openita.documents import thai
from openita.documents.kinds import focus
from openita.documents.kinds.common import Fmt, bold, para, simple_table
from openita.documents.model import (
    Block,
    Cell,
    Document,
    Heading,
    Page,
    Run,
    Signature,
    Table,
    cell,
    runs,
)
from openita.plans.schema import STATUS_TH, Measure, Plan, Progress

TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"


def round_end(plan: Plan, months: int) -> dt.date:
    return thai.round_period(plan.fiscal_year, months)[1]


def is_overdue(measure: Measure, progress: Progress, end: dt.date) -> bool:
    return measure.deadline <= end and progress.status in ("not_started", "in_progress")


def progress_of(measure: Measure, months: int) -> Progress:
    return measure.progress.get(months) or Progress()  # type: ignore[call-overload]


def build(plan: Plan, months: int, *, thai_digits: bool = False) -> Document:
    if months not in (6, 12):
        raise ValueError(f"a reporting round is 6 or 12 months, not {months}")
    fmt = Fmt(thai_digits)
    agency = plan.agency.name
    label = thai.round_label(plan.fiscal_year, months, digits=fmt.digits)
    year = fmt.num(plan.fiscal_year)
    measures = [m for m in plan.measures if months in m.rounds]
    blocks: list[Block] = [
        Heading(TITLE, 1, "center"),
        Heading(f"{agency} ประจำปีงบประมาณ พ.ศ. {year}", 1, "center"),
        Heading(label, 2, "center"),
        *focus.progress_line(plan, fmt),
        *_summary(plan, measures, months, fmt),
        _table(measures, months, round_end(plan, months), fmt),
        *_signature(plan),
    ]
    return Document(
        kind="progress",
        title=f"{TITLE} {agency} ประจำปีงบประมาณ พ.ศ. {year} {label}",
        agency=agency,
        fiscal_year=plan.fiscal_year,
        blocks=tuple(blocks),
        page=Page(top=2.0, bottom=1.8, left=2.0, right=2.0, landscape=True),
        font_size=15,
        thai_digits=thai_digits,
        keywords=("ITA", agency, str(plan.fiscal_year)),
    )


def _summary(plan: Plan, measures: list[Measure], months: int, fmt: Fmt) -> list[Block]:
    counts = {s: 0 for s in STATUS_TH}
    for m in measures:
        counts[progress_of(m, months).status] += 1
    end = round_end(plan, months)
    late = [m for m in measures if is_overdue(m, progress_of(m, months), end)]
    parts = [f"{STATUS_TH[s]} {fmt.num(n)} มาตรการ" for s, n in counts.items() if n]
    text = (
        f"{plan.agency.name} ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน"
        f"หน่วยงาน ซึ่งมีมาตรการที่ต้องรายงานในรอบนี้ทั้งสิ้น {fmt.num(len(measures))} มาตรการ "
        f"ได้แก่ {' '.join(parts) if parts else '-'}"
    )
    blocks: list[Block] = [para(text)]
    if late:
        blocks.append(
            para(
                Run("มาตรการที่เลยกำหนดแล้วเสร็จและยังไม่แล้วเสร็จ: ", bold=True),
                ", ".join(f"{m.id} {m.title}" for m in late),
            )
        )
    return blocks


def _status(progress: Progress, late: bool, fmt: Fmt) -> Cell:
    text = STATUS_TH[progress.status]
    if progress.status == "in_progress":
        text += f" (ร้อยละ {fmt.num(progress.percent)})"
    if progress.status == "dropped" and progress.reason:
        text += f" เนื่องจาก {progress.reason}"
    if late:
        text += " เลยกำหนด"
    return Cell(
        runs(text), "center", "bad" if late else "good" if progress.status == "done" else None
    )


def _table(measures: list[Measure], months: int, end: dt.date, fmt: Fmt) -> Table:
    rows = []
    for m in measures:
        p = progress_of(m, months)
        late = is_overdue(m, p, end)
        steps = tuple(runs(f"- {s}") for s in m.steps)
        evidence = tuple(runs(f"หลักฐาน: {e}") for e in p.evidence)
        rows.append(
            [
                Cell(runs(Run(m.id, bold=True), f" {m.title}")),
                Cell(steps[0], lines=steps[1:]),
                Cell(runs(p.done or "-"), lines=evidence),
                cell(m.unit),
                cell(fmt.date(m.deadline, "month"), "center"),
                cell(p.follow_up or "-"),
                cell(p.outcome or "-"),
                _status(p, late, fmt),
            ]
        )
    if not rows:
        rows.append([Cell(bold("ไม่มีมาตรการที่ต้องรายงานในรอบนี้"), colspan=8, align="center")])
    return simple_table(
        [
            ("มาตรการ", 13, "left"),
            ("วิธีดำเนินการ", 22, "left"),
            ("ผลการดำเนินการ", 19, "left"),
            ("ผู้รับผิดชอบ", 9, "left"),
            ("กำหนดแล้วเสร็จ", 8, "center"),
            ("กำกับติดตาม", 10, "left"),
            ("ผลลัพธ์/ความสำเร็จ", 11, "left"),
            ("สถานะ", 8, "center"),
        ],
        rows,
    )


def _signature(plan: Plan) -> list[Block]:
    signers = plan.agency.signers
    if signers is None:
        return []
    officer = signers.officer
    return [Signature(officer.name, (officer.position,), label="ผู้รายงาน")]
