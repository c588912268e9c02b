from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "openita.web.surveys"
    label = "surveys"
    verbose_name = "แบบสำรวจของหน่วยงาน"
