"""Headline figures in prose: a year's total and rating however an agency words them.

Agencies announce their results in many shapes: "ได้คะแนน 92.50 คะแนน", "มีผลคะแนน ๙๒.๕๐",
"ผลการประเมินอยู่ที่ 92.50", "ได้รับคะแนนรวม **92.50**", "ได้ระดับ “A” ด้วยคะแนน 92.50",
"(ผ่าน) ระดับ AA", "ผ่านดีเยี่ยม", across wrapped lines as pdftotext gives them. This module
finds, in one block of prose (a paragraph joined from its wrapped lines):

* every **total** figure: a number 0-100 marked as a score (followed by ``คะแนน``, or after a
  score word in its clause) that is not tied to an indicator, tool or item, not a threshold or
  target (``85 คะแนนขึ้นไป``, ``เพื่อให้ถึง``), not a change (``เพิ่มขึ้น 5.25``), not another
  body's figure (``ค่าเฉลี่ยระดับประเทศ``) and not a quoted slip (``ระบุไว้ 85.29 แต่คำนวณ``);
* every **rating**: AA-F in any case, ผ่านดีเยี่ยม / ผ่านดี / ผ่าน / ไม่ผ่าน / ต้องปรับปรุง /
  ต้องปรับปรุงโดยด่วน, after ``ระดับ`` / ``เกรด`` / ``Rating`` / ``ผลการประเมิน`` or in
  brackets, normalised (``a`` -> ``A``);
* the **year of a figure**: the year its own sentence gives (before it on its line, else after
  it on its line when that year does not lead another figure, else before it in the
  paragraph), never a date (``15 มกราคม 2568``) or a period (``พ.ศ. 2561 - 2580``); else the
  year of the heading above (the caller's context).

Pure functions over normalised text (Thai digits already Arabic, quotes and emphasis gone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

LETTERS = ("AA", "A", "B", "C", "D", "E", "F")
WORDS = ("ผ่านดีเยี่ยม", "ผ่านดี", "ไม่ผ่าน", "ต้องปรับปรุงโดยด่วน", "ต้องปรับปรุง", "ผ่าน")
PASS_WORDS = ("ผ่าน", "ไม่ผ่าน")  # say pass or fail only: a letter or a level says more
_WORD_ALT = "|".join(WORDS)
_THAI = r"\u0e00-\u0e7f"
_AFTER_WORD = rf"(?![{_THAI}A-Za-z])"
_LETTER = r"(?i:AA|A|B|C|D|E|F)(?![A-Za-z])"

# ระดับ A, ได้ระดับผลการประเมิน (Rating Score) : aa, เกรด A, Rating A, อยู่ในระดับ ผ่านดี
RATING_LEAD = re.compile(
    r"(?:ระดับ|เกรด|\bRating(?:\s*Score)?\b)\s*(?:ผลการประเมิน)?\s*(?:ITA\s*)?"
    r"(?:\(?\s*Rating(?:\s*Score)?\s*\)?)?\s*(?:คือ|ได้|=|:|อยู่ใน|อยู่ที่|เป็น|ที่ได้)?\s*"
    r"[(\[]?\s*(?P<r>" + _LETTER + "|" + _WORD_ALT + rf"){_AFTER_WORD}",
)
# ผลการประเมิน: ผ่านดี, อยู่ในเกณฑ์ผ่านดีเยี่ยม, (ผ่าน), [ผ่านดี]
RATING_WORD = re.compile(
    rf"(?:(?:ผลการประเมิน(?:\s*ITA)?|ผลการประเมินคือ|อยู่ในเกณฑ์|เกณฑ์)\s*[:=]?\s*|[(\[]\s*)"
    rf"(?P<r>{_WORD_ALT}){_AFTER_WORD}"
)
# 93.45 คะแนน (A), ผ่าน (A): a band in brackets right after a score or a pass word
RATING_PAREN = re.compile(rf"(?:คะแนน|\d|ผ่าน(?:ดี(?:เยี่ยม)?)?)\s*[(\[]\s*(?P<r>{_LETTER})\s*[)\]]")
# A rating followed by a range or "หมายถึง" is a legend of the bands, not a result.
LEGEND = re.compile(r"\s*[)\]]?\s*(?:หมายถึง|คือ|=|:)?\s*\(?\s*\d+(?:\.\d+)?\s*(?:-|ถึง)\s*\d")
# A rating after these words is a band to reach, not the one got.
TARGET_BEFORE = re.compile(r"(?:ถึง|สู่|เป้าหมาย|เป้า|ขึ้นไปเป็น|ให้ได้|ยกระดับ(?:เป็น)?|ต้องการ)\s*$")


def rating_token(text: str) -> str | None:
    """A cell or word as a rating, normalised (``a`` -> ``A``, ``(ผ่าน)`` -> ``ผ่าน``)."""
    token = re.sub(r"[\s()\[\]:.]", "", text)
    if token.upper() in LETTERS:
        return token.upper()
    return token if token in WORDS else None


def ratings_in(text: str) -> list[tuple[int, str]]:
    """(position, rating) of each rating claim in ``text``."""
    found: dict[int, str] = {}
    for pattern in (RATING_LEAD, RATING_WORD, RATING_PAREN):
        for match in pattern.finditer(text):
            start = match.start("r")
            if TARGET_BEFORE.search(text[max(0, match.start() - 20) : match.start()]):
                continue
            if LEGEND.match(text, match.end("r")):
                continue
            value = rating_token(match.group("r"))
            if value is not None:
                found.setdefault(start, value)
    return sorted(found.items())


# --- years -------------------------------------------------------------------------------------

YEAR = re.compile(r"(?<![\d.])(25[4-9]\d)(?![\d.])")
MONTHS = (
    "มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน"
    r"|ธันวาคม|ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\."
)
DATE_BEFORE = re.compile(rf"(?:{MONTHS})\s*(?:พ\.ศ\.)?\s*$")
RANGE_NEAR = re.compile(r"25[4-9]\d\s*(?:-|ถึง)\s*$|^\s*(?:-|ถึง)\s*(?:พ\.ศ\.\s*)?25[4-9]\d")


SHORT_YEAR = re.compile(r"(?:ปี(?:งบประมาณ)?|พ\.ศ\.)\s*(?P<y>[67]\d)(?![\d.])")


def year_mentions(text: str) -> list[tuple[int, int]]:
    """(position, year) of each fiscal-year mention: dates and periods left out; a short
    year after ปี / ปีงบประมาณ / พ.ศ. (``ปี 67``) is read as 2567."""
    found = [(m.start("y"), 2500 + int(m.group("y"))) for m in SHORT_YEAR.finditer(text)]
    for match in YEAR.finditer(text):
        before = text[max(0, match.start() - 16) : match.start()]
        if DATE_BEFORE.search(before):
            continue
        if RANGE_NEAR.search(text[max(0, match.start() - 12) : match.start()]) or RANGE_NEAR.search(
            text[match.end() : match.end() + 12]
        ):
            continue
        found.append((match.start(), int(match.group(1))))
    return sorted(found)


def year_for(
    text: str,
    pos: int,
    line_start: int,
    line_end: int,
    figures: Sequence[int],
    context: int | None,
) -> int | None:
    """The fiscal year a figure at ``pos`` belongs to (see the module's docstring).

    ``line_start``/``line_end``: the figure's own line within ``text``; ``figures``: positions
    of the other figures of the block (a year right before one of them leads that one).
    """
    years = year_mentions(text)
    same_line_before = [y for p, y in years if line_start <= p < pos]
    if same_line_before:
        return same_line_before[-1]
    for p, year in years:
        if pos < p < line_end:
            leads_another = any(p < f and not _year_between(years, p, f) for f in figures)
            if not leads_another:
                return year
            break
    earlier = [y for p, y in years if p < pos]
    if earlier:
        return earlier[-1]
    return context


def _year_between(years: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < p < end for p, _ in years)


# --- totals ------------------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\d.+\-])(\d{1,3}(?:\.\d{1,3})?)(?![\d.])")
SCORE_AFTER = re.compile(r"\s*คะแนน")
# a score word right before an unmarked figure: "คะแนนรวม 92.50", "ผลการประเมินอยู่ที่ 92.50"
SCORE_LEAD = re.compile(
    r"(?:คะแนน(?:\s*(?:ภาพ)?\s*รวม|\s*เฉลี่ย)?|ผลการประเมิน|score|total)\s*(?:ITA)?\s*(?:ที่ได้)?\s*"
    r"(?:ของหน่วยงาน)?\s*(?:คือ|เท่ากับ|อยู่ที่|ได้|=|:)?\s*(?:ร้อยละ)?\s*$",
    re.IGNORECASE,
)
TOTAL_WORD = re.compile(r"(?:ผล)?\s*คะแนน\s*(?:ภาพ)?\s*รวม|คะแนนเฉลี่ย(?!\s*(?:ระดับ|ของ|ทั้ง))")
ITA_CONTEXT = re.compile(r"ITA|คุณธรรม|ผลการประเมิน|คะแนนรวม|ภาพรวม|คะแนนเฉลี่ย|ความโปร่งใส")
# what makes a number in its clause something else than the year's total
NOT_TOTAL = re.compile(
    r"ตัวชี้วัด|แบบวัด|แบบตรวจ|\b(?:IIT|EIT|OIT)\b|(?<![A-Za-z])[ieoIEO]\s?\d{1,2}(?!\d)"
    r"|ข้อ(?:ที่)?\s*\d|ประเด็น|องค์ประกอบ"
    r"|เพิ่มขึ้น|ลดลง|เปลี่ยนแปลง|แตกต่าง|ต่างจาก|สูงขึ้น|ต่ำลง|ห่างจาก|น้อยลง|มากขึ้น|ดีขึ้น"
    r"|เพื่อ|เป้า|ให้ได้|ให้ถึง|ถึงระดับ|ยกระดับ|หาก|ถ้า|จะทำให้|จะได้|คาดว่า|ควร|สมมติ"
    r"|ระดับประเทศ|ทั่วประเทศ|ของประเทศ|(?:ค่า)?เฉลี่ย(?:ของ)?(?:ทั้ง)?(?:จังหวัด|ประเทศ|อำเภอ)"
    r"|หน่วยงานทั้งหมด|ทุกหน่วยงาน|ระบุไว้|ไม่ตรง|คำนวณ|อันดับ(?:ที่)?\s*$|ลำดับ(?:ที่)?\s*$"
    r"|\d\s*(?:-|ถึง)\s*$|(?:ปี(?:งบประมาณ)?|พ\.ศ\.)\s*$|(?:น้อย|มาก|ต่ำ|สูง)กว่า\s*$|เกณฑ์(?:เป้าหมาย)?(?:ที่|คือ)?\s*[(\[]?\s*$|เต็ม\s*$"
)
NOT_TOTAL_AFTER = re.compile(
    r"\s*(?:คะแนน)?\s*(?:ขึ้นไป|IIT|EIT|OIT|ข้อ|ตัวชี้วัด|แบบวัด|มาตรการ|คน|ราย|หน่วยงาน|อันดับ|ปี|วัน|เดือน"
    r"|ครั้ง|%|เปอร์เซ็นต์|ร้อยละ|บาท|ชั่วโมง|นาที|ประเด็น|ลักษณะ|จำนวน|(?:-|ถึง)\s*\d)"
)
CLAUSE = 120  # characters of clause looked at before a figure


@dataclass(frozen=True)
class Found:
    pos: int  # where the figure (or rating) starts in the block text
    value: float


def score_numbers(text: str) -> list[int]:
    """Positions of numbers marked as scores (followed by ``คะแนน``)."""
    return [m.start() for m in NUMBER.finditer(text) if SCORE_AFTER.match(text, m.end())]


def totals_in(text: str, *, ita_context: bool, line_starts: Sequence[int] = (0,)) -> list[Found]:
    """Each figure in ``text`` that states a year's total (see the module's docstring).

    ``line_starts``: where the block's lines start (a number opening a line is a heading's
    or a row's number unless ``คะแนน`` follows it)."""
    if not (ita_context or ITA_CONTEXT.search(text)):
        return []
    found: list[Found] = []
    boundary = 0
    opening = set(line_starts)
    for match in NUMBER.finditer(text):
        start, end = match.span(1)
        if YEAR.fullmatch(match.group(1)):
            continue
        value = float(match.group(1))
        marked = bool(SCORE_AFTER.match(text, end))
        clause = text[max(boundary, start - CLAUSE) : start]
        if not marked and (start in opening or not SCORE_LEAD.search(clause)):
            continue
        boundary = end
        strong = list(TOTAL_WORD.finditer(clause))
        if strong:  # "คะแนนรวมปี 2564 มีคะแนน": what came before the total word is another matter
            clause = clause[strong[-1].start() :]
        if not 0 <= value <= 100 or NOT_TOTAL.search(clause):
            continue
        if NOT_TOTAL_AFTER.match(text, end):
            continue
        found.append(Found(start, value))
    return found
