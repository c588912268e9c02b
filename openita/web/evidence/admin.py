# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "agency", "plan", "months", "measure_id", "size", "uploaded_at"]
    list_filter = ["months"]
    search_fields = ["name", "agency__name", "sha256"]
    exclude = ["data"]
    readonly_fields = [
        "agency",
        "plan",
        "months",
        "measure_id",
        "name",
        "stored_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_by_label",
        "uploaded_at",
    ]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # deleting goes through the round page, which updates the plan and audits

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False  # changes go through the app's services, which audit them
