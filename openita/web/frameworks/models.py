# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Framework versions kept in the database: uploaded corrections, and the built-in version each
one replaced (kept as it was, so results pinned to it never change with a software update).

Versions are immutable: a correction is a new row with a higher version number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    UPLOAD = "upload", _("อัปโหลด")
    BUILTIN = "builtin", _("มากับโปรแกรม")


class FrameworkVersion(models.Model):
    framework_id = models.CharField(_("รหัสหลักเกณฑ์"), max_length=60)
    version = models.PositiveIntegerField(_("รุ่น"))
    origin = models.CharField(_("ที่มา"), max_length=10, choices=Origin.choices)
    text = models.TextField(_("ไฟล์ YAML"))
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(_("ชื่อไฟล์"), max_length=255, blank=True)
    note = models.CharField(_("หมายเหตุ"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("หลักเกณฑ์การประเมิน (รุ่น)")
        verbose_name_plural = _("หลักเกณฑ์การประเมิน (รุ่น)")
        ordering = ["framework_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework_id", "version"], name="one_framework_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework_id}@{self.version}"
