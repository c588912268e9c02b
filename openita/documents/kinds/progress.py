"""รายงานผลการดำเนินการตามมาตรการ...: the 6- or 12-month progress report (seeds 001, 002).

A foreword, a summary of the round, then the measures grouped by the tool of the findings they
address (IIT / EIT / OIT), each group opened by its indicators' scores as the seeds do, and one
table per group: measure, methods, what was done, responsible unit, deadline, follow-up,
outcome, status. A measure with nothing entered in this round shows the earlier round's entry,
marked as carried forward (``openita/plans/rounds.py``); one with nothing at all is "not
reported", never "not started" nor overdue. The signature stays with the closing paragraph.
"""

from __future__ import annotations

import datetime as dt

from openita.documents.kinds import focus
from openita.documents.kinds.common import (
    Fmt,
    bold,
    colophon,
    cover_page,
    foreword_blocks,
    indicator_of,
    para,
    simple_table,
)
from openita.documents.model import (
    Block,
    Cell,
    Document,
    Heading,
    Page,
    Paragraph,
    Run,
    Signature,
    Table,
    Text,
    cell,
    runs,
)
from openita.engine import Analysis
from openita.frameworks import Framework
from openita.plans import rounds
from openita.plans.numbering import measure_numbers
from openita.plans.results import plan_analysis
from openita.plans.rounds import RoundProgress
from openita.plans.schema import STATUS_TH, Measure, Plan, Progress
from openita.text import thai

TITLE = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
NOT_REPORTED = "ยังไม่ได้รายงานผล"
OTHER_GROUP = "มาตรการอื่น ๆ"


# Kept for the callers that import them from here; the rule itself is in openita.plans.rounds.
round_end = rounds.round_end
is_overdue = rounds.is_overdue


def progress_of(measure: Measure, months: int) -> Progress:
    """The measure's progress in the round, carried forward from an earlier round when this
    round has nothing yet (see ``openita.plans.rounds``)."""
    return rounds.round_progress(measure, months).progress


def build(
    plan: Plan,
    months: int,
    *,
    thai_digits: bool = False,
    cover: bool = False,
    emblem_png: bytes | None = None,
) -> Document:
    if months not in (6, 12):
        raise ValueError(f"a reporting round is 6 or 12 months, not {months}")
    fmt = Fmt(thai_digits)
    agency = plan.agency.name
    label = thai.round_label(plan.fiscal_year, months, digits=fmt.digits)
    year = fmt.num(plan.fiscal_year)
    measures = rounds.measures_in(plan, months)
    numbers = measure_numbers(plan.measures)
    ctx = _Ctx(plan, months, fmt, numbers, rounds.round_end(plan, months))
    blocks: list[Block] = []
    if cover:
        blocks += cover_page([TITLE, label], agency, f"ประจำปีงบประมาณ พ.ศ. {year}", emblem_png)
    blocks += [
        Heading(TITLE, 1, "center"),
        Heading(f"{agency} ประจำปีงบประมาณ พ.ศ. {year}", 1, "center"),
        Heading(label, 2, "center"),
        *focus.progress_line(plan, fmt),
        *foreword_blocks(_foreword(plan, months, label, fmt), agency, fmt),
        *_summary(ctx, measures),
        *_groups(ctx, measures),
        *_closing(ctx, label),
    ]
    if ctx.analysis is not None:
        blocks.append(colophon(ctx.analysis.result.framework, fmt))
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


class _Ctx:
    def __init__(
        self, plan: Plan, months: int, fmt: Fmt, numbers: dict[str, str], end: dt.date
    ) -> None:
        self.plan = plan
        self.months = months
        self.fmt = fmt
        self.numbers = numbers
        self.end = end
        self.analysis: Analysis | None = plan_analysis(plan)

    def found(self, measure: Measure) -> RoundProgress:
        return rounds.round_progress(measure, self.months)

    def name(self, measure: Measure) -> str:
        return f"{self.fmt.num(self.numbers[measure.id])} {measure.title}"


