# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from openita.web.results.models import Assessment, HeadlineResult


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["agency", "fiscal_year", "framework_id", "source_name", "updated"]
    list_filter = ["fiscal_year", "framework_id"]
    search_fields = ["agency__name"]
    readonly_fields = ["content_hash", "created", "updated"]


@admin.register(HeadlineResult)
class HeadlineResultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """View only: stated totals come in through the import page, which writes the audit log."""

    list_display = ["agency", "fiscal_year", "total", "rating", "source_name", "updated"]
    list_filter = ["fiscal_year"]
    search_fields = ["agency__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
