from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _version_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    """A new plan version closes the plan's open requests of older versions (superseded)."""
    if created and not raw:
        from openita.web.approvals.services import supersede_open

        supersede_open(version=instance)


class ApprovalsConfig(AppConfig):
    name = "openita.web.approvals"
    label = "approvals"
    verbose_name = "การเสนอและอนุมัติ"

    def ready(self) -> None:
        from openita.web.plans.models import PlanVersion

        post_save.connect(_version_saved, sender=PlanVersion, dispatch_uid="approvals-supersede")
