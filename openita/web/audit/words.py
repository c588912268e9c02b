"""What changed, in words: the audit log's before/after shown to people, not as keys and JSON.

Services record small JSON snapshots (``{"status": "submitted", "version": 3}``); the log page
shows each field by its name ("สถานะ", "ฉบับที่") and each value as people read it: a status or
subject by its label, a date in B.E., a size in KB/MB, a list joined by commas, a yes/no,
a nested record as "name: value" pairs. Hashes stay whole (people compare them). A field this
module does not know is shown by a readable form of its key, never dropped; add its name to
``LABELS``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openita.text import thai

LABELS: dict[str, Any] = {
    "subject": gettext_lazy("เรื่อง"),
    "version": gettext_lazy("ฉบับที่"),
    "status": gettext_lazy("สถานะ"),
    "reason": gettext_lazy("เหตุผล"),
    "files": gettext_lazy("ไฟล์"),
    "withdrawn": gettext_lazy("ยกเลิกการเผยแพร่"),
    "kind": gettext_lazy("ประเภท"),
    "province": gettext_lazy("จังหวัด"),
    "district": gettext_lazy("อำเภอ"),
    "units": gettext_lazy("ส่วนงาน"),
    "unit": gettext_lazy("ส่วนงาน"),
    "role": gettext_lazy("บทบาท"),
    "address": gettext_lazy("ที่อยู่"),
    "website": gettext_lazy("เว็บไซต์"),
    "memo_unit": gettext_lazy("ส่วนราชการในบันทึกข้อความ"),
    "memo_prefix": gettext_lazy("คำนำหน้าเลขที่หนังสือ"),
    "signers": gettext_lazy("ผู้ลงนาม"),
    "officer": gettext_lazy("เจ้าหน้าที่"),
    "executive": gettext_lazy("ผู้บริหาร"),
    "position": gettext_lazy("ตำแหน่ง"),
    "name": gettext_lazy("ชื่อ"),
    "plans": gettext_lazy("แผนที่ใช้"),
    "size": gettext_lazy("ขนาด"),
    "sha256": "SHA-256",
    "width": gettext_lazy("กว้าง (จุด)"),
    "height": gettext_lazy("สูง (จุด)"),
    "measures": gettext_lazy("จำนวนมาตรการ"),
    "measure": gettext_lazy("มาตรการ"),
    "from": gettext_lazy("มาจาก"),
    "plan": gettext_lazy("แผน"),
    "fiscal_year": gettext_lazy("ปีงบประมาณ"),
    "results": gettext_lazy("ผลการประเมินปี"),
    "uncovered": gettext_lazy("ข้อที่ยังไม่มีมาตรการ"),
    "resolved": gettext_lazy("มาตรการที่บรรลุแล้ว"),
    "to": gettext_lazy("ผู้รับ"),
    "due": gettext_lazy("กำหนด"),
    "months": gettext_lazy("รอบ (เดือน)"),
    "person": gettext_lazy("ผู้รายงาน"),
    "email": gettext_lazy("อีเมล"),
    "expires": gettext_lazy("หมดอายุ"),
    "revoked": gettext_lazy("ยกเลิกเมื่อ"),
    "total": gettext_lazy("คะแนนรวม"),
    "framework": gettext_lazy("หลักเกณฑ์"),
    "framework_id": gettext_lazy("หลักเกณฑ์"),
    "agency_id": gettext_lazy("หน่วยงาน"),
    "user_id": gettext_lazy("ผู้ใช้"),
    "parent_id": gettext_lazy("หน่วยงานต้นสังกัด"),
    "id": gettext_lazy("รหัสรายการ"),
}
_CODE = re.compile(r"^[a-z]{1,4}\d+(\.\d+)*$")  # an item, indicator or tool code: o12, ind3
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def label(key: str) -> str:
    """A field's name as people read it."""
    if key in LABELS:
        return str(LABELS[key])
    if _CODE.match(key):
        return _("คะแนน %(code)s") % {"code": key}
    return key.replace("_", " ")


def _choice_labels() -> dict[str, dict[str, str]]:
    """Coded values of known fields, by field: their labels in the current language."""
    from openita.plans.schema import STATUS_TH
    from openita.web.agencies.models import AgencyKind, FileKind, Role
    from openita.web.approvals.models import Status, Subject

    statuses = {str(k): str(v) for k, v in Status.choices}
    statuses.update(STATUS_TH)
    kinds = {str(k): str(v) for k, v in [*AgencyKind.choices, *FileKind.choices]}
    return {
        "status": statuses,
        "subject": {str(k): str(v) for k, v in Subject.choices},
        "role": {str(k): str(v) for k, v in Role.choices},
        "kind": kinds,
    }


def _size(value: int) -> str:
    if value >= 2**20:
        return f"{value / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(value / 1024))} KB"


def _date(text: str) -> str | None:
    try:
        if _ISO_DATE.match(text):
            return thai.format_date(dt.date.fromisoformat(text))
        if _ISO_TIME.match(text):
            moment = dt.datetime.fromisoformat(text)
            return f"{thai.format_date(moment.date())} {moment:%H:%M}"
    except ValueError:
        return None
    return None


def shown(value: Any, key: str = "") -> str:
    """A value in words: ``-`` for nothing, labels for codes, B.E. dates, sizes, lists."""
    if value is None or value == "" or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    if key == "size" and isinstance(value, int):
        return _size(value)
    if isinstance(value, str):
        coded = _choice_labels().get(key, {})
        if value in coded:
            return coded[value]
        return _date(value) or value
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return ", ".join(shown(v, key) for v in value)
    if isinstance(value, dict):
        parts = [f"{label(str(k))}: {shown(v, str(k))}" for k, v in value.items()]
        return "; ".join(parts)
    return str(value)
