# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.unitlinks.models import UnitLink


@admin.register(UnitLink)
class UnitLinkAdmin(ReadOnlyAdmin):
    list_display = ["unit", "person_name", "agency", "plan", "months", "expires_at", "revoked_at"]
    list_filter = ["months"]
    search_fields = ["unit", "person_name", "email", "agency__name"]
    exclude = ["token_hash"]
    readonly_fields = ["agency", "plan", "months", "created_by", "created_at", "last_used_at"]
