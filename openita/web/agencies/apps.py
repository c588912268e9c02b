from __future__ import annotations

from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "openita.web.agencies"
    label = "agencies"
    verbose_name = "หน่วยงาน"
