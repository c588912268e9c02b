"""What the command line prints: readable Thai/English tables, and the JSON contract."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openita.cli.terminal import short, table
from openita.engine import TOTAL, Analysis, QualitativeReason, Result
from openita.engine.analysis import qualitative_reason
from openita.engine.rounding import published
from openita.frameworks import Framework

UPLIFT_SHOWN = 10


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{published(value):.2f}"


def r2(value: float | None) -> float | None:
    return None if value is None else published(value)


# ---------------------------------------------------------------- human output


def result_text(result: Result) -> str:
    fw = result.framework
    out = [
        "ผลการประเมิน ITA / ITA result",
        f"กรอบการประเมิน / Framework: {fw.id} v{fw.version} ({fw.status})",
    ]
    if result.fiscal_year:
        out.append(f"ปีงบประมาณ / Fiscal year: {result.fiscal_year}")
    verdict = "ผ่าน / passed" if result.passed else "ไม่ผ่าน / not passed"
    out.append(
        f"คะแนนรวม / Total: {fmt(result.total)}   ระดับ / Rating: {result.band.code}   "
        f"เกณฑ์ {fw.pass_mark:g}: {verdict}"
    )
    if result.qualitative is not None:
        q = result.qualitative
        out.append(f"ระดับเชิงคุณภาพ / Qualitative rating: {q.label.th} ({q.label.en or q.code})")
        out += reason_lines(qualitative_reason(result))
    out += [
        "",
        table(
            ["แบบวัด/Tool", "น้ำหนัก/Weight", "คะแนน/Score"],
            [[t.code, f"{t.weight:g}", fmt(result.scores[t.code])] for t in fw.tools],
            numeric=(1, 2),
        ),
    ]
    rows = []
    for n, ind in enumerate(fw.indicators, 1):
        rows.append([str(n), ind.code, ind.name.th, fmt(result.scores.get(ind.code))])
        for sub in ind.sub_indicators:
            rows.append(["", sub.code, "  " + sub.name.th, fmt(result.scores.get(sub.code))])
    out += ["", table(["#", "รหัส/Code", "ตัวชี้วัด/Indicator", "คะแนน/Score"], rows, numeric=(3,))]
    return "\n".join(out)


def reason_lines(reason: QualitativeReason | None) -> list[str]:
    """Why the qualitative level is what it is, in Thai and in English."""
    if reason is None:
        return []
    above = reason.next_level
    if above is None:
        return ["  ระดับสูงสุดแล้ว / the highest level"]
    th = "; ".join(
        f"{'คะแนนรวม' if s.code == TOTAL else s.code} {fmt(s.score)} ต่ำกว่า {s.needed:g} "
        f"ที่ระดับ{above.label.th}กำหนด ขาดอีก {s.short_by:.2f}"
        for s in reason.shortfalls
    )
    en = "; ".join(
        f"{'the total' if s.code == TOTAL else s.code} {fmt(s.score)} is under the "
        f"{s.needed:g} needed for {above.label.th}, short by {s.short_by:.2f}"
        for s in reason.shortfalls
    )
    return [f"  เหตุผล: {th}", f"  Reason: {en}"]


def analysis_text(analysis: Analysis) -> str:
    result = analysis.result
    fw = result.framework
    out = [result_text(result), "", "อันดับตัวชี้วัด / Indicators ranked"]
    out.append(
        table(
            ["อันดับ/Rank", "รหัส/Code", "ตัวชี้วัด/Indicator", "คะแนน/Score"],
            [
                [str(n), s.code, fw.name_of(s.code), fmt(s.score)]
                for n, s in enumerate(analysis.ranking, 1)
            ],
            numeric=(3,),
        )
    )
    for tool, top in analysis.top_items.items():
        out += ["", f"{tool}: ประเด็นที่ควรรักษามาตรฐาน (สูงสุด 3 อันดับ) / top items to keep"]
        out.append(_items_table(fw, top))
        below = analysis.below_for(tool)
        if below:
            out += [
                "",
                f"{tool}: ประเด็นที่ต่ำกว่า {fw.pass_mark:g} คะแนน (น้อยไปมาก) / "
                f"items under the pass mark, lowest first ({len(below)})",
            ]
            out.append(_items_table(fw, below))
    if analysis.zero_items:
        out += ["", "ข้อที่ได้ 0 คะแนน / items at 0: " + ", ".join(s.code for s in analysis.zero_items)]
    out += [
        "",
        "จุดแข็ง / Strengths: " + (", ".join(s.code for s in analysis.strengths) or "-"),
        "จุดที่ต้องพัฒนา / Weaknesses: "
        + (", ".join(f"{s.code} {fmt(s.score)}" for s in analysis.weaknesses) or "-"),
    ]
    if analysis.tools_below:
        out.append(
            "แบบวัดที่ต่ำกว่าเกณฑ์ / Tools under the pass mark: "
            + ", ".join(f"{s.code} {fmt(s.score)}" for s in analysis.tools_below)
        )
    out += _trend_lines(analysis)
    out += _mismatch_lines(analysis)
    out += _uplift_lines(analysis)
    return "\n".join(out)


def _items_table(fw: Framework, items: Sequence[Any]) -> str:
    return table(
        ["รหัส/Code", "ประเด็น/Item", "คะแนน/Score"],
        [[s.code, short(fw.name_of(s.code)), fmt(s.score)] for s in items],
        numeric=(2,),
    )


def _trend_lines(analysis: Analysis) -> list[str]:
    trend = analysis.trend
    if trend is None:
        return []
    fw = analysis.result.framework
    codes = [TOTAL, *(t.code for t in fw.tools), *(i.code for i in fw.indicators)]
    rows = [
        [
            c,
            short(fw.name_of(c), 30),
            *(fmt(v) for v in trend.series[c]),
            _signed(trend.change.get(c)),
        ]
        for c in codes
    ]
    headers = ["รหัส/Code", "รายการ/Name", *trend.years, "เปลี่ยนแปลง/Change"]
    numeric = tuple(range(2, len(headers)))
    out = ["", "แนวโน้ม / Trend", table(headers, rows, numeric)]
    if trend.best and trend.worst:
        out.append(
            f"ดีขึ้นมากที่สุด / best mover: {trend.best.code} {_signed(trend.best.score)}; "
            f"ลดลงมากที่สุด / worst mover: {trend.worst.code} {_signed(trend.worst.score)}"
        )
    return out


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def _mismatch_lines(analysis: Analysis) -> list[str]:
    if not analysis.mismatches:
        return ["", "ตรวจความสอดคล้อง / Consistency: ตัวเลขที่ระบุตรงกับที่คำนวณได้ / claimed figures match"]
    rows = [
        [m.year, m.code, fmt(m.claimed), fmt(m.computed), _signed(m.difference)]
        for m in analysis.mismatches
    ]
    return [
        "",
        "ตรวจความสอดคล้อง / Consistency: ตัวเลขที่ระบุไม่ตรงกับที่คำนวณได้ / "
        "claimed figures that their own parts do not give",
        table(
            ["ปี/Year", "รหัส/Code", "ระบุ/Claimed", "คำนวณ/Computed", "ต่าง/Diff"],
            rows,
            numeric=(2, 3, 4),
        ),
    ]


def _uplift_lines(analysis: Analysis) -> list[str]:
    up = analysis.uplift
    fw = analysis.result.framework
    out = [
        "",
        "แผนยกระดับคะแนน / Uplift plan: คะแนนรวมที่เพิ่มได้ถ้ายกข้อนั้นเป็น 100 / "
        "points of the total gained by raising each to 100",
    ]
    if not up.fixes:
        return [*out, "ทุกข้อได้ 100 แล้ว / every item is at 100"]
    rows = [
        [
            f.code,
            short(fw.name_of(f.code), 40),
            fmt(f.score),
            f"+{f.gain:.2f}",
            f"+{f.gain_to_pass:.2f}",
        ]
        for f in up.fixes[:UPLIFT_SHOWN]
    ]
    out.append(
        table(
            [
                "รหัส/Code",
                "ประเด็น/Item",
                "คะแนน/Score",
                "ถึง 100/to 100",
                f"ถึง {fw.pass_mark:g}/to pass",
            ],
            rows,
            numeric=(2, 3, 4),
        )
    )
    if len(up.fixes) > UPLIFT_SHOWN:
        out.append(
            f"… และอีก {len(up.fixes) - UPLIFT_SHOWN} ข้อ / and "
            f"{len(up.fixes) - UPLIFT_SHOWN} more (--json lists all)"
        )
    out.append(
        "ต่อแบบวัด / per tool (all items at 100): "
        + ", ".join(f"{t} +{g:.2f}" for t, g in up.by_tool.items())
    )
    for target in up.targets:
        names = " / ".join(
            "เกณฑ์ผ่าน pass mark" if n == "pass" else f"ระดับ {n}" for n in target.names
        )
        out.append(
            f"ถึง{names} ({target.value:g}): ยก {len(target.fixes)} ข้อเป็น 100 / raise "
            f"{len(target.fixes)} to 100: {', '.join(target.fixes)} "
            f"-> {fmt(target.total_after)}"
        )
    return out


# ---------------------------------------------------------------- JSON contract


def result_json(result: Result) -> dict[str, Any]:
    fw = result.framework
    q = result.qualitative
    return {
        "framework": fw.id,
        "framework_version": fw.version,
        "framework_status": fw.status,
        "fiscal_year": result.fiscal_year,
        "total": r2(result.total),
        "rating": result.band.code,
        "passed": result.passed,
        "pass_mark": fw.pass_mark,
        "qualitative_rating": None if q is None else {"code": q.code, "label": q.label.th},
        "tools": {c: r2(v) for c, v in result.tools.items()},
        "indicators": {c: r2(v) for c, v in result.indicators.items()},
        "sub_indicators": {c: r2(v) for c, v in result.sub_indicators.items()},
        "items": {c: r2(v) for c, v in result.items.items()},
    }


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    data = result_json(analysis.result)
    up = analysis.uplift
    trend = analysis.trend
    reason = analysis.qualitative_reason
    data.update(
        {
            "qualitative_reason": None
            if reason is None
            else {
                "level": reason.level.code,
                "next_level": None if reason.next_level is None else reason.next_level.code,
                "next_label": None if reason.next_level is None else reason.next_level.label.th,
                "held_by_tools": reason.held_by_tools,
                "shortfalls": [
                    {
                        "code": s.code,
                        "score": r2(s.score),
                        "needed": s.needed,
                        "short_by": s.short_by,
                    }
                    for s in reason.shortfalls
                ],
            },
            "ranking": [
                {"rank": n, "code": s.code, "score": r2(s.score)}
                for n, s in enumerate(analysis.ranking, 1)
            ],
            "below_threshold": [
                {"code": s.code, "score": r2(s.score)} for s in analysis.below_threshold
            ],
            "zero_items": [s.code for s in analysis.zero_items],
            "top_items": {t: [s.code for s in top] for t, top in analysis.top_items.items()},
            "strengths": [s.code for s in analysis.strengths],
            "weaknesses": [s.code for s in analysis.weaknesses],
            "tools_below": [s.code for s in analysis.tools_below],
            "uplift": [
                {
                    "code": f.code,
                    "gain": r2(f.gain),
                    "gain_to_pass": r2(f.gain_to_pass),
                    "score": r2(f.score),
                }
                for f in up.fixes
            ],
            "uplift_by_tool": {t: r2(g) for t, g in up.by_tool.items()},
            "uplift_targets": [
                {
                    "names": list(t.names),
                    "target": t.value,
                    "fixes": list(t.fixes),
                    "total_after": r2(t.total_after),
                }
                for t in up.targets
            ],
            "consistency": [
                {
                    "year": m.year,
                    "code": m.code,
                    "claimed": r2(m.claimed),
                    "computed": r2(m.computed),
                    "difference": r2(m.difference),
                }
                for m in analysis.mismatches
            ],
            "trend": None
            if trend is None
            else {
                "years": list(trend.years),
                "series": {c: [r2(v) for v in vs] for c, vs in trend.series.items()},
                "change": {c: r2(v) for c, v in trend.change.items()},
                "best_mover": None if trend.best is None else trend.best.code,
                "worst_mover": None if trend.worst is None else trend.worst.code,
            },
        }
    )
    return data


def framework_json(fw: Framework) -> dict[str, Any]:
    return fw.model_dump(mode="json", exclude_none=True)


def code_span(codes: Sequence[str]) -> str:
    """``o1-o10`` for a run of consecutive codes, else the codes listed."""
    if not codes:
        return "-"
    prefix = codes[0].rstrip("0123456789")
    numbers = [c[len(prefix) :] for c in codes]
    if all(c.startswith(prefix) and n.isdigit() for c, n in zip(codes, numbers, strict=True)):
        values = [int(n) for n in numbers]
        if values == list(range(values[0], values[0] + len(values))):
            return codes[0] if len(codes) == 1 else f"{codes[0]}-{codes[-1]}"
    return ", ".join(codes)


def _item_lines(item: Any, indent: str, checklist: bool) -> list[str]:
    text = item.text if checklist else short(item.text, 70)
    flag = "" if item.title_known else "  [ไม่ทราบชื่อข้อ / title unknown]"
    out = [f"{indent}{item.code} {text}{flag}"]
    more = indent + "    "
    for n, comp in enumerate(item.components, 1):
        out.append(f"{more}องค์ประกอบ/component {n}: {comp}")
    if item.confidence:
        out.append(f"{more}ความเชื่อมั่น/confidence: {item.confidence}")
    for src in item.sources:
        out.append(f"{more}ที่มา/source: {src}")
    if item.note:
        out.append(f"{more}หมายเหตุ/note: {item.note}")
    return out


def framework_text(fw: Framework) -> str:
    out = [
        f"{fw.id} v{fw.version} ({fw.status}) — {fw.title.th}",
        f"ระบุในเอกสาร / colophon: {fw.colophon('th')}",
        f"ปีงบประมาณ / fiscal years: {', '.join(str(y) for y in fw.fiscal_years)}; "
        f"เกณฑ์ผ่าน / pass mark: {fw.pass_mark:g}",
    ]
    for note in fw.provisional_notes:
        out.append(f"  ! {note}")
    for tool in fw.tools:
        scoring = ", ข้อละ 0 หรือ 100 / all-or-nothing" if tool.scoring == "all_or_nothing" else ""
        out += ["", f"{tool.code} ({tool.weight:g}%{scoring}) {tool.name.th}"]
        checklist = tool.kind == "checklist"
        for ind in tool.indicators:
            codes = [i.code for i in ind.all_items]
            out.append(f"  {ind.code} {ind.name.th} ({code_span(codes)})")
            for item in ind.items:
                out += _item_lines(item, "    ", checklist)
            for sub in ind.sub_indicators:
                sub_codes = [i.code for i in sub.items]
                out.append(f"    {sub.code} {sub.name.th} ({code_span(sub_codes)})")
                for item in sub.items:
                    out += _item_lines(item, "      ", checklist)
    unknown = [i.code for i in fw.items if not i.title_known]
    if unknown:
        out.append("ข้อที่ไม่ทราบชื่อ / items with unknown titles: " + ", ".join(unknown))
    out += ["", "ระดับ / bands: " + ", ".join(f"{b.code} {b.min:g}-{b.max:g}" for b in fw.bands)]
    if fw.qualitative_rating:
        out.append(
            "ระดับเชิงคุณภาพ / qualitative: "
            + "; ".join(
                f"{lv.label.th} (รวม ≥ {lv.min_total:g}"
                + (f", ทุกแบบวัด ≥ {lv.min_each_tool:g}" if lv.min_each_tool is not None else "")
                + ")"
                for lv in fw.qualitative_rating.levels
            )
            + f" [{fw.qualitative_rating.status}]"
        )
    plan = fw.planning
    out.append(
        f"การวางแผน / planning: {plan.approach}"
        + (f", แผน/plan {plan.plan_item}" if plan.plan_item else "")
        + (f", รายงาน/report {plan.report_item}" if plan.report_item else "")
        + f" [{plan.status}]"
        + (f" — {plan.note}" if plan.note else "")
    )
    out.append("ที่มา / sources: " + "; ".join(s.title for s in fw.sources))
    return "\n".join(out)


def diff_text(d: Any, old: Framework, new: Framework) -> str:
    """``openita frameworks diff``: what moved, was renamed, added or removed."""

    def ref(r: Any) -> str:
        title = r.title if r.title_known else "(ไม่ทราบชื่อข้อ / title unknown)"
        return f"{r.code} [{r.place}] {short(title, 50)}"

    out = [f"{old.colophon('th')} -> {new.colophon('th')}"]
    out.append(
        f"ไม่เปลี่ยน / unchanged: {d.unchanged} ข้อ/items"
        + (f"; แบบวัดที่เหมือนเดิม / same tools: {', '.join(d.same_tools)}" if d.same_tools else "")
    )
    sections = [
        ("ย้าย / moved (same title, other code or place)", d.moved),
        ("เปลี่ยนชื่อ / renamed (same code, other title)", d.renamed),
    ]
    for title, changes in sections:
        out += ["", f"{title}: {len(changes)}"]
        for c in changes:
            mark = f"  (~{c.similarity:.2f})" if 0 < c.similarity < 1 else ""
            out.append(f"  {ref(c.old)}  ->  {ref(c.new)}{mark}")
    out += ["", f"เพิ่ม / added: {len(d.added)}"]
    out += [f"  + {ref(c.new)}" for c in d.added]
    out += ["", f"ตัดออก / removed: {len(d.removed)}"]
    out += [f"  - {ref(c.old)}" for c in d.removed]
    out += ["", f"ตัวชี้วัดที่ข้อเปลี่ยน / indicators whose items changed: {len(d.indicators)}"]
    for ind in d.indicators:
        parts = [
            f"{label} {', '.join(codes)}"
            for label, codes in (
                ("+", ind.added),
                ("-", ind.removed),
                ("ย้ายเข้า/in", ind.moved_in),
                ("ย้ายออก/out", ind.moved_out),
                ("เลขข้อใหม่/renumbered", ind.renumbered),
                ("ชื่อใหม่/renamed", ind.renamed),
            )
            if codes
        ]
        out.append(
            f"  {ind.code} {ind.name}: {len(ind.old_items)} -> {len(ind.new_items)} ข้อ/items; "
            + "; ".join(parts)
        )
    out += [
        "",
        "การเทียบข้อข้ามกรอบใช้ไฟล์จับคู่ที่ตรวจแล้วเท่านั้น / item comparisons across frameworks "
        "use only a reviewed mapping file (--propose-mapping writes a proposal)",
    ]
    return "\n".join(out)
