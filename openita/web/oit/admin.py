# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Admin: provincial auditor grants (who may audit every agency of a province)."""

from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import AuditedAdmin
from openita.web.oit.models import ProvincialAuditor


@admin.register(ProvincialAuditor)
class ProvincialAuditorAdmin(AuditedAdmin):
    """Granted by site admins; every grant and removal is in the audit log."""

    list_display = ["user", "province"]
    search_fields = ["user__username", "province"]
