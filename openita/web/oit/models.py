# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""An agency's OIT checklist for one fiscal year: per item its links, unit, due date, status,
and the history of every link check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class OitChecklist(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_checklists")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    framework_id = models.CharField(_("หลักเกณฑ์การประเมิน"), max_length=64)
    carried_from = models.PositiveSmallIntegerField(null=True, blank=True)  # earlier year
    check_requested = models.DateTimeField(null=True, blank=True)
    check_finished = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("รายการตรวจ OIT")
        verbose_name_plural = _("รายการตรวจ OIT")
        ordering = ["agency", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_oit_per_year")
        ]

    def __str__(self) -> str:
        return f"OIT {self.agency} {self.fiscal_year}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
    READY = "ready", _("พร้อม")
    PROBLEM = "problem", _("มีปัญหา")


class OitEntry(models.Model):
    checklist = models.ForeignKey(OitChecklist, on_delete=models.CASCADE, related_name="entries")
    code = models.CharField(_("ข้อ"), max_length=10)
    urls = models.TextField(_("ลิงก์"), blank=True)  # one URL a line
    note = models.TextField(_("หมายเหตุ"), blank=True)
    unit = models.CharField(_("ผู้รับผิดชอบ"), max_length=200, blank=True)
    due = models.DateField(_("กำหนดเสร็จ"), null=True, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    # Set when the checklist is carried over from another year: the earlier item(s) it came
    # from, or "new" when the item has no earlier counterpart.
    carried = models.CharField(max_length=60, blank=True)
    revision = models.PositiveIntegerField(default=1)  # for stale-edit detection
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("ข้อของรายการตรวจ OIT")
        verbose_name_plural = _("ข้อของรายการตรวจ OIT")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="one_entry_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.checklist} {self.code}"

    @property
    def url_list(self) -> list[str]:
        return [u.strip() for u in self.urls.splitlines() if u.strip()]


class LinkCheck(models.Model):
    """One check of one URL: the history shows when a link broke."""

    entry = models.ForeignKey(OitEntry, on_delete=models.CASCADE, related_name="checks")
    url = models.CharField(max_length=2000)
    checked = models.DateTimeField(auto_now_add=True, db_index=True)
    ok = models.BooleanField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-checked", "-id"]
        indexes = [models.Index(fields=["entry", "-checked"], name="oit_check_entry_at")]

    def __str__(self) -> str:
        return f"{self.url} {'ok' if self.ok else self.problem}"
