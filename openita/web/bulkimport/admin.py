# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.bulkimport.models import BulkUpload


@admin.register(BulkUpload)
class BulkUploadAdmin(ReadOnlyAdmin):
    """Read-only: files come in through the bulk import page, which writes the audit log."""

    list_display = ["name", "uploaded_by", "rows", "created", "imported_at", "results_written"]
    exclude = ["plan"]
