# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Tokens for the read-only API: made and revoked by their user on a page; only a hash kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("ชื่อโทเค็น"), max_length=100)
    prefix = models.CharField(_("ขึ้นต้นด้วย"), max_length=12)  # shown to tell tokens apart
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the token
    created = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    last_used = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("โทเค็น API")
        verbose_name_plural = _("โทเค็น API")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} – {self.name} ({self.prefix}…)"
