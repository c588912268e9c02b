from __future__ import annotations

from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "openita.web.ui"
    label = "ui"
