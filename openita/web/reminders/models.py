# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Reminders already sent, so that none is sent twice: one row per kind, recipient, plan,
measure or round, and due date (a unique constraint, so two runs at once cannot both send)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.plans.models import MeasuresPlan


class Kind(models.TextChoices):
    MEASURE_DUE = "measure_due", _("มาตรการใกล้ถึงกำหนด")
    ROUND_DUE = "round_due", _("ใกล้สิ้นรอบการรายงาน")
    ROUND_LATE = "round_late", _("รายงานรอบที่สิ้นสุดแล้วยังไม่ได้เสนอ")


class ReminderSent(models.Model):
    kind = models.CharField(_("ประเภท"), max_length=12, choices=Kind.choices)
    target = models.EmailField(_("ผู้รับ"))
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="reminders")
    measure_id = models.CharField(_("มาตรการ"), max_length=50, blank=True)
    months = models.PositiveSmallIntegerField(_("รอบการรายงาน"), default=0)
    due = models.DateField(_("กำหนด"))
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("การแจ้งเตือนที่ส่งแล้ว")
        verbose_name_plural = _("การแจ้งเตือนที่ส่งแล้ว")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target", "plan", "measure_id", "months", "due"],
                name="reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {self.plan} {self.measure_id or self.months} {self.due}"
