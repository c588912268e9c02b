"""Thai for the engine's and importers' problem messages, shown on Thai pages.

The engine and importers are pure and speak English (the CLI prints it); the web app is Thai
first. Each known message shape is matched by a pattern and re-worded in Thai with the same
facts (codes, rows, values); a message no pattern knows is shown as it is, in English, rather
than hidden. On English pages messages are shown unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _rule(pattern: str, thai: str | Callable[[re.Match[str]], str]) -> Rule:
    return re.compile(pattern + r"\Z", re.DOTALL), thai


# Ordered: the first pattern that matches the whole message wins.
RULES: tuple[Rule, ...] = (
    _rule(
        r"(?P<code>\S+): score (?P<value>\S+) is outside 0-100",
        "{code}: คะแนน {value} อยู่นอกช่วง 0–100",
    ),
    _rule(
        r"(?P<code>\S+): score (?P<value>\S+) is not allowed: (?P<tool>\S+) items of framework "
        r"(?P<fw>\S+) are all-or-nothing, 0 or 100 \(100 only when every component is published\)",
        "{code}: คะแนน {value} ใช้ไม่ได้: ข้อของ {tool} ในหลักเกณฑ์ {fw} ได้ 0 หรือ 100 เท่านั้น "
        "(100 เมื่อเผยแพร่ครบทุกองค์ประกอบ)",
    ),
    _rule(r"(?P<code>\S+): score (?P<value>.+) is not a number", "{code}: คะแนน {value} ไม่ใช่ตัวเลข"),
    _rule(r"(?P<code>\S+): no score", "{code}: ไม่มีคะแนน"),
    _rule(
        r"(?P<code>\S+): duplicate code \(first at (?P<at>.+)\)", "{code}: รหัสซ้ำ (พบครั้งแรกที่ {at})"
    ),
    _rule(r"no code for the score (?P<value>.+)", "ไม่มีรหัสข้อของคะแนน {value}"),
    _rule(
        r"unknown code '(?P<code>[^']+)' in framework (?P<fw>\S+)", "ไม่มีรหัส '{code}' ในหลักเกณฑ์ {fw}"
    ),
    _rule(
        r"unknown answer code '(?P<code>[^']+)' in framework (?P<fw>\S+)",
        "ไม่มีรหัสคำถาม '{code}' ในหลักเกณฑ์ {fw}",
    ),
    _rule(
        r"(?P<code>\S+): answer (?P<answer>.+) is not an option \((?P<options>.+)\)",
        "{code}: คำตอบ {answer} ไม่ใช่ตัวเลือกของข้อนี้ ({options})",
    ),
    _rule(
        r"(?P<code>\S+) has (?P<n>\d+) sub-items: answer them as (?P<how>.+)",
        "{code} มีข้อย่อย {n} ข้อ: ตอบเป็น {how}",
    ),
    _rule(
        r"(?P<code>\S+) has no sub-items: answer it as (?P<how>\S+)",
        "{code} ไม่มีข้อย่อย: ตอบเป็น {how}",
    ),
    _rule(
        r"(?P<code>\S+) has only (?P<n>\d+) sub-items, not '(?P<bad>[^']+)'",
        "{code} มีข้อย่อยเพียง {n} ข้อ ไม่มี '{bad}'",
    ),
    _rule(
        r"(?P<code>\S+) is an item of a checklist tool: give its score, not an answer",
        "{code} เป็นข้อของแบบตรวจ (OIT): ให้คะแนน ไม่ใช่คำตอบ",
    ),
    _rule(
        r"(?P<code>\S+): incomplete, missing (?P<missing>.+) "
        r"\(give them, or the score of \S+ itself\)",
        lambda m: (
            f"{m['code']}: ยังไม่ครบ ขาด {_more(m['missing'])} "
            f"(ให้คะแนนข้อเหล่านี้ หรือคะแนนของ {m['code']} เอง)"
        ),
    ),
    _rule(
        r"missing tool (?P<tool>\S+): give its items \((?P<items>[^)]+)\), its indicators "
        r"\((?P<inds>[^)]+)\) or its score",
        "ไม่มีคะแนนของ {tool}: ให้คะแนนรายข้อ ({items}) หรือรายตัวชี้วัด ({inds}) หรือคะแนนรวมของ {tool}",
    ),
    _rule(r"fiscal_year (?P<raw>.+) is not a year like 2565", "ปีงบประมาณ {raw} ไม่ใช่ปีแบบ 2565"),
    _rule(
        r"fiscal_year (?P<year>\d+) differs from (?P<other>\d+) given before",
        "ปีงบประมาณ {year} ไม่ตรงกับ {other} ที่ระบุไว้ก่อนหน้า",
    ),
    _rule(
        r"the file is for fiscal year (?P<year>\d+), not (?P<want>\d+)",
        "ไฟล์นี้เป็นผลของปีงบประมาณ {year} ไม่ใช่ {want}",
    ),
    _rule(r"is empty", "เป็นไฟล์ว่าง"),
    _rule(r"is larger than (?P<mb>\d+) MB", "มีขนาดเกิน {mb} MB"),
    _rule(r"is a binary file, not CSV, XLSX or JSON", "ไม่ใช่ไฟล์ CSV, XLSX หรือ JSON"),
    _rule(
        r"is neither UTF-8 nor TIS-620/cp874 text \(byte (?P<at>\d+)\)",
        "ไม่ใช่ข้อความ UTF-8 หรือ TIS-620 (ไบต์ที่ {at})",
    ),
    _rule(r"is not a readable XLSX workbook \((?P<why>.*)\)", "เปิดเป็นไฟล์ XLSX ไม่ได้ ({why})"),
    _rule(
        r"no header row with 'code' and 'score' columns \(or 'respondent' for raw answers\) "
        r"in the first 10 rows",
        "ไม่พบแถวหัวตารางที่มีคอลัมน์ 'code' (รหัส) และ 'score' (คะแนน) หรือ 'respondent' "
        "(ผู้ตอบ) ใน 10 แถวแรก",
    ),
    _rule(r"has a header but no scores", "มีหัวตารางแต่ไม่มีคะแนน"),
    _rule(r"has a header but no respondents", "มีหัวตารางแต่ไม่มีคำตอบของผู้ตอบ"),
    _rule(r"is not valid JSON: (?P<why>.+)", "ไม่ใช่ JSON ที่ถูกต้อง: {why}"),
    _rule(r"JSON must be an object or a list", "JSON ต้องเป็นออบเจกต์หรือรายการ"),
    _rule(r"holds no scores and no respondents", "ไม่มีทั้งคะแนนและคำตอบ"),
    _rule(r"cannot be read \((?P<why>.+)\)", "อ่านไฟล์ไม่ได้ ({why})"),
    # Archives refused before they are unpacked (openita/importers/xlsxguard.py)
    _rule(
        r"expands to (?P<size>.+) when unpacked, over the limit of (?P<limit>.+)",
        "เมื่อแตกไฟล์ออกแล้วมีขนาด {size} เกินขนาดที่รับได้ {limit} จึงไม่เปิดไฟล์นี้",
    ),
    _rule(
        r"expands to (?P<size>.+) when unpacked, (?P<ratio>\d+) times its packed size "
        r"\(over (?P<max>\d+) times is refused\)",
        "เมื่อแตกไฟล์ออกแล้วมีขนาด {size} ใหญ่กว่าไฟล์ที่ส่งมา {ratio} เท่า (รับได้ไม่เกิน {max} เท่า) จึงไม่เปิดไฟล์นี้",
    ),
    _rule(
        r"declares (?P<n>\d+) cells, over the limit of (?P<max>\d+)",
        "มี {n} เซลล์ เกินจำนวนที่รับได้ {max} เซลล์ จึงไม่เปิดไฟล์นี้",
    ),
    _rule(
        r"holds (?P<n>\d+) files, over the limit of (?P<max>\d+)",
        "บรรจุไฟล์ย่อย {n} ไฟล์ เกินจำนวนที่รับได้ {max} ไฟล์ จึงไม่เปิดไฟล์นี้",
    ),
    # Published reports (import)
    _rule(
        r"(?P<code>\S+): (?P<value>\S+) is outside 0-100, not a score: not taken",
        "{code}: {value} อยู่นอกช่วง 0–100 จึงไม่ใช่คะแนน: ไม่นำเข้า",
    ),
    _rule(
        r"(?P<code>\S+): (?P<value>.+) is not a score: not taken",
        "{code}: {value} ไม่ใช่คะแนน: ไม่นำเข้า",
    ),
    _rule(
        r"FY(?P<year>\d+) (?P<code>\S+): (?P<a>\S+) here, but (?P<b>\S+) at line (?P<line>\d+) "
        r"\(kept\)",
        "ปี {year} {code}: ที่นี่เป็น {a} แต่บรรทัด {line} เป็น {b} (ใช้ค่าหลัง)",
    ),
    _rule(
        r"FY(?P<year>\d+) (?P<code>\S+): not an item of framework (?P<fw>\S+): not taken",
        "ปี {year} {code}: ไม่ใช่ข้อของหลักเกณฑ์ {fw}: ไม่นำเข้า",
    ),
    _rule(
        r"FY(?P<year>\d+) is incomplete \(partial result, no total computed\): (?P<what>.+)",
        lambda m: (
            f"ปี {m['year']} ข้อมูลไม่ครบ (คำนวณคะแนนรวมไม่ได้): "
            + "; ".join(thai_problem(part) for part in m["what"].split("; "))
        ),
    ),
    _rule(
        r"FY(?P<year>\d+): the report claims a (?P<what>.+?) of (?P<claim>\S+) but its "
        r"(?P<basis>.+) give (?P<got>\S+)",
        lambda m: (
            f"ปี {m['year']}: รายงานระบุ{_claimed(m['what'])} {m['claim']} "
            f"แต่{_basis(m['basis'])}ในรายงานคำนวณได้ {m['got']}"
        ),
    ),
    _rule(
        r"FY(?P<year>\d+) (?P<code>\S+): the report prints (?P<claim>\S+) but its "
        r"(?P<basis>.+) give (?P<got>\S+)",
        lambda m: (
            f"ปี {m['year']} {m['code']}: รายงานพิมพ์ {m['claim']} "
            f"แต่{_basis(m['basis'])}ในรายงานคำนวณได้ {m['got']}"
        ),
    ),
    _rule(
        r"FY(?P<year>\d+): the report claims rating (?P<claim>\S+) but its total computed from "
        r"its (?P<basis>.+) is (?P<total>\S+), rating (?P<got>.+)",
        lambda m: (
            f"ปี {m['year']}: รายงานระบุระดับผล {m['claim']} แต่คะแนนรวมที่คำนวณจาก"
            f"{_basis(m['basis'])}คือ {m['total']} ได้ระดับ {m['got']}"
        ),
    ),
    _rule(
        r"FY(?P<year>\d+): the report claims rating (?P<claim>\S+) but its stated total of "
        r"(?P<total>\S+) \(line (?P<line>\d+)\) is rating (?P<got>\S+)",
        "ปี {year}: รายงานระบุระดับผล {claim} แต่คะแนนรวมที่รายงานระบุ {total} (บรรทัด {line}) "
        "อยู่ในระดับ {got}",
    ),
    _rule(
        r"FY(?P<year>\d+): the report states a total of (?P<a>\S+) here but (?P<b>\S+) at line "
        r"(?P<line>\d+)",
        "ปี {year}: รายงานระบุคะแนนรวม {a} ที่นี่ แต่ระบุ {b} ที่บรรทัด {line}",
    ),
    _rule(
        r"FY(?P<year>\d+): the OIT item titles follow the numbering of (?P<fw>\S+), not of "
        r"(?P<own>\S+) \(the framework of FY\d+\): check the year",
        "ปี {year}: ชื่อข้อ OIT เรียงตามหลักเกณฑ์ {fw} ไม่ใช่ {own} ของปีนั้น: โปรดตรวจปี",
    ),
    _rule(
        r"another agency is named: (?P<other>.+) \((?P<n>\d+) time\(s\)\); the report is about "
        r"(?P<own>.+): a copy-paste slip\?",
        "พบชื่อหน่วยงานอื่น: {other} ({n} ครั้ง) ขณะที่รายงานเป็นของ {own}: คัดลอกมาผิดหรือไม่",
    ),
)


BASIS = re.compile(
    r"(?:(?P<ind>\d+) (?P<sub>sub-)?indicator)?(?: and )?(?:(?P<items>\d+) item)? scores"
    r"(?: \(lines? (?P<first>\d+)(?:-(?P<last>\d+))?\))?"
)


def _basis(basis: str) -> str:
    """'10 indicator scores (lines 46-55)' -> 'คะแนนรายตัวชี้วัด 10 ตัว (บรรทัด 46–55)'."""
    found = BASIS.fullmatch(basis)
    if found is None:
        return "คะแนน"
    parts = []
    if found["ind"]:
        kind = "รายตัวชี้วัดย่อย" if found["sub"] else "รายตัวชี้วัด"
        parts.append(f"{kind} {found['ind']} ตัว")
    if found["items"]:
        parts.append(f"รายข้อ {found['items']} ข้อ")
    text = "คะแนน" + "และ".join(parts)
    if found["first"]:
        lines = found["first"] + (f"–{found['last']}" if found["last"] else "")
        text += f" (บรรทัด {lines}) "
    return text


def _more(codes: str) -> str:
    """'i1, i2 and 16 more' -> 'i1, i2 และอีก 16 รายการ'."""
    return re.sub(r" and (\d+) more$", r" และอีก \1 รายการ", codes)


def _claimed(what: str) -> str:
    """'total' -> คะแนนรวม; 'IIT score' -> คะแนน IIT."""
    if what == "total":
        return "คะแนนรวม"
    return "คะแนน " + what.removesuffix(" score")


def thai_problem(message: str) -> str:
    """The message in Thai when a rule knows it; else the message unchanged."""
    text = message.strip()
    for pattern, thai in RULES:
        found = pattern.match(text)
        if found is not None:
            return thai(found) if callable(thai) else thai.format(**found.groupdict())
    return message


def problem_for_page(message: str) -> str:
    """What a page shows: Thai on Thai pages, the original on English ones."""
    if (get_language() or "th").startswith("en"):
        return message
    return thai_problem(message)
