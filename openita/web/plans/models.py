# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""An agency's integrity measures plan for one fiscal year, and every saved version of it.

Each version holds the whole plan document (``openita.plans.schema.Plan`` as JSON), so the
documents code renders any version exactly as it was saved. The current version is the one
with the highest number; versions are never changed or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class MeasuresPlan(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plans")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("แผนมาตรการ")
        verbose_name_plural = _("แผนมาตรการ")
        ordering = ["agency", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_plan_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("ฉบับที่"))
    content = models.JSONField(_("เนื้อหาแผน"))  # Plan.model_dump(mode="json")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("หมายเหตุ"), max_length=200, blank=True)
    # Who saved it when not an account: a unit head through a personal link ("name (unit link)").
    author_label = models.CharField(_("ผู้บันทึก (ไม่มีบัญชี)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ฉบับของแผน")
        verbose_name_plural = _("ฉบับของแผน")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"

    @property
    def author(self) -> str:
        """Who saved this version: the account's name, else the link person's, else "-"."""
        user = self.created_by
        if user is not None:
            return user.get_full_name() or user.get_username()
        return self.author_label or "-"
