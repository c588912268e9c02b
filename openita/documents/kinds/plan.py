"""มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน: the integrity measures plan (seed 003 §4).

Foreword, the summary of the results that motivated it, the development directions drawn from
them, and the table of measures: steps, responsible unit, deadline, reporting rounds.
"""

from __future__ import annotations

from collections.abc import Mapping

from openita.documents.kinds import focus
from openita.documents.kinds.common import Fmt, bold, para, simple_table
from openita.documents.model import (
    Block,
    Cell,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Table,
    cell,
    runs,
)
from openita.engine import Analysis
from openita.plans.results import plan_analysis
from openita.plans.schema import Measure, Plan

TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"


def rounds_text(measure: Measure, fmt: Fmt) -> str:
    if not measure.rounds:
        return "-"
    months = sorted(measure.rounds)
    return "รอบ " + " และ ".join(fmt.num(r) for r in months) + " เดือน"


def build(
    plan: Plan, *, directions: Mapping[str, str] | None = None, thai_digits: bool = False
) -> Document:
    fmt = Fmt(thai_digits)
    agency = plan.agency.name
    year = fmt.num(plan.fiscal_year)
    analysis = plan_analysis(plan)
    blocks: list[Block] = [
        Heading(TITLE, 1, "center"),
        Heading(agency, 1, "center"),
        Heading(f"ประจำปีงบประมาณ พ.ศ. {year}", 1, "center"),
        *_foreword(plan, fmt),
        PageBreak(),
    ]
    number = 1
    if analysis is not None:
        blocks += _summary(plan, analysis, fmt, number)
        if plan.focus:
            blocks += focus.section(plan, analysis, fmt, number + 1)
        else:
            blocks += _directions(plan, analysis, directions or {}, fmt, number + 1)
        number += 2
    blocks += _measures(plan, fmt, number)
    fw = analysis.result.framework if analysis else None
    return Document(
        kind="plan",
        title=f"{TITLE} {agency} ประจำปีงบประมาณ พ.ศ. {year}",
        agency=agency,
        fiscal_year=plan.fiscal_year,
        blocks=tuple(blocks),
        thai_digits=thai_digits,
        subject=f"framework {fw.id} v{fw.version}" if fw else "",
        keywords=("ITA", agency, str(plan.fiscal_year)),
    )


def _foreword(plan: Plan, fmt: Fmt) -> list[Block]:
    text = plan.foreword or (
        f"{plan.agency.name} ได้นำผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงาน"
        f"ภาครัฐ (ITA) มาวิเคราะห์ และจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year} เพื่อใช้เป็นแนวทางในการดำเนินงาน"
    )
    blocks: list[Block] = [Heading("คำนำ", 2, "center")]
    blocks += [para(fmt.num(p) if fmt.thai_digits else p) for p in text.split("\n\n") if p.strip()]
    blocks.append(Paragraph(runs(plan.agency.name), align="right", indent=False))
    if plan.published:
        blocks.append(
            Paragraph(runs(fmt.date(plan.published, "month")), align="right", indent=False)
        )
    return blocks


def _summary(plan: Plan, analysis: Analysis, fmt: Fmt, number: int) -> list[Block]:
    r = analysis.result
    fw = r.framework
    year = fmt.num(r.fiscal_year or 0)
    verdict = "ผ่านเกณฑ์" if r.passed else "ยังไม่ผ่านเกณฑ์"
    blocks: list[Block] = [
        Heading(f"{fmt.num(number)}. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year}", 2),
        para(
            f"{plan.agency.name} ได้คะแนนรวม ",
            Run(fmt.score(r.total), bold=True),
            " คะแนน ระดับ ",
            Run(r.band.code, bold=True),
            f" {verdict} ({fmt.score(fw.pass_mark)} คะแนน) โดยมีคะแนนรายตัวชี้วัด ดังนี้",
        ),
    ]
    rows = [
        [
            cell(fmt.num(n), "center"),
            cell(fw.name_of(s.code)),
            Cell(runs(fmt.score(s.score)), "right", "bad" if s.score < fw.pass_mark else None),
        ]
        for n, s in enumerate(analysis.ranking, 1)
    ]
    rows.append(
        [Cell(bold("คะแนนรวม"), colspan=2, align="center"), Cell(bold(fmt.score(r.total)), "right")]
    )
    blocks.append(
        simple_table([("อันดับ", 12, "center"), ("ตัวชี้วัด", 63, "left"), ("คะแนน", 25, "right")], rows)
    )
    return blocks


