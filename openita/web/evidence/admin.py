# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
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