def _foreword(plan: Plan, months: int, label: str, fmt: Fmt) -> str:
    own = plan.round_forewords.get(months)  # type: ignore[call-overload]
    if own:
        return str(own)
    return (
        f"{plan.agency.name} ได้จัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} จากผลการประเมินคุณธรรมและความโปร่งใสในการ"
        f"ดำเนินงานของหน่วยงานภาครัฐ (ITA) และกำหนดให้รายงานผลการดำเนินการต่อผู้บริหาร "
        f"รายงานฉบับนี้เป็นผลการดำเนินการ {label} เพื่อใช้ติดตามและปรับปรุงการดำเนินงานต่อไป"
    )


def _summary(c: _Ctx, measures: list[Measure]) -> list[Block]:
    fmt = c.fmt
    s = rounds.summary(c.plan, c.months)
    parts = [
        f"{STATUS_TH[st]} {fmt.num(s.by_status[st])} มาตรการ"
        for st in STATUS_TH
        if s.by_status.get(st)
    ]
    if s.missing:
        parts.append(f"{NOT_REPORTED} {fmt.num(s.missing)} มาตรการ")
    text = (
        f"{c.plan.agency.name} ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายใน"
        f"หน่วยงาน ซึ่งมีมาตรการที่ต้องรายงานในรอบนี้ทั้งสิ้น {fmt.num(s.total)} มาตรการ "
        f"ได้แก่ {' '.join(parts) if parts else '-'}"
    )
    blocks: list[Block] = [Heading("ผลการดำเนินการโดยสรุป", 2), para(text)]
    if s.carried:
        earlier = sorted({f.source for m in measures if (f := c.found(m)).carried and f.source})
        rounds_text = " และ ".join(f"รอบ {fmt.num(r)} เดือน" for r in earlier)
        blocks.append(
            para(
                f"มาตรการ {fmt.num(s.carried)} มาตรการยังไม่มีการรายงานผลในรอบนี้ จึงแสดงสถานะ"
                f"และผลการดำเนินการที่รายงานไว้ใน{rounds_text} โดยระบุว่า “ยกมาจาก{rounds_text}”"
            )
        )
    late = [m for m in measures if rounds.overdue(m, c.found(m), c.end)]
    if late:
        blocks.append(
            para(
                Run("มาตรการที่เลยกำหนดแล้วเสร็จและยังไม่แล้วเสร็จ: ", bold=True),
                ", ".join(c.name(m) for m in late),
            )
        )
    return blocks


def _tool_groups(c: _Ctx, measures: list[Measure]) -> list[tuple[str | None, list[Measure]]]:
    """Measures per tool of the first code they address, in the framework's tool order; those
    addressing no known code come last. Without results: one group."""
    if c.analysis is None:
        return [(None, measures)]
    fw = c.analysis.result.framework
    by_tool: dict[str | None, list[Measure]] = {}
    for m in measures:
        tools = [t for code in m.addresses if (t := fw.tool_of(code))]
        by_tool.setdefault(tools[0] if tools else None, []).append(m)
    order: list[str | None] = [t.code for t in fw.tools]
    return [(t, by_tool[t]) for t in [*order, None] if t in by_tool]


def _groups(c: _Ctx, measures: list[Measure]) -> list[Block]:
    """One table; each tool's measures under a row naming the tool and the scores behind them
    (a row across the table stays with the row under it, so no heading is left alone at the
    foot of a page, and the rows fill the pages)."""
    groups = _tool_groups(c, measures)
    if not measures or (len(groups) == 1 and groups[0][0] is None):
        return [_table(c, [(None, measures)])]
    assert c.analysis is not None
    fw = c.analysis.result.framework
    titled: list[tuple[Cell | None, list[Measure]]] = []
    for n, (tool_code, group) in enumerate(groups, 1):
        number = c.fmt.num(n)
        if tool_code is None:
            titled.append((Cell(bold(f"{number}. {OTHER_GROUP}"), colspan=8, shade="group"), group))
            continue
        tool = fw.tool(tool_code)
        assert tool is not None
        title = bold(f"{number}. {tool.name.th} ({tool.code})")
        sentence = runs(_indicator_sentence(c, fw, tool_code, group))
        titled.append((Cell(title, colspan=8, shade="group", lines=(sentence,)), group))
    return [_table(c, titled)]


