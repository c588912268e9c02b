from __future__ import annotations

from django.apps import AppConfig


class OitConfig(AppConfig):
    name = "openita.web.oit"
    label = "oit"
    verbose_name = "การเตรียมข้อมูล OIT"
