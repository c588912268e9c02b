from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "openita.web.evidence"
    label = "evidence"
    verbose_name = "ไฟล์หลักฐาน"
