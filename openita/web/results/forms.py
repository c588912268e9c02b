from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.text.thai import fiscal_year_of
from openita.web.results.selectors import framework_choices
from openita.web.results.services import REPORT_MAX_BYTES


class UploadForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), min_value=2550, max_value=2700)
    framework = forms.ChoiceField(label=_("หลักเกณฑ์การประเมิน"), required=False)
    file = forms.FileField(
        label=_("ไฟล์คะแนน (CSV, XLSX หรือ JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json,.txt"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of(dt.date.today()) - 1
        auto = ("", _("ตามปีงบประมาณ (อัตโนมัติ)"))
        self.fields["framework"].choices = [auto, *framework_choices()]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    file = forms.FileField(
        label=_("รายงานผลการประเมินที่เผยแพร่แล้ว (PDF หรือ TXT ไม่เกิน 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > REPORT_MAX_BYTES:
            raise forms.ValidationError(_("ไฟล์ใหญ่เกิน 20 MB"))
        if not str(upload.name or "").lower().endswith((".pdf", ".txt")):
            raise forms.ValidationError(_("รับเฉพาะไฟล์ PDF หรือ TXT"))
        return upload
