from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "openita.web.reminders"
    label = "reminders"
    verbose_name = "การแจ้งเตือน"
