from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.importers.scores import MAX_BYTES


class BulkForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์ผลการประเมินหลายหน่วยงาน (CSV หรือ XLSX ไม่เกิน 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
    create_agencies = forms.BooleanField(
        label=_("สร้างหน่วยงานที่ยังไม่มีในระบบจากข้อมูลในไฟล์"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("ไฟล์ใหญ่เกิน 20 MB"))
        return upload
