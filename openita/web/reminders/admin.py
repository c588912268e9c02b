# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin
from openita.web.reminders.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "target", "plan", "measure_id", "months", "due", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["target", "plan__agency__name"]
    readonly_fields = ["kind", "target", "plan", "measure_id", "months", "due", "sent_at"]