def _indicator_sentence(c: _Ctx, fw: Framework, tool_code: str, group: list[Measure]) -> str:
    """The scores behind the group: the tool, and each indicator its measures address."""
    assert c.analysis is not None
    scores = c.analysis.result.scores
    fmt = c.fmt
    codes: list[str] = []
    for m in group:
        for code in m.addresses:
            ind = indicator_of(fw, code)
            if ind and fw.tool_of(ind) == tool_code and ind not in codes:
                codes.append(ind)
    numbers = {i.code: n for n, i in enumerate(fw.indicators, 1)}
    year = fmt.num(c.analysis.result.fiscal_year or 0)
    text = (
        f"ผลการประเมินแบบวัด {tool_code} ปีงบประมาณ พ.ศ. {year} ได้ "
        f"{fmt.score(scores.get(tool_code))} คะแนน"
    )
    if codes:
        parts = [
            f"ตัวชี้วัดที่ {fmt.num(numbers[i])} {fw.name_of(i)} {fmt.score(scores.get(i))} คะแนน"
            for i in sorted(codes, key=lambda i: numbers[i])
        ]
        text += " มาตรการในส่วนนี้มุ่งพัฒนา" + " ".join(parts)
    return text


def _status(c: _Ctx, found: RoundProgress, late: bool) -> Cell:
    fmt = c.fmt
    if found.missing:
        return Cell(runs(NOT_REPORTED), "center")
    progress = found.progress
    text = STATUS_TH[progress.status]
    if progress.status == "in_progress":
        text += f" (ร้อยละ {fmt.num(progress.percent)})"
    if progress.status == "dropped" and progress.reason:
        text += f" เนื่องจาก {progress.reason}"
    if late:
        text += " เลยกำหนด"
    lines: tuple[Text, ...] = ()
    if found.carried and found.source:
        lines = (runs(Run(f"(ยกมาจากรอบ {fmt.num(found.source)} เดือน)", italic=True)),)
    return Cell(
        runs(text),
        "center",
        "bad" if late else "good" if progress.status == "done" else None,
        lines=lines,
    )


def _table(c: _Ctx, groups: list[tuple[Cell | None, list[Measure]]]) -> Table:
    rows: list[list[Cell]] = []
    for title, measures in groups:
        if title is not None:
            rows.append([title])
        for m in measures:
            rows.append(_row(c, m))
    if not rows:
        rows.append([Cell(bold("ไม่มีมาตรการที่ต้องรายงานในรอบนี้"), colspan=8, align="center")])
    return simple_table(
        [
            ("มาตรการ", 14, "left"),
            ("วิธีดำเนินการ", 25, "left"),
            ("ผลการดำเนินการ", 17, "left"),
            ("ผู้รับผิดชอบ", 8, "left"),
            ("กำหนดแล้วเสร็จ", 7, "center"),
            ("กำกับติดตาม", 9, "left"),
            ("ผลลัพธ์/ความสำเร็จ", 9, "left"),
            ("สถานะ", 11, "center"),
        ],
        rows,
    )


def _row(c: _Ctx, m: Measure) -> list[Cell]:
    found = c.found(m)
    p = found.progress
    late = rounds.overdue(m, found, c.end)
    steps = tuple(runs(f"- {s}") for s in m.steps)
    evidence = tuple(runs(f"หลักฐาน: {e}") for e in p.evidence)
    return [
        Cell(runs(Run(c.fmt.num(c.numbers[m.id]), bold=True), f" {m.title}")),
        Cell(steps[0], lines=steps[1:]),
        Cell(runs(p.done or "-"), lines=evidence),
        cell(m.unit),
        cell(c.fmt.date(m.deadline, "month"), "center"),
        cell(p.follow_up or "-"),
        cell(p.outcome or "-"),
        _status(c, found, late),
    ]


def _closing(c: _Ctx, label: str) -> list[Block]:
    """The last paragraph, kept on the page of the signature that follows it."""
    signers = c.plan.agency.signers
    closing = Paragraph(
        runs(
            f"จึงรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"{label} มาเพื่อโปรดทราบ"
        ),
        keep_with_next=signers is not None,
    )
    if signers is None:
        return [closing]
    officer = signers.officer
    return [closing, Signature(officer.name, (officer.position,), label="ผู้รายงาน")]
