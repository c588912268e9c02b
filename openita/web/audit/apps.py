from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openita.web.audit"
    label = "audit"
    verbose_name = "บันทึกการใช้งาน"
