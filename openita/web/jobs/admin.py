from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.jobs.models import GeneratedDocument, JobRun, JobUnit


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "agency", "created")
    list_filter = ("kind",)


@admin.register(JobUnit)
class JobUnitAdmin(ReadOnlyAdmin):
    list_display = ("run", "key", "state", "attempts", "worker", "lease_until")
    list_filter = ("state",)


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "fiscal_year", "format", "size", "made")
    exclude = ("data",)
