"""What the command line prints: readable Thai/English tables, and the JSON contract."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from openita.engine import TOTAL, Analysis, Result
from openita.engine.rounding import published
from openita.frameworks import Framework

UPLIFT_SHOWN = 10


def width(text: str) -> int:
    """Columns a text takes in a terminal: Thai vowel and tone marks take none."""
    return sum(
        0
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn"
        else 2
        if unicodedata.east_asian_width(ch) in "WF"
        else 1
        for ch in text
    )


def pad(text: str, size: int, right: bool = False) -> str:
    space = " " * max(0, size - width(text))
    return space + text if right else text + space


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    sizes = [max(width(str(r[c])) for r in [headers, *rows]) for c in range(len(headers))]
    lines = ["  ".join(pad(h, sizes[c], c in numeric) for c, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    for row in rows:
        cells = [pad(str(v), sizes[c], c in numeric) for c, v in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{published(value):.2f}"


def r2(value: float | None) -> float | None:
    return None if value is None else published(value)


def short(text: str, limit: int = 60) -> str:
    return text if width(text) <= limit else text[: limit - 1].rstrip() + "…"


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
    data.update(
        {
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


def framework_text(fw: Framework) -> str:
    out = [
        f"{fw.id} v{fw.version} ({fw.status}) — {fw.title.th}",
        f"ปีงบประมาณ / fiscal years: {', '.join(str(y) for y in fw.fiscal_years)}; "
        f"เกณฑ์ผ่าน / pass mark: {fw.pass_mark:g}",
    ]
    for note in fw.provisional_notes:
        out.append(f"  ! {note}")
    for tool in fw.tools:
        out += ["", f"{tool.code} ({tool.weight:g}%) {tool.name.th}"]
        for ind in tool.indicators:
            codes = [i.code for i in ind.all_items]
            out.append(f"  {ind.code} {ind.name.th} ({codes[0]}-{codes[-1]})")
            for sub in ind.sub_indicators:
                sub_codes = [i.code for i in sub.items]
                out.append(f"    {sub.code} {sub.name.th} ({sub_codes[0]}-{sub_codes[-1]})")
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
        )
    out.append("ที่มา / sources: " + "; ".join(s.title for s in fw.sources))
    return "\n".join(out)
