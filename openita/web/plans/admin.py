# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.plans.models import MeasuresPlan, PlanVersion


class PlanVersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlanVersion
    fields = ["number", "created_by", "created_at", "note"]
    readonly_fields = ["number", "created_by", "created_at", "note"]
    extra = 0
    can_delete = False


@admin.register(MeasuresPlan)
class MeasuresPlanAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["agency", "fiscal_year", "created"]
    list_filter = ["fiscal_year"]
    search_fields = ["agency__name"]
    inlines = [PlanVersionInline]
