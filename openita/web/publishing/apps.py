from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "openita.web.publishing"
    label = "publishing"
    verbose_name = "การเผยแพร่"
