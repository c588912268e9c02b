# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""A file of many agencies' results kept between its preview and its confirmation.

The preview checks the file and keeps here what it would write (``plan``: each row's agency,
year, figures and stored figures, the agencies to create) and a key of what it showed (with the
results each row would replace). Confirming, in one transaction, recomputes the key from the
database and imports only when it still matches (a stale preview is refused), once
(``imported_at``); the rows are not scored a second time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkUpload(models.Model):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    plan = models.JSONField(default=dict)  # emptied once imported
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    create_agencies = models.BooleanField(_("สร้างหน่วยงานที่ยังไม่มี"), default=False)
    preview_key = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("จำนวนแถว"), default=0)
    created = models.DateTimeField(_("ตรวจสอบเมื่อ"), auto_now_add=True)
    imported_at = models.DateTimeField(_("นำเข้าเมื่อ"), null=True, blank=True)
    results_written = models.PositiveIntegerField(_("ผลที่บันทึก"), default=0)
    agencies_created = models.PositiveIntegerField(_("หน่วยงานที่สร้าง"), default=0)

    class Meta:
        verbose_name = _("ไฟล์นำเข้าผลหลายหน่วยงาน")
        verbose_name_plural = _("ไฟล์นำเข้าผลหลายหน่วยงาน")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.created:%Y-%m-%d %H:%M})"
