"""Thai for the problems the framework validator reports (``openita.frameworks.loader``).

The validator speaks English (the CLI prints it); on Thai pages each known message shape is
re-worded in Thai with the same facts, as ``results/messages.py`` does for score files. Field
problems from the schema read ``path.to.field: message (got value)``: the path and the value
are kept, the message is translated. A message no rule knows is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


def _rule(pattern: str, thai: str | Callable[[re.Match[str]], str]) -> Rule:
    return re.compile(pattern + r"\Z", re.DOTALL), thai


# Whole messages (rules.py, the YAML reader, the upload service); the first match wins.
RULES: tuple[Rule, ...] = (
    _rule(r"not valid YAML: (?P<why>.+)", "ไม่ใช่ YAML ที่ถูกต้อง: {why}"),
    _rule(r"the file is empty", "เป็นไฟล์ว่าง"),
    _rule(
        r"not UTF-8 text \(byte (?P<at>\d+)\); save it as UTF-8",
        "ไม่ใช่ข้อความ UTF-8 (ไบต์ที่ {at}) โปรดบันทึกไฟล์เป็น UTF-8",
    ),
    _rule(r"the file must be a \.yaml or \.yml file", "ต้องเป็นไฟล์ .yaml หรือ .yml"),
    _rule(r"key '(?P<key>[^']+)' appears twice", "คีย์ '{key}' ปรากฏสองครั้ง (ใช้ได้เพียงครั้งเดียว)"),
    _rule(
        r"tool weights must sum to 100, they sum to (?P<sum>\S+) \((?P<shown>.*)\)",
        "น้ำหนักของแบบวัดต้องรวมกันได้ 100 แต่รวมได้ {sum} ({shown})",
    ),
    _rule(
        r"code '(?P<code>[^']+)' is used twice \(first at (?P<at>.+)\)",
        "รหัส '{code}' ใช้ซ้ำ (ใช้ครั้งแรกที่ {at})",
    ),
    _rule(
        r"indicator (?P<code>\S+) must have either items or sub_indicators, not both",
        "ตัวชี้วัด {code} ต้องมี items หรือ sub_indicators อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง",
    ),
    _rule(
        r"indicator (?P<code>\S+) must have either items or sub_indicators, not neither",
        "ตัวชี้วัด {code} ต้องมี items หรือ sub_indicators อย่างใดอย่างหนึ่ง แต่ไม่มีเลย",
    ),
    _rule(
        r"item (?P<code>\S+) of survey tool (?P<tool>\S+) needs a scale",
        "ข้อ {code} ของแบบวัด {tool} (แบบสำรวจ) ต้องระบุ scale (มาตรวัดคำตอบ)",
    ),
    _rule(
        r"item (?P<code>\S+): unknown scale '(?P<scale>[^']+)'",
        "ข้อ {code}: ไม่มีมาตรวัดคำตอบ '{scale}' ในไฟล์นี้",
    ),
    _rule(
        r"band min (?P<lo>\S+) is above its max (?P<hi>\S+)",
        "ช่วงระดับผลมีค่าต่ำสุด {lo} มากกว่าค่าสูงสุด {hi}",
    ),
    _rule(r"bands leave a gap: 0 to (?P<lo>\S+)", "ช่วงระดับผลไม่ครอบคลุมคะแนน 0 ถึง {lo}"),
    _rule(r"bands leave a gap: (?P<hi>\S+) to 100", "ช่วงระดับผลไม่ครอบคลุมคะแนน {hi} ถึง 100"),
    _rule(
        r"bands leave a gap between (?P<a>\S+) and (?P<b>\S+) \(the next band must start "
        r"(?P<step>\S+) above the previous max\)",
        "ช่วงระดับผลเว้นช่องว่างระหว่าง {a} กับ {b} (ช่วงถัดไปต้องเริ่มที่ค่าสูงสุดของช่วงก่อนหน้า + {step})",
    ),
    _rule(
        r"band from (?P<lo>\S+) overlaps the band up to (?P<hi>\S+)",
        "ช่วงระดับผลที่เริ่มที่ {lo} ซ้อนกับช่วงที่สิ้นสุดที่ {hi}",
    ),
    _rule(
        r"the last qualitative level must have no conditions, so that every result gets a level",
        "ระดับผลเชิงคุณภาพระดับสุดท้ายต้องไม่มีเงื่อนไข เพื่อให้ทุกผลการประเมินได้ระดับ",
    ),
    _rule(
        r"version (?P<v>\d+) of (?P<id>\S+) must be greater than (?P<cur>\d+), its current "
        r"version \(write version: (?P<next>\d+)\)",
        "รุ่น {v} ของ {id} ต้องมากกว่ารุ่นปัจจุบัน {cur} (ระบุ version: {next})",
    ),
    _rule(
        r"version (?P<v>\d+) of (?P<id>\S+) was stored meanwhile by (?P<who>.+); upload again "
        r"with a higher version",
        "รุ่น {v} ของ {id} เพิ่งถูกบันทึกโดย {who} ระหว่างนี้ โปรดอัปโหลดใหม่โดยใช้รุ่นที่สูงกว่า",
    ),
)

# The message part of a schema problem ("tools.0.weight: <message> (got 120)").
FIELD_RULES: tuple[Rule, ...] = (
    _rule(r"Field required", "ต้องระบุ"),
    _rule(r"Extra inputs are not permitted", "ไม่รู้จักคีย์นี้ (สะกดผิดหรือไม่)"),
    _rule(r"Input should be a valid integer.*", "ต้องเป็นจำนวนเต็ม"),
    _rule(r"Input should be a valid number.*", "ต้องเป็นตัวเลข"),
    _rule(r"Input should be a valid string", "ต้องเป็นข้อความ"),
    _rule(r"Input should be a valid boolean.*", "ต้องเป็น true หรือ false"),
    _rule(r"Input should be a valid (?:list|tuple|array)", "ต้องเป็นรายการ"),
    _rule(r"Input should be a valid dictionary.*", "ต้องเป็นชุดคีย์และค่า"),
    _rule(r"Input should be (?P<choices>'.+)", "ต้องเป็น {choices}"),
    _rule(r"Input should be greater than or equal to (?P<n>\S+)", "ต้องไม่น้อยกว่า {n}"),
    _rule(r"Input should be greater than (?P<n>\S+)", "ต้องมากกว่า {n}"),
    _rule(r"Input should be less than or equal to (?P<n>\S+)", "ต้องไม่เกิน {n}"),
    _rule(r"Input should be less than (?P<n>\S+)", "ต้องน้อยกว่า {n}"),
    _rule(r"String should match pattern '(?P<p>.+)'", "รูปแบบไม่ถูกต้อง (ต้องตรงกับ {p})"),
    _rule(r"String should have at least (?P<n>\d+) characters?", "ต้องมีอย่างน้อย {n} ตัวอักษร"),
    _rule(
        r"(?:List|Tuple) should have at least (?P<n>\d+) items? after validation, not (?P<m>\d+)",
        "ต้องมีอย่างน้อย {n} รายการ (มี {m})",
    ),
)

_FIELD = re.compile(r"(?P<loc>[\w.()]+): (?P<msg>.+?)(?P<got> \(got .*\))?\Z", re.DOTALL)


def _apply(rules: tuple[Rule, ...], text: str) -> str | None:
    for pattern, thai in rules:
        found = pattern.match(text)
        if found is not None:
            return thai(found) if callable(thai) else thai.format(**found.groupdict())
    return None


def thai_problem(message: str) -> str:
    """The message in Thai when a rule knows it; else the message unchanged."""
    text = message.strip()
    whole = _apply(RULES, text)
    if whole is not None:
        return whole
    field = _FIELD.match(text)
    if field is not None:
        thai = _apply(FIELD_RULES, field["msg"])
        if thai is not None:
            got = field["got"] or ""
            got = got.replace(" (got ", " (ค่าที่ให้ ", 1) if got else ""
            return f"{field['loc']}: {thai}{got}"
    return message


def problem_for_page(message: str) -> str:
    """Thai on Thai pages, the original on English ones."""
    if (get_language() or "th").startswith("en"):
        return message
    return thai_problem(message)
