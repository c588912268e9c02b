# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.unitlinks.models import UnitLink


@admin.register(UnitLink)
class UnitLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["unit", "person_name", "agency", "plan", "months", "expires_at", "revoked_at"]
    list_filter = ["months"]
    search_fields = ["unit", "person_name", "email", "agency__name"]
    exclude = ["token_hash"]
    readonly_fields = ["agency", "plan", "months", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False  # links are made on the round page, which shows the token once

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # changes go through the app's services, which audit them
