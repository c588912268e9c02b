from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "openita.web.plans"
    label = "plans"
    verbose_name = "แผนมาตรการ"
