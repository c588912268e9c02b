"""การวิเคราะห์ผลการประเมิน ITA: the results analysis of one agency and fiscal year.

Sections as in the documents agencies publish (seed 003, sections 1-3): the method in brief,
the results with ranked indicators, chart and trend, the analysis per tool (items to keep,
items to fix with a development direction, OIT items at 0), strengths and weaknesses, and
the uplift plan. Every figure comes from the engine's Analysis.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from openita.documents import charts
from openita.documents.kinds.common import (
    DIRECTION_FALLBACK,
    Fmt,
    bold,
    colophon,
    cover_page,
    foreword_blocks,
    indicator_label,
    item_range,
    para,
    simple_table,
)
from openita.documents.kinds.measures_effect import MeasuresEffect
from openita.documents.kinds.measures_effect import section as effect_section
from openita.documents.model import (
    Block,
    BulletList,
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Shade,
    Table,
    cell,
    runs,
)
from openita.engine import TOTAL, Analysis, Scored
from openita.engine.rounding import published
from openita.frameworks import Framework

UPLIFT_ROWS = 10
KEEP_DIRECTION = "รักษามาตรฐานการดำเนินงานในประเด็นนี้ไว้ และถ่ายทอดแนวปฏิบัติที่ดีให้บุคลากรทุกระดับ"


def build(
    analysis: Analysis,
    *,
    agency: str,
    directions: Mapping[str, str] | None = None,
    thai_digits: bool = False,
    with_charts: bool = True,
    foreword: str | None = None,
    recommendations: Sequence[str] = (),
    cover: bool = False,
    emblem_png: bytes | None = None,
    issuer: str | None = None,
    issued: dt.date | None = None,
    measures_effect: MeasuresEffect | None = None,
) -> Document:
    """The analysis document. ``foreword`` replaces the drafted คำนำ; ``recommendations`` are
    NACC's own (ข้อเสนอแนะเพิ่มเติมของสำนักงาน ป.ป.ช.) as the agency received them; ``issuer``
    (default: the agency) and ``issued`` make the closing line; ``cover`` adds a cover page."""
    result = analysis.result
    fw = result.framework
    if result.fiscal_year is None:
        raise ValueError("the analysis needs the fiscal year of the results")
    fmt = Fmt(thai_digits)
    year = fmt.num(result.fiscal_year)
    title = (
        f"การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        f"{agency} ประจำปีงบประมาณ พ.ศ. {year}"
    )
    ctx = _Ctx(analysis, fw, fmt, agency, directions or {}, with_charts)
    ctx.recommendations = tuple(r for r in recommendations if r.strip())
    blocks: list[Block] = []
    if cover:
        blocks += cover_page(
            ["การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส", "ในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"],
            agency,
            f"ประจำปีงบประมาณ พ.ศ. {year}",
            emblem_png,
        )
    issued_text = fmt.date(issued, "month") if issued else None
    blocks += [
        Heading("การวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส", 1, "center"),
        Heading("ในการดำเนินงานของหน่วยงานภาครัฐ (ITA)", 1, "center"),
        Heading(f"ประจำปีงบประมาณ พ.ศ. {year}", 1, "center"),
        Heading(agency, 1, "center"),
        *foreword_blocks(foreword or _foreword(ctx), agency, fmt, issued_text),
        PageBreak(),
        *_method(ctx),
        *_results(ctx),
        *_per_tool(ctx),
        *_strengths(ctx),
        *_uplift(ctx),
        *effect_section(measures_effect, fmt),  # มาตรการที่ได้ผล, when the caller has it
        *_closing(issuer or agency, issued_text),
        colophon(fw, fmt),
    ]
    return Document(
        kind="analysis",
        title=title,
        agency=agency,
        fiscal_year=result.fiscal_year,
        blocks=tuple(blocks),
        thai_digits=thai_digits,
        subject=f"framework {fw.id} v{fw.version}",
        keywords=("ITA", agency, str(result.fiscal_year)),
    )


def _foreword(c: _Ctx) -> str:
    return (
        f"{c.agency} ได้นำผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
        f"(Integrity and Transparency Assessment: ITA) ประจำปีงบประมาณ พ.ศ. {c.year} มาวิเคราะห์ "
        "จำแนกตามเครื่องมือการประเมิน เพื่อระบุประเด็นที่ควรรักษามาตรฐาน และประเด็นที่เป็นข้อบกพร่อง"
        "หรือจุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน พร้อมแนวทางการพัฒนา สำหรับใช้จัดทำมาตรการส่งเสริมคุณธรรม"
        "และความโปร่งใสภายในหน่วยงานต่อไป"
    )


def _closing(issuer: str, issued: str | None) -> list[Block]:
    """The closing issuer line: who made the analysis, and when (month and year)."""
    blocks: list[Block] = [
        Paragraph(runs(f"ผู้จัดทำ {issuer}"), align="right", indent=False, keep_with_next=True),
    ]
    if issued:
        blocks.append(Paragraph(runs(issued), align="right", indent=False))
    return blocks


class _Ctx:
    def __init__(
        self,
        analysis: Analysis,
        fw: Framework,
        fmt: Fmt,
        agency: str,
        directions: Mapping[str, str],
        with_charts: bool,
    ) -> None:
        self.a = analysis
        self.fw = fw
        self.fmt = fmt
        self.agency = agency
        self.directions = directions
        self.with_charts = with_charts
        self.pass_mark = fmt.score(fw.pass_mark).removesuffix(".00")
        self.year = fmt.num(analysis.result.fiscal_year or 0)
        self.recommendations: tuple[str, ...] = ()


def _method(c: _Ctx) -> list[Block]:
    fw, fmt = c.fw, c.fmt
    rows = [
        [
            cell(t.code, "center"),
            cell(t.name.th),
            cell(fmt.num(f"{t.weight:g}"), "center"),
            cell(", ".join(indicator_label(fw, i.code, fmt) for i in t.indicators)),
        ]
        for t in fw.tools
    ]
    bands = [
        [cell(b.code, "center"), cell(f"{fmt.score(b.min)} – {fmt.score(b.max)}", "center")]
        for b in fw.bands
    ]
    return [
        Heading("1. ข้อมูลพื้นฐานของการประเมิน", 2),
        para(
            f"สำนักงาน ป.ป.ช. ประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐด้วย"
            f"เครื่องมือ {fmt.num(len(fw.tools))} ส่วน รวม {fmt.num(len(fw.indicators))} ตัวชี้วัด "
            f"คะแนนเต็ม {fmt.num(100)} คะแนน หน่วยงานที่ได้คะแนน {c.pass_mark} คะแนนขึ้นไปถือว่าผ่านเกณฑ์"
        ),
        simple_table(
            [
                ("แบบวัด", 10, "center"),
                ("เครื่องมือ", 30, "left"),
                ("น้ำหนัก (ร้อยละ)", 14, "center"),
                ("ตัวชี้วัด", 46, "left"),
            ],
            rows,
            caption="เครื่องมือการประเมินและน้ำหนัก",
        ),
        simple_table(
            [("ระดับ", 30, "center"), ("ช่วงคะแนน", 70, "center")],
            bands,
            caption="ระดับผลการประเมิน (Rating Score)",
        ),
    ]


def _results(c: _Ctx) -> list[Block]:
    r, fmt, fw = c.a.result, c.fmt, c.fw
    verdict = "ผ่านเกณฑ์" if r.passed else "ไม่ผ่านเกณฑ์"
    passed_tools = [t for t in fw.tools if published(r.scores[t.code]) >= fw.pass_mark]
    failed_tools = [t for t in fw.tools if t not in passed_tools]
    text: list[str | Run] = [
        f"{c.agency} ได้คะแนนรวม ",
        Run(fmt.score(r.total), bold=True),
        " คะแนน อยู่ในระดับ ",
        Run(r.band.code, bold=True),
        f" และ{verdict} ({c.pass_mark} คะแนน)",
    ]
    if r.qualitative is not None:
        text.append(f" ระดับผลการประเมินเชิงคุณภาพ: {r.qualitative.label.th}")
    blocks: list[Block] = [
        Heading(f"2. ผลการประเมินของ{c.agency} ประจำปีงบประมาณ พ.ศ. {c.year}", 2),
        para(*text),
    ]
    if passed_tools or failed_tools:
        blocks.append(para(_tools_sentence(passed_tools, failed_tools, r.scores, c)))
    tool_rows = [
        [
            cell(t.code, "center"),
            cell(t.name.th),
            cell(fmt.num(f"{t.weight:g}"), "center"),
            cell(fmt.score(r.scores[t.code]), "right"),
        ]
        for t in fw.tools
    ]
    tool_rows.append(
        [Cell(bold("คะแนนรวม"), colspan=3, align="center"), Cell(bold(fmt.score(r.total)), "right")]
    )
    blocks.append(
        simple_table(
            [
                ("แบบวัด", 12, "center"),
                ("เครื่องมือ", 50, "left"),
                ("น้ำหนัก", 14, "center"),
                ("คะแนน", 24, "right"),
            ],
            tool_rows,
            caption="คะแนนรายแบบวัด",
        )
    )
    blocks += _recommendations(c)
    blocks += [_indicator_table(c)]
    blocks += _ranked_indicators(c)
    blocks += _trend(c)
    return blocks


def _recommendations(c: _Ctx) -> list[Block]:
    """ข้อเสนอแนะเพิ่มเติมของสำนักงาน ป.ป.ช., as the agency received them (when given)."""
    if not c.recommendations:
        return []
    return [
        para(
            f"สำนักงาน ป.ป.ช. ได้แสดงความเห็นและข้อเสนอแนะเพิ่มเติมต่อผลการประเมิน ITA "
            f"ของ{c.agency} ประจำปีงบประมาณ พ.ศ. {c.year} ดังนี้"
        ),
        BulletList(
            tuple(runs(c.fmt.num(r) if c.fmt.thai_digits else r) for r in c.recommendations)
        ),
    ]


def _indicator_table(c: _Ctx) -> Table:
    """Tool, weight, each indicator with its items (and the OIT sub-indicators 9.1 ...), score."""
    fw, fmt, scores = c.fw, c.fmt, c.a.result.scores
    rows: list[list[Cell]] = []
    for tool in fw.tools:
        first = True
        for ind in tool.indicators:
            label = indicator_label(fw, ind.code, fmt)
            codes = [i.code for i in ind.all_items]
            if not ind.sub_indicators:
                label += f" {item_range(codes, fmt)}" if codes else ""
            rows.append(
                [
                    cell(tool.code if first else "", "center"),
                    cell(fmt.num(f"{tool.weight:g}") if first else "", "center"),
                    cell(label),
                    cell(fmt.score(scores.get(ind.code)), "right"),
                ]
            )
            first = False
            for sub in ind.sub_indicators:
                number = sub.code.removeprefix("ind")
                sub_codes = [i.code for i in sub.items]
                rows.append(
                    [
                        cell(""),
                        cell(""),
                        cell(f"    {fmt.num(number)} {sub.name.th} {item_range(sub_codes, fmt)}"),
                        cell(fmt.score(scores.get(sub.code)), "right"),
                    ]
                )
    rows.append(
        [
            Cell(bold("คะแนนรวม"), colspan=3, align="center"),
            Cell(bold(fmt.score(c.a.result.total)), "right"),
        ]
    )
    return simple_table(
        [
            ("แบบวัด", 11, "center"),
            ("น้ำหนัก (ร้อยละ)", 13, "center"),
            ("ตัวชี้วัด", 58, "left"),
            ("คะแนน", 18, "right"),
        ],
        rows,
        caption=f"คะแนนของ{c.agency} ตามตัวชี้วัด {fmt.num(len(fw.indicators))} ตัวชี้วัด",
    )


def _tools_sentence(
    passed: Sequence[object], failed: Sequence[object], scores: Mapping[str, float], c: _Ctx
) -> str:
    def named(tools: Sequence[object]) -> str:
        return " ".join(
            f"แบบวัด {t.code} ({c.fmt.score(scores[t.code])} คะแนน)"  # type: ignore[attr-defined]
            for t in tools
        )

    parts = []
    if passed:
        parts.append(
            f"แบบวัดที่ผ่านเกณฑ์เป้าหมาย ({c.pass_mark} คะแนนขึ้นไป) {c.fmt.num(len(passed))} "
            f"แบบวัด คือ {named(passed)}"
        )
    if failed:
        parts.append(f"แบบวัดที่ยังไม่ผ่านเกณฑ์ คือ {named(failed)}")
    return " และ".join(parts)


def _ranked_indicators(c: _Ctx) -> list[Block]:
    fmt, fw, trend = c.fmt, c.fw, c.a.trend
    years = list(trend.years) if trend else [c.year]
    rows = []
    for n, s in enumerate(c.a.ranking, 1):
        values = list(trend.series[s.code]) if trend else [s.score]
        shade: Shade | None = "bad" if published(s.score) < fw.pass_mark else None
        rows.append(
            [
                cell(fmt.num(n), "center"),
                cell(indicator_label(fw, s.code, fmt)),
                *(
                    Cell(runs(fmt.score(v)), "right", shade if k == len(values) - 1 else None)
                    for k, v in enumerate(values)
                ),
            ]
        )
    if trend:
        rows.append(
            [
                Cell(bold("คะแนนรวม"), colspan=2, align="center"),
                *(Cell(bold(fmt.score(v)), "right") for v in trend.series[TOTAL]),
            ]
        )
    share = 60 / len(years)
    columns = [
        ("อันดับ", 10, "center"),
        ("ตัวชี้วัด", 30, "left"),
        *((f"ปี {fmt.num(y)}", share, "right") for y in years),
    ]
    blocks: list[Block] = [
        simple_table(
            columns,
            rows,
            caption="คะแนนรายตัวชี้วัด เรียงจากมากไปน้อย",
            note=f"แถบสีแดง หมายถึง ตัวชี้วัดที่ได้คะแนนน้อยกว่า {c.pass_mark} คะแนน",
        )
    ]
    if c.with_charts:
        labels = [indicator_label(fw, i.code, fmt) for i in fw.indicators]
        values = [c.a.result.scores.get(i.code) for i in fw.indicators]
        if all(v is not None for v in values):
            png = charts.indicator_chart(
                labels,
                [v for v in values if v is not None],
                pass_mark=fw.pass_mark,
                title="คะแนนรายตัวชี้วัด",
                digits=fmt.digits,
            )
            blocks.append(
                Figure(
                    png,
                    16,
                    f"กราฟคะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. {c.year}",
                    "กราฟแท่งแสดงคะแนนของตัวชี้วัดทั้งสิบ",
                )
            )
    return blocks


def _trend(c: _Ctx) -> list[Block]:
    trend, fmt, fw = c.a.trend, c.fmt, c.fw
    if trend is None:
        return []
    blocks: list[Block] = []
    change = trend.change.get(TOTAL)
    if change is not None:
        word = "เพิ่มขึ้น" if change > 0 else "ลดลง" if change < 0 else "เท่าเดิม"
        text = f"เมื่อเทียบกับปีก่อน คะแนนรวม{word} {fmt.score(abs(change))} คะแนน"
        if trend.best and trend.worst:
            text += (
                f" ตัวชี้วัดที่เพิ่มขึ้นมากที่สุดคือ {fw.name_of(trend.best.code)} "
                f"({fmt.signed(trend.best.score)}) และตัวชี้วัดที่ลดลงมากที่สุดคือ "
                f"{fw.name_of(trend.worst.code)} ({fmt.signed(trend.worst.score)})"
            )
        blocks.append(para(text))
    if c.with_charts:
        series = {
            "คะแนนรวม": trend.series[TOTAL],
            **{t.code: trend.series[t.code] for t in fw.tools},
        }
        png = charts.trend_chart(
            [fmt.num(y) for y in trend.years],
            series,
            pass_mark=fw.pass_mark,
            title="แนวโน้มคะแนน",
            digits=fmt.digits,
        )
        blocks.append(
            Figure(
                png,
                15,
                "กราฟแนวโน้มคะแนนรวมและคะแนนรายแบบวัด",
                "กราฟเส้นแสดงคะแนนรวมและคะแนนแต่ละแบบวัดในแต่ละปี",
            )
        )
    return blocks


def _per_tool(c: _Ctx) -> list[Block]:
    blocks: list[Block] = [Heading("3. การวิเคราะห์ผลการประเมินจำแนกตามเครื่องมือการประเมิน", 2)]
    for n, tool in enumerate(c.fw.tools, 1):
        if tool.code not in c.a.top_items:
            blocks.append(Heading(f"3.{c.fmt.num(n)} {tool.code} {tool.name.th}", 3))
            blocks.append(para("ไม่มีคะแนนรายข้อของแบบวัดนี้ จึงวิเคราะห์ได้ในระดับตัวชี้วัดเท่านั้น"))
            continue
        blocks += _tool_section(c, n, tool.code)
    return blocks


def _tool_section(c: _Ctx, n: int, tool_code: str) -> list[Block]:
    fw, fmt, r = c.fw, c.fmt, c.a.result
    tool = fw.tool(tool_code)
    assert tool is not None
    top = {s.code for s in c.a.top_items[tool_code]}
    below = c.a.below_for(tool_code)
    below_codes = {s.code for s in below}
    rows = []
    for item in tool.items:
        value = r.scores.get(item.code)
        shade: Shade | None = (
            "good" if item.code in top else "bad" if item.code in below_codes else None
        )
        rows.append(
            [
                cell(item.code, "center"),
                cell(item.text),
                Cell(runs(fmt.score(value)), "right", shade),
            ]
        )
    blocks: list[Block] = [
        Heading(f"3.{fmt.num(n)} {tool.code} {tool.name.th}", 3),
        simple_table(
            [("ข้อ", 9, "center"), ("ประเด็นการประเมิน", 76, "left"), ("คะแนน", 15, "right")],
            rows,
            note=f"แถบสีเขียว หมายถึง ประเด็นที่ได้คะแนนสูงสุด {fmt.num(3)} อันดับแรก "
            f"แถบสีแดง หมายถึง ประเด็นที่ได้คะแนนน้อยกว่า {c.pass_mark} คะแนน",
        ),
    ]
    if tool.kind == "survey":
        blocks.append(
            Paragraph(
                runs("❖ ประเด็นที่ควรรักษามาตรฐาน (คะแนนสูงสุด 3 อันดับ)"),
                indent=False,
                keep_with_next=True,
            )
        )
        blocks.append(_scored_table(c, c.a.top_items[tool_code], directions=False, keep=True))
    if below:
        label = "ได้ 0 คะแนน" if tool.kind == "checklist" else f"ได้คะแนนน้อยกว่า {c.pass_mark} คะแนน"
        blocks.append(
            Paragraph(
                runs(
                    f"❖ ประเด็นที่ต้องแก้ไขโดยเร่งด่วน ({label} "
                    f"{fmt.num(len(below))} ประเด็น เรียงจากน้อยไปมาก)"
                ),
                indent=False,
                keep_with_next=True,
            )
        )
        blocks.append(_scored_table(c, below, directions=True))
    else:
        blocks.append(para(f"ไม่มีประเด็นที่ได้คะแนนน้อยกว่า {c.pass_mark} คะแนน"))
    return blocks


def _scored_table(
    c: _Ctx, items: Sequence[Scored], *, directions: bool, keep: bool = False
) -> Table:
    fmt, fw = c.fmt, c.fw
    rows = []
    for n, s in enumerate(items, 1):
        row = [
            cell(fmt.num(n), "center"),
            Cell(runs(Run(s.code, bold=True), " ", fw.name_of(s.code))),
            cell(fmt.score(s.score), "right"),
        ]
        if directions:
            row.append(cell(c.directions.get(s.code, DIRECTION_FALLBACK)))
        elif keep:
            row.append(cell(KEEP_DIRECTION))
        rows.append(row)
    if keep and not directions:
        cols = [
            ("ลำดับ", 10, "center"),
            ("ประเด็น", 47, "left"),
            ("คะแนน", 13, "right"),
            ("แนวทางการรักษามาตรฐาน", 30, "left"),
        ]
    elif directions:
        cols = [
            ("ลำดับ", 10, "center"),
            ("ประเด็น", 43, "left"),
            ("คะแนน", 13, "right"),
            ("แนวทางการพัฒนา", 34, "left"),
        ]
    else:
        cols = [("ลำดับ", 10, "center"), ("ประเด็น", 75, "left"), ("คะแนน", 15, "right")]
    return simple_table(cols, rows)


def _strengths(c: _Ctx) -> list[Block]:
    fw, fmt = c.fw, c.fmt
    strong = [f"{fw.name_of(s.code)} ({fmt.score(s.score)})" for s in c.a.strengths]
    weak = [f"{fw.name_of(s.code)} ({fmt.score(s.score)})" for s in c.a.weaknesses]
    items = []
    if strong:
        items.append(runs(Run("จุดแข็ง: ", bold=True), "ตัวชี้วัดที่ผ่านเกณฑ์ ได้แก่ " + ", ".join(strong)))
    if weak:
        items.append(
            runs(Run("จุดที่ต้องพัฒนา: ", bold=True), "ตัวชี้วัดที่ยังไม่ผ่านเกณฑ์ ได้แก่ " + ", ".join(weak))
        )
    if c.a.zero_items:
        items.append(
            runs(
                Run("ข้อที่ได้ 0 คะแนน: ", bold=True),
                ", ".join(fw.name_of(s.code) for s in c.a.zero_items),
            )
        )
    return [Heading("4. จุดแข็งและจุดที่ต้องพัฒนา", 2), BulletList(tuple(items))]


def _uplift(c: _Ctx) -> list[Block]:
    up, fmt, fw = c.a.uplift, c.fmt, c.fw
    blocks: list[Block] = [Heading("5. แผนยกระดับคะแนน", 2)]
    if not up.fixes:
        return [*blocks, para("ทุกข้อได้คะแนนเต็มแล้ว")]
    blocks.append(
        para(
            "ตารางต่อไปนี้แสดงว่าหากยกระดับแต่ละประเด็นให้ได้คะแนนเต็ม 100 คะแนน "
            f"หรือถึงเกณฑ์ {c.pass_mark} คะแนน คะแนนรวมของหน่วยงานจะเพิ่มขึ้นเท่าใด "
            "เรียงจากประเด็นที่มีผลต่อคะแนนรวมมากที่สุด"
        )
    )
    rows = [
        [
            cell(f.code, "center"),
            cell(fw.name_of(f.code)),
            cell(fmt.score(f.score), "right"),
            cell("+" + fmt.score(f.gain), "right"),
            cell("+" + fmt.score(f.gain_to_pass), "right"),
        ]
        for f in up.fixes[:UPLIFT_ROWS]
    ]
    blocks.append(
        simple_table(
            [
                ("ข้อ", 9, "center"),
                ("ประเด็น", 49, "left"),
                ("คะแนนปัจจุบัน", 14, "right"),
                ("เพิ่มเมื่อได้ 100", 14, "right"),
                (f"เพิ่มเมื่อได้ {c.pass_mark}", 14, "right"),
            ],
            rows,
            caption="ประเด็นที่มีผลต่อคะแนนรวมมากที่สุด",
        )
    )
    by_tool = ", ".join(f"{t} +{fmt.score(g)}" for t, g in up.by_tool.items())
    blocks.append(para(f"หากทุกข้อของแบบวัดได้คะแนนเต็ม คะแนนรวมจะเพิ่มขึ้น: {by_tool} คะแนน"))
    for target in up.targets:
        names = " และ".join("เกณฑ์ผ่าน" if n == "pass" else f"ระดับ {n}" for n in target.names)
        blocks.append(
            Paragraph(
                runs(
                    f"เพื่อให้ถึง{names} ({fmt.score(target.value)} คะแนน) ควรยกระดับอย่างน้อย "
                    f"{fmt.num(len(target.fixes))} ประเด็นให้ได้คะแนนเต็ม ซึ่งจะทำให้คะแนนรวมเพิ่มขึ้นเป็น "
                    f"{fmt.score(target.total_after)} คะแนน ได้แก่"
                ),
                keep_with_next=True,
            )
        )
        blocks.append(
            BulletList(tuple(runs(fw.name_of(code)) for code in target.fixes), keep_with_next=True)
        )
    return blocks
