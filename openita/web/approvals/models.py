# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Submitting a plan or a round's progress report to the executive, and the decision.

A request names exactly one saved plan version and what is asked of it (``Subject``): the plan
itself, or the progress report of the 6- or 12-month round. An approval is of that version
only: a later version is not approved until it is submitted and approved in its turn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.plans.models import MeasuresPlan, PlanVersion


class Subject(models.TextChoices):
    PLAN = "plan", _("แผนมาตรการ")
    PROGRESS_6 = "progress6", _("รายงานผลรอบ 6 เดือน")
    PROGRESS_12 = "progress12", _("รายงานผลรอบ 12 เดือน")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("รอพิจารณา")
    APPROVED = "approved", _("อนุมัติแล้ว")
    REJECTED = "rejected", _("ไม่อนุมัติ")
    WITHDRAWN = "withdrawn", _("ถอนเรื่อง")
    # Closed automatically: a newer version of the plan was saved while the request was open,
    # so what was submitted is no longer the current plan.
    SUPERSEDED = "superseded", _("มีฉบับใหม่แทนแล้ว")


OPEN = Status.SUBMITTED


class ApprovalRequest(models.Model):
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="requests")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="requests")
    subject = models.CharField(_("เรื่อง"), max_length=12, choices=Subject.choices)
    status = models.CharField(
        _("สถานะ"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("เหตุผล"), blank=True)
    note = models.TextField(_("หมายเหตุถึงผู้บริหาร"), blank=True)  # the submitter's note

    class Meta:
        verbose_name = _("การเสนอพิจารณา")
        verbose_name_plural = _("การเสนอพิจารณา")
        ordering = ["plan", "-submitted_at", "-id"]
        constraints = [
            # At most one open request per plan and subject (a double submit adds nothing).
            models.UniqueConstraint(
                fields=["plan", "subject"],
                condition=models.Q(status="submitted"),
                name="one_open_request_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version.number} {self.subject} {self.status}"
