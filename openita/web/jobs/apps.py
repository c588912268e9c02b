from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "openita.web.jobs"
    label = "jobs"
    verbose_name = "งานเบื้องหลัง"
