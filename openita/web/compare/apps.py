from __future__ import annotations

from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "openita.web.compare"
    label = "compare"
    verbose_name = "การเปรียบเทียบกับหน่วยงานอื่น"
