# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""A personal link for a unit's head: update that unit's measures in one round of one plan,
without an account.

Only the SHA-256 of the token is kept (the full link is shown once, when it is made, and can
be e-mailed then); a link ends at ``expires_at`` or when revoked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency
from openita.web.plans.models import MeasuresPlan


class UnitLink(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="unit_links")
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="unit_links")
    months = models.PositiveSmallIntegerField(_("รอบการรายงาน"))
    unit = models.CharField(_("ส่วนงาน"), max_length=200)
    person_name = models.CharField(_("ชื่อผู้รับลิงก์"), max_length=200)
    email = models.EmailField(_("อีเมล"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("หมดอายุ"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)

    class Meta:
        verbose_name = _("ลิงก์ส่วนงาน")
        verbose_name_plural = _("ลิงก์ส่วนงาน")
        ordering = ["plan", "months", "unit", "-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} {self.months}m {self.unit} ({self.person_name})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def actor_label(self) -> str:
        return f"{self.person_name} (ลิงก์ส่วนงาน)"
