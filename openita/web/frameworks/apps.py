from __future__ import annotations

from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "openita.web.frameworks"
    label = "frameworks"
    verbose_name = "หลักเกณฑ์การประเมิน"

    def ready(self) -> None:
        # Every process of the web app (app servers, manage.py commands, `openita demo`) reads
        # framework versions uploaded to the database, over the built-in files.
        from openita.frameworks import loader
        from openita.web.frameworks.registry import PROVIDER

        loader.register_provider(PROVIDER)
