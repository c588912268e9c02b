# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openita.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is only ever added to, by the services."""

    list_display = ["at", "agency", "actor_label", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor_label", "object_type", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
