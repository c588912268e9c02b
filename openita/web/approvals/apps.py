from __future__ import annotations

from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "openita.web.approvals"
    label = "approvals"
    verbose_name = "การเสนอและอนุมัติ"
