# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin, ReadOnlyInline
from openita.web.plans.models import MeasuresPlan, PlanVersion


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "created_by", "created_at", "note"]
    readonly_fields = ["number", "created_by", "created_at", "note"]


@admin.register(MeasuresPlan)
class MeasuresPlanAdmin(ReadOnlyAdmin):
    """Read-only: plans are drafted, saved and deleted in the app, which versions and audits."""

    list_display = ["agency", "fiscal_year", "created"]
    list_filter = ["fiscal_year"]
    search_fields = ["agency__name"]
    inlines = [PlanVersionInline]
