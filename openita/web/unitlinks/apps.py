from __future__ import annotations

from django.apps import AppConfig


class UnitLinksConfig(AppConfig):
    name = "openita.web.unitlinks"
    label = "unitlinks"
    verbose_name = "ลิงก์ส่วนงาน"
