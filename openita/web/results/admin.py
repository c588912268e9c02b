# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.results.models import Assessment, HeadlineResult


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    """Read-only: a year's scores change only by an upload or the score entry page, which
    check them and record the change (old and new total) in the agency's audit log."""

    list_display = ["agency", "fiscal_year", "framework_id", "source_name", "updated"]
    list_filter = ["fiscal_year", "framework_id"]
    search_fields = ["agency__name"]
    readonly_fields = ["content_hash", "created", "updated"]


@admin.register(HeadlineResult)
class HeadlineResultAdmin(ReadOnlyAdmin):
    """Read-only: stated totals come in through the import page, which writes the audit log."""

    list_display = ["agency", "fiscal_year", "total", "rating", "source_name", "updated"]
    list_filter = ["fiscal_year"]
    search_fields = ["agency__name"]
