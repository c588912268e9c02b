# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.api.models import ApiToken
from openita.web.audit.admin_base import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Read-only: users make and revoke their tokens on their token page (audited)."""

    list_display = ["user", "name", "prefix", "created", "last_used", "revoked_at"]
    exclude = ["token_hash"]
