from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.oit.models import Status
from openita.web.oit.services import EntryData, url_errors
from openita.web.ui.bedate import BEDateField

_SPLIT = re.compile(r"[\s]+")


class OpenForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2560, max_value=2700)


class EntryForm(forms.Form):
    urls = forms.CharField(
        label=_("ลิงก์ (บรรทัดละหนึ่งลิงก์)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )
    status = forms.ChoiceField(label=_("สถานะ"), choices=Status.choices)
    unit = forms.CharField(label=_("ผู้รับผิดชอบ"), max_length=200, required=False)
    due = BEDateField(label=_("กำหนดเสร็จ"), required=False)
    note = forms.CharField(
        label=_("หมายเหตุ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean_urls(self) -> list[str]:
        urls = [u for u in _SPLIT.split(self.cleaned_data.get("urls", "")) if u]
        problems = url_errors(urls)
        if problems:
            raise forms.ValidationError(problems)
        if len(urls) > 20:
            raise forms.ValidationError(_("ใส่ได้ไม่เกิน 20 ลิงก์ต่อข้อ"))
        return urls

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.READY and not data.get("urls"):
            self.add_error("status", _("ข้อที่พร้อมต้องมีลิงก์อย่างน้อยหนึ่งลิงก์"))
        return data

    def entry_data(self) -> EntryData:
        d = self.cleaned_data
        return EntryData(
            urls=d["urls"], note=d["note"], unit=d["unit"], due=d["due"], status=d["status"]
        )
