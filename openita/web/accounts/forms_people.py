"""Forms of the agency's people page: invite someone, change a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Role


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=300, min_length=2)
    username = forms.CharField(
        label=_("ชื่อผู้ใช้ (ใช้เข้าสู่ระบบ)"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("ตัวอักษร ตัวเลข และ @ . + - _ เท่านั้น"),
    )
    email = forms.EmailField(label=_("อีเมล"), required=False)
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
    send = forms.BooleanField(label=_("ส่งลิงก์ตั้งรหัสผ่านทางอีเมลด้วย"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("send") and not cleaned.get("email"):
            self.add_error("email", _("ใส่อีเมลเมื่อต้องการส่งลิงก์ทางอีเมล"))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("บทบาท"), choices=Role.choices)
