# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Approvals in the admin: to look at, not to change (decisions are taken in the app, where
they are checked and recorded in the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openita.web.approvals.models import ApprovalRequest


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["plan", "subject", "version", "status", "submitted_by", "decided_by"]
    list_filter = ["status", "subject"]
    search_fields = ["plan__agency__name"]
    readonly_fields = [
        "plan",
        "version",
        "subject",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "reason",
        "note",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
