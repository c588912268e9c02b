"""The analysis document's section "มาตรการที่ได้ผล": what the plan between two years on file
targeted, how each target moved, beside the mean change of what it did not target.

Built from a plain data object the caller fills in (the web app from its stored years and
plans); the analysis leaves the section out when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass

from openita.documents.kinds.common import Fmt, para, simple_table
from openita.documents.model import Block, BulletList, Heading, cell, runs

HEADING = "มาตรการที่ได้ผล"


@dataclass(frozen=True)
class EffectRow:
    code: str
    name: str
    before: float
    after: float


@dataclass(frozen=True)
class MeasuresEffect:
    plan_year: int
    before_year: int
    after_year: int
    rows: tuple[EffectRow, ...]  # what the plan targeted
    untargeted_mean: float | None  # mean change of what it did not target
    untargeted_n: int
    comparison: str = "items"  # "items" or "indicators": what the untargeted mean is over
    missing: tuple[str, ...] = ()  # targets that could not be compared


def _signed(fmt: Fmt, value: float) -> str:
    return ("+" if value > 0 else "") + fmt.score(value)


def section(effect: MeasuresEffect | None, fmt: Fmt, number: int = 6) -> list[Block]:
    if effect is None or not effect.rows:
        return []
    before, after = fmt.num(effect.before_year), fmt.num(effect.after_year)
    rows = [
        [
            cell(r.code, "center"),
            cell(r.name),
            cell(fmt.score(r.before), "right"),
            cell(fmt.score(r.after), "right"),
            cell(_signed(fmt, r.after - r.before), "right"),
        ]
        for r in effect.rows
    ]
    mean = sum(r.after - r.before for r in effect.rows) / len(effect.rows)
    what = "ข้อ" if effect.comparison == "items" else "ตัวชี้วัด"
    notes = [runs(f"ประเด็นที่แผนมุ่งยกระดับ เปลี่ยนแปลงเฉลี่ย {_signed(fmt, mean)} คะแนน")]
    if effect.untargeted_mean is not None:
        notes.append(
            runs(
                f"{what}ที่แผนไม่ได้มุ่งยกระดับ ({fmt.num(effect.untargeted_n)} {what}) "
                f"เปลี่ยนแปลงเฉลี่ย {_signed(fmt, effect.untargeted_mean)} คะแนน"
            )
        )
    if effect.missing:
        notes.append(runs("เทียบไม่ได้เพราะไม่มีคะแนนปีใดปีหนึ่ง: " + ", ".join(effect.missing)))
    return [
        Heading(f"{fmt.num(number)}. {HEADING}", 2),
        para(
            f"แผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {fmt.num(effect.plan_year)} "
            f"มุ่งยกระดับประเด็นต่อไปนี้ ตารางเทียบคะแนนปี {before} (ก่อนแผน) กับปี {after} (หลังแผน) "
            "เคียงกับการเปลี่ยนแปลงของประเด็นที่แผนไม่ได้มุ่งยกระดับ"
        ),
        simple_table(
            [
                ("ข้อ", 9, "center"),
                ("ประเด็น", 49, "left"),
                (f"ปี {before}", 14, "right"),
                (f"ปี {after}", 14, "right"),
                ("เปลี่ยนแปลง", 14, "right"),
            ],
            rows,
            caption="การเปลี่ยนแปลงของประเด็นที่แผนมุ่งยกระดับ",
            note="เป็นความสัมพันธ์ ไม่ใช่ข้อพิสูจน์: คะแนนเปลี่ยนได้จากหลายสาเหตุนอกจากมาตรการ",
        ),
        BulletList(tuple(notes)),
    ]
