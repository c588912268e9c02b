from __future__ import annotations

from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "openita.web.overview"
    label = "overview"
    verbose_name = "ภาพรวมหลายหน่วยงาน"
