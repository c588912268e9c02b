from __future__ import annotations

from django.apps import AppConfig


class BulkImportConfig(AppConfig):
    name = "openita.web.bulkimport"
    label = "bulkimport"
    verbose_name = "นำเข้าผลหลายหน่วยงาน"
