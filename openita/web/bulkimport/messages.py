"""The reasons of a bad row in the UI's language (the checker's English is for the CLI)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from openita.importers.bulk import BadCell

REASONS: dict[str, Any] = {
    "no_agency": _("ไม่มีรหัสหรือชื่อหน่วยงาน"),
    "unknown_agency": _("ไม่พบหน่วยงาน {name} จังหวัด{province} (เลือก สร้างหน่วยงาน เพื่อเพิ่ม)"),
    "unknown_code": _("ไม่พบรหัสหน่วยงาน {code} (เลือก สร้างหน่วยงาน เพื่อเพิ่ม)"),
    "cannot_create": _("สร้างหน่วยงาน {name} ไม่ได้: ขาด{missing}"),
    "code_taken": _("รหัสหน่วยงาน {code} เป็นของ {other} ไม่ใช่ {name}"),
    "unknown_province": _("ไม่รู้จักจังหวัด {value}"),
    "province_mismatch": _("หน่วยงานนี้อยู่จังหวัด{on_file} ไม่ใช่ {value}"),
    "not_allowed": _("อยู่นอกจังหวัดที่ท่านนำเข้าได้ ({allowed})"),
    "unknown_kind": _("ไม่รู้จักประเภทหน่วยงาน {value} (ที่รู้จัก: {known})"),
    "kind_mismatch": _("หน่วยงานนี้เป็นประเภท {on_file} ในระบบ ไม่ใช่ {value}"),
    "no_year": _("ไม่มีปีงบประมาณ"),
    "bad_year": _("ปีงบประมาณ {value} ไม่ใช่ปีเช่น 2568"),
    "no_framework": _("ไม่มีหลักเกณฑ์การประเมินของปีงบประมาณ {year}"),
    "unknown_framework": _("ไม่รู้จักหลักเกณฑ์ {value}"),
    "not_a_number": _("{column}: {value} ไม่ใช่ตัวเลข"),
    "out_of_range": _("{column}: {value} อยู่นอกช่วง 0–100"),
    "unknown_score_code": _("{column}: หลักเกณฑ์ {framework} ไม่มีรหัส {code}"),
    "disagrees": _("{column} {given} ไม่ตรงกับ {computed} ที่คำนวณจากองค์ประกอบ (ต่างเกินการปัดเศษ)"),
    "rating_disagrees": _("ระดับ {value} ไม่ตรงกับ {computed} ที่ได้จากคะแนนรวม"),
    "unknown_rating": _("ระดับ {value} ไม่ใช่ระดับผล ({bands}) หรือระดับเชิงคุณภาพ ({levels})"),
    "not_scorable": _("คำนวณคะแนนไม่ได้: {detail}"),
    "duplicate": _("หน่วยงานและปีเดียวกับแถว {first}"),
    "no_scores": _("ไม่มีคะแนน"),
    "too_long": _("{column} ยาวเกิน {limit} ตัวอักษร"),
}


def reason(bad: BadCell) -> str:
    """The Thai (or English) sentence for a bad cell."""
    template = REASONS.get(bad.reason)
    if template is None:
        return bad.message
    return str(template).format(value=bad.value, column=bad.column, **dict(bad.params))
