# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.results.models import Assessment


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["agency", "fiscal_year", "framework_id", "source_name", "updated"]
    list_filter = ["fiscal_year", "framework_id"]
    search_fields = ["agency__name"]
    readonly_fields = ["content_hash", "created", "updated"]
