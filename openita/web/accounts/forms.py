from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from openita.web.accounts import throttle
from openita.web.ui.client import client_address


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username and address after repeated failures."""

    def _address(self) -> str:
        return client_address(self.request.META) if self.request else ""

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        address = self._address()
        if throttle.is_locked(username, address):
            minutes = settings.LOGIN_LOCK_SECONDS // 60
            raise forms.ValidationError(
                _("เข้าสู่ระบบผิดหลายครั้งเกินไป โปรดลองใหม่อีกครั้งใน %(minutes)d นาที")
                % {"minutes": minutes},
                code="locked",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned
