# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Approvals in the admin: to look at, not to change or delete (decisions are taken in the app,
where they are checked and recorded in the audit log)."""

from __future__ import annotations

from django.contrib import admin

from openita.web.approvals.models import ApprovalRequest
from openita.web.audit.admin_base import ReadOnlyAdmin


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ReadOnlyAdmin):
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
