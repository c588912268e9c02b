"""The focus section of a plan built the FY2569 way (O25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร):
the analysis that led to the one indicator chosen, its score and rank, its items' scores, why it
was chosen, and the measures built on it; and, for the progress report (O26), one line naming
the focus indicator.
"""

from __future__ import annotations

from openita.documents.kinds.common import Fmt, bold, para, simple_table
from openita.documents.model import Block, Cell, Heading, Run, cell, runs
from openita.engine import Analysis
from openita.frameworks import Framework
from openita.plans.results import plan_analysis
from openita.plans.schema import Focus, Plan

WHY_LOWEST = "เป็นตัวชี้วัดที่ได้คะแนนต่ำที่สุด"
WHY_CHOSEN = "หน่วยงานพิจารณาแล้วว่าเป็นตัวชี้วัดที่มีความเสี่ยงสูงที่สุด"


def indicator_title(framework: Framework, code: str, fmt: Fmt) -> str:
    """ "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร" """
    return f"ตัวชี้วัดที่ {fmt.num(code.removeprefix('ind'))} {framework.name_of(code)}"


def section(plan: Plan, analysis: Analysis, fmt: Fmt, number: int) -> list[Block]:
    """The blocks of the focus section (numbered ``number``); empty without a focus."""
    focus = plan.focus
    if focus is None:
        return []
    result = analysis.result
    framework = result.framework
    code = focus.indicator
    ranking = [s.code for s in analysis.ranking]
    score = result.scores.get(code)
    title = indicator_title(framework, code, fmt)
    blocks: list[Block] = [
        Heading(f"{fmt.num(number)}. การนำผลการประเมินไปสู่การพัฒนาองค์กร", 2),
        para(
            "จากผลการประเมินข้างต้น หน่วยงานเลือกตัวชี้วัดที่จะพัฒนาหนึ่งตัวชี้วัด คือ ",
            Run(title, bold=True),
            f" ได้คะแนน {fmt.score(score)} คะแนน",
            _rank(code, ranking, fmt),
            f" {WHY_LOWEST if focus.reason == 'lowest' else WHY_CHOSEN}",
        ),
    ]
    if focus.note:
        blocks.append(para(Run("เหตุผลประกอบการเลือก: ", bold=True), focus.note))
    blocks.append(_items_table(plan, analysis, focus, fmt))
    blocks += _publication(framework, fmt)
    return blocks


def _rank(code: str, ranking: list[str], fmt: Fmt) -> str:
    if code not in ranking:
        return ""
    place = ranking.index(code) + 1
    return f" อยู่ในอันดับที่ {fmt.num(place)} จาก {fmt.num(len(ranking))} ตัวชี้วัด"


def _items_table(plan: Plan, analysis: Analysis, focus: Focus, fmt: Fmt) -> Block:
    result = analysis.result
    framework = result.framework
    pass_mark = framework.pass_mark
    indicator = next(i for i in framework.indicators if i.code == focus.indicator)
    rows: list[list[Cell]] = []
    for item in indicator.all_items:
        score = result.scores.get(item.code)
        measures = [m for m in plan.measures if item.code in m.addresses]
        weak = score is not None and score < pass_mark
        rows.append(
            [
                cell(item.code, "center"),
                cell(item.text),
                Cell(runs(fmt.score(score)), "right", "bad" if weak else None),
                cell(", ".join(f"{m.id} {m.title}" for m in measures) or "-"),
            ]
        )
    on_indicator = [m for m in plan.measures if focus.indicator in m.addresses]
    if on_indicator:
        rows.append(
            [
                Cell(bold("ทั้งตัวชี้วัด"), colspan=3, align="center"),
                cell(", ".join(f"{m.id} {m.title}" for m in on_indicator)),
            ]
        )
    return simple_table(
        [
            ("ข้อ", 9, "center"),
            ("ประเด็น", 47, "left"),
            ("คะแนน", 12, "right"),
            ("มาตรการ", 32, "left"),
        ],
        rows,
        caption=f"คะแนนรายข้อของ{indicator_title(framework, focus.indicator, fmt)}",
        note=f"ข้อที่ได้คะแนนต่ำกว่า {fmt.score(pass_mark)} คะแนน แสดงด้วยพื้นสี",
    )


def _publication(framework: Framework, fmt: Fmt) -> list[Block]:
    """Where the plan and its report are published (the framework's plan and report items)."""
    planning = framework.planning
    parts = []
    if planning.plan_item and framework.item(planning.plan_item):
        parts.append(
            f"เผยแพร่มาตรการนี้ภายใต้ข้อ {planning.plan_item.upper()} "
            f"{framework.name_of(planning.plan_item)}"
        )
    if planning.report_item and framework.item(planning.report_item):
        parts.append(
            f"รายงานผลการดำเนินการภายใต้ข้อ {planning.report_item.upper()} "
            f"{framework.name_of(planning.report_item)}"
        )
    if not parts:
        return []
    return [para("หน่วยงานจะ" + " และ".join(parts) + " ตามเกณฑ์การเปิดเผยข้อมูลสาธารณะ (OIT)")]


def progress_line(plan: Plan, fmt: Fmt) -> list[Block]:
    """The progress report's line naming the focus indicator (with its score when the plan
    carries its results)."""
    if plan.focus is None:
        return []
    analysis = plan_analysis(plan)
    code = plan.focus.indicator
    if analysis is None:
        return [Heading(f"ตัวชี้วัดที่มุ่งพัฒนา: ตัวชี้วัดที่ {fmt.num(code.removeprefix('ind'))}", 3)]
    framework = analysis.result.framework
    score = analysis.result.scores.get(code)
    text = f"ตัวชี้วัดที่มุ่งพัฒนา: {indicator_title(framework, code, fmt)}"
    if score is not None:
        text += f" (คะแนน {fmt.score(score)})"
    return [Heading(text, 3, "center")]
