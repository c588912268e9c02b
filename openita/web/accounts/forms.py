from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _

from openita.web.accounts import throttle


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted reverse proxy
    (``OPENITA_TRUSTED_PROXIES``), the nearest address in X-Forwarded-For that is not one.

    Read from the right: each proxy appends the address it got the request from, so the
    addresses left of the last untrusted one may be made up by the client."""
    remote = str(meta.get("REMOTE_ADDR", ""))
    trusted: frozenset[str] = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            return address
    return remote


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
