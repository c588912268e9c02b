# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Admin: provincial auditor grants (who may audit every agency of a province)."""

from __future__ import annotations

from django.contrib import admin

from openita.web.oit.models import ProvincialAuditor


@admin.register(ProvincialAuditor)
class ProvincialAuditorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "province"]
    search_fields = ["user__username", "province"]
