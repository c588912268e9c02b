from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.frameworks.services import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("ไฟล์หลักเกณฑ์ (YAML ไม่เกิน 2 MB)"),
        allow_empty_file=True,  # the validator says "the file is empty", in Thai
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )
    note = forms.CharField(
        label=_("หมายเหตุ (แก้ไขอะไร จากแหล่งข้อมูลใด)"), max_length=300, required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("ไฟล์ใหญ่เกิน 2 MB"))
        return upload
