"""บันทึกข้อความ: the covering memo of a progress round to the executive (seed 002, first page).

Laid out per the correspondence regulation: Garuda emblem 1.5 cm (the agency's own image, its
space kept when absent), left margin 3 cm, right 2 cm; fields ส่วนราชการ, ที่, วันที่, เรื่อง,
เรียน; body เรื่องเดิม / ข้อเท็จจริง / ข้อเสนอเพื่อพิจารณา; signature, comment and approval blocks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openita.documents.kinds.common import Fmt, para
from openita.documents.kinds.progress import TITLE
from openita.documents.model import (
    Approval,
    Block,
    Comment,
    Document,
    Heading,
    MemoHead,
    Page,
    Paragraph,
    Run,
    Signature,
    runs,
)
from openita.plans import rounds
from openita.plans.files import PlanInvalid
from openita.plans.schema import Person, Plan
from openita.text import thai

BLANK = "...................."  # a field the plan leaves open, filled in by hand


def _sig(person: Person) -> Signature:
    positions = (person.position, *((person.position_extra,) if person.position_extra else ()))
    return Signature(person.name, positions)


def build(
    plan: Plan,
    months: int,
    *,
    thai_digits: bool = False,
    base: Path | None = None,
    today: dt.date | None = None,
    emblem_png: bytes | None = None,
) -> Document:
    """The memo of the round. The emblem is ``emblem_png`` when given (the web app keeps it in
    its database), else the image at ``agency.emblem`` (a path relative to ``base``).

    Its date and reference number come from the plan's ``memos``; what the plan lacks is left
    as a dotted blank to fill in by hand (``rounds.memo_warnings`` says so), never today's
    date. ``today`` is accepted for older callers and not used."""
    del today
    if months not in (6, 12):
        raise ValueError(f"a reporting round is 6 or 12 months, not {months}")
    agency = plan.agency
    if agency.signers is None:
        raise PlanInvalid(
            [
                "agency.signers: the memo needs the officer, the reviewers and the "
                "executive (see docs/plan-format.md)"
            ]
        )
    fmt = Fmt(thai_digits)
    memo = plan.memos.get(months)  # type: ignore[call-overload]
    label = thai.round_label(plan.fiscal_year, months, digits=fmt.digits)
    year = fmt.num(plan.fiscal_year)
    subject = f"{TITLE} ประจำปีงบประมาณ พ.ศ. {year} {label}"
    executive = agency.signers.executive
    reviewers = agency.signers.reviewers
    via = f"(ผ่าน{reviewers[-1].position})" if reviewers else ""
    head = MemoHead(
        unit=agency.memo_unit or f"สำนักปลัด {agency.name} {agency.place}".strip(),
        reference=(agency.memo_prefix or "")
        + (memo.reference if memo and memo.reference else BLANK),
        date=fmt.date(memo.date) if memo and memo.date else BLANK,
        subject=subject,
        to=f"{executive.position} {via}".strip(),
        emblem_png=emblem_png if emblem_png is not None else emblem_bytes(agency.emblem, base),
    )
    enclosure = Paragraph(
        runs(
            Run("สิ่งที่ส่งมาด้วย", bold=True),
            f" รายงานผลการดำเนินการตามมาตรการ {label} จำนวน {fmt.num(1)} ชุด",
        ),
        align="left",
        indent=False,
    )
    blocks: list[Block] = [
        head,
        enclosure,
        *_body(plan, months, fmt, label),
        _sig(agency.signers.officer),
    ]
    blocks += [Comment(_sig(p)) for p in agency.signers.reviewers]
    signature = _sig(executive)
    if memo and memo.decision and memo.decided:
        # The date of the order, under the executive's name and position.
        dated = (*signature.positions, f"วันที่ {fmt.date(memo.decided)}")
        signature = Signature(signature.name, dated)
    blocks.append(
        Approval(
            title=f"คำสั่งของ{executive.position}",
            signature=signature,
            decision=memo.decision if memo else None,
            reason=memo.reason if memo else "",
        )
    )
    return Document(
        kind="memo",
        title=f"บันทึกข้อความ เรื่อง {subject}",
        agency=agency.name,
        fiscal_year=plan.fiscal_year,
        blocks=tuple(blocks),
        page=Page(top=1.5, bottom=2.0, left=3.0, right=2.0),
        page_numbers=True,  # from page 2, at the top (the renderers' memo style)
        line_spacing=1.2,
        thai_digits=thai_digits,
        keywords=("ITA", agency.name),
    )


def emblem_bytes(path: str | None, base: Path | None) -> bytes | None:
    if not path:
        return None
    full = (base or Path.cwd()) / path
    try:
        return full.read_bytes()
    except OSError as exc:
        raise PlanInvalid([f"agency.emblem: cannot read {full} ({exc.strerror})"]) from None


def _body(plan: Plan, months: int, fmt: Fmt, label: str) -> list[Block]:
    name = plan.agency.name
    results_year = fmt.num(plan.fiscal_year - 1)
    year = fmt.num(plan.fiscal_year)
    s = rounds.summary(plan, months)
    facts = (
        f"{name} ได้ดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ พ.ศ. {year} {label} จำนวน {fmt.num(s.total)} มาตรการ "
        f"ดำเนินการแล้วเสร็จ {fmt.num(s.done)} มาตรการ"
    )
    if s.overdue:
        facts += f" มีมาตรการที่เลยกำหนดแล้วเสร็จ {fmt.num(s.overdue)} มาตรการ"
    if s.missing:
        facts += f" และยังไม่ได้รายงานผล {fmt.num(s.missing)} มาตรการ"
    if s.carried:
        facts += (
            f" (มาตรการ {fmt.num(s.carried)} มาตรการยังไม่มีการรายงานผลในรอบนี้ จึงใช้ผลที่รายงานไว้ในรอบก่อน)"
        )
    facts += " รายละเอียดตามรายงานที่แนบ"
    return [
        Heading("เรื่องเดิม", 3),
        para(
            f"ตามที่ {name} ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
            f"หน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {results_year} และจัดทำมาตรการส่งเสริม"
            f"คุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} โดยกำหนดให้รายงาน"
            f"ผลการดำเนินการต่อผู้บริหารในรอบ {fmt.num(6)} เดือน และ {fmt.num(12)} เดือน นั้น"
        ),
        Heading("ข้อเท็จจริง", 3),
        para(facts),
        Heading("ข้อเสนอเพื่อพิจารณา", 3),
        para(
            f"จึงขอรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
            f"{label} เพื่อโปรดทราบ และเห็นควรเผยแพร่รายงานดังกล่าวบนเว็บไซต์ของหน่วยงาน"
        ),
        Paragraph(runs("จึงเรียนมาเพื่อโปรดทราบและพิจารณา"), indent=True),
    ]
