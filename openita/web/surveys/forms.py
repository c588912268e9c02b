from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.surveys.models import Tool
from openita.web.ui.bedate import BEDateField


class CampaignForm(forms.Form):
    tool = forms.ChoiceField(label=_("แบบสำรวจ"), choices=Tool.choices)
    fiscal_year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2560, max_value=2700)
    title = forms.CharField(label=_("ชื่อรอบสำรวจ"), max_length=200, required=False)
    opens = BEDateField(label=_("เปิดรับคำตอบ"))
    closes = BEDateField(label=_("ปิดรับคำตอบ"))
    eligible = forms.IntegerField(
        label=_("จำนวนบุคลากรที่มีสิทธิ์ตอบ (IIT: ปฏิบัติงาน 1 ปีขึ้นไป)"),
        min_value=1,
        max_value=5000,
        required=False,
    )
    target = forms.IntegerField(
        label=_("จำนวนคำตอบเป้าหมาย (เว้นว่างให้ระบบเสนอ)"),
        min_value=1,
        max_value=100000,
        required=False,
    )

    def __init__(self, *args: Any, per_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.per_agency = per_agency
        if per_agency:  # a provincial round: each agency enters its own staff count later
            del self.fields["eligible"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", _("วันปิดรับคำตอบต้องไม่ก่อนวันเปิด"))
        if not self.per_agency and data.get("tool") == Tool.IIT and not data.get("eligible"):
            self.add_error("eligible", _("แบบสำรวจบุคลากรต้องระบุจำนวนบุคลากรที่มีสิทธิ์ตอบ"))
        return data


class CodesForm(forms.Form):
    n = forms.IntegerField(label=_("จำนวนรหัส"), min_value=1, max_value=5000, required=False)
    names = forms.CharField(
        label=_("หรือรายชื่อบุคลากร บรรทัดละหนึ่งคน (พิมพ์ชื่อบนใบรหัสเท่านั้น ระบบไม่เก็บรายชื่อ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    spare = forms.BooleanField(label=_("รหัสสำรองแทนรหัสที่หาย"), required=False)
    fmt = forms.ChoiceField(
        label=_("รูปแบบ"),
        choices=[("pdf", _("ใบรหัสพร้อมคิวอาร์โค้ด (PDF)")), ("csv", _("รายการรหัส (CSV)"))],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [line.strip() for line in (data.get("names") or "").splitlines() if line.strip()]
        if len(names) > 5000:
            self.add_error("names", _("รายชื่อยาวเกิน 5000 คน"))
        data["names"] = names
        if names:
            data["n"] = len(names)
        elif not data.get("n"):
            self.add_error("n", _("ระบุจำนวนรหัสหรือรายชื่อบุคลากร"))
        return data


class StartForm(forms.Form):
    code = forms.CharField(label=_("รหัสเข้าตอบ"), max_length=20, required=False)