def _weak_codes(analysis: Analysis) -> list[str]:
    seen: list[str] = []
    for s in (*analysis.below_threshold, *analysis.zero_items):
        if s.code not in seen:
            seen.append(s.code)
    return seen


def _directions(
    plan: Plan, analysis: Analysis, directions: Mapping[str, str], fmt: Fmt, number: int
) -> list[Block]:
    fw = analysis.result.framework
    weak = _weak_codes(analysis)
    blocks: list[Block] = [Heading(f"{fmt.num(number)}. แนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ", 2)]
    if not weak:
        return [
            *blocks,
            para(
                "ไม่มีประเด็นที่ได้คะแนนต่ำกว่าเกณฑ์ หน่วยงานจะรักษามาตรฐานและพัฒนา"
                "ประเด็นที่ได้คะแนนต่ำที่สุดของแต่ละแบบวัดให้ดียิ่งขึ้น"
            ),
        ]
    by_code = {c: [m for m in plan.measures if c in m.addresses] for c in weak}
    rows = []
    for code in weak:
        measures = by_code[code]
        score = analysis.result.scores.get(code)
        rows.append(
            [
                Cell(runs(Run(code, bold=True), f" {fw.name_of(code)} ({fmt.score(score)})")),
                cell(directions.get(code, "-")),
                cell(
                    ", ".join(f"{m.id} {m.title}" for m in measures) or "ยังไม่มีมาตรการ",
                    shade=None if measures else "bad",
                ),
            ]
        )
    blocks.append(
        simple_table(
            [
                ("ประเด็นที่ต้องแก้ไข", 38, "left"),
                ("แนวทางการพัฒนา", 34, "left"),
                ("มาตรการ", 28, "left"),
            ],
            rows,
        )
    )
    missing = [c for c in weak if not by_code[c]]
    if missing:
        blocks.append(para("ประเด็นที่ยังไม่มีมาตรการรองรับ: " + ", ".join(missing)))
    return blocks


def _measures(plan: Plan, fmt: Fmt, number: int) -> list[Block]:
    blocks: list[Block] = [
        Heading(
            f"{fmt.num(number)}. มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ "
            f"พ.ศ. {fmt.num(plan.fiscal_year)}",
            2,
        ),
        para(
            "ผู้รับผิดชอบจะต้องรายงานผลความก้าวหน้า ปัญหาอุปสรรค (ถ้ามี) และเสนอผู้บริหาร"
            "พิจารณาตามรอบการรายงานที่กำหนด ดังนี้"
        ),
        measures_table(plan, fmt),
    ]
    return blocks


def measures_table(plan: Plan, fmt: Fmt) -> Table:
    rows: list[list[Cell]] = []
    group = None
    for m in plan.measures:
        if m.group and m.group != group:
            group = m.group
            rows.append([Cell(bold(m.group), colspan=5, shade="group")])
        steps = tuple(runs(f"- {s}") for s in m.steps)
        rows.append(
            [
                Cell(runs(Run(m.id, bold=True), f" {m.title}")),
                Cell(steps[0], lines=steps[1:]),
                cell(m.unit),
                cell(fmt.date(m.deadline, "month"), "center"),
                cell(rounds_text(m, fmt), "center"),
            ]
        )
    return simple_table(
        [
            ("มาตรการ", 20, "left"),
            ("ขั้นตอน/วิธีการปฏิบัติ", 39, "left"),
            ("ผู้รับผิดชอบ", 14, "left"),
            ("กำหนดแล้วเสร็จ", 14, "center"),
            ("การรายงานผล", 13, "center"),
        ],
        rows,
    )
