"""The two small forms of approvals: submit (what, and a note), decide (and why)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.approvals.models import Subject


class SubmitForm(forms.Form):
    subject = forms.ChoiceField(label=_("เรื่องที่เสนอ"), choices=Subject.choices)
    note = forms.CharField(
        label=_("หมายเหตุถึงผู้บริหาร (ถ้ามี)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("ผลการพิจารณา"),
        choices=[("approve", _("เห็นชอบและอนุมัติ")), ("reject", _("ไม่เห็นชอบ"))],
    )
    reason = forms.CharField(
        label=_("เหตุผล (ต้องระบุเมื่อไม่เห็นชอบ)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
