# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Long jobs, their units of work, and the documents they produce.

A ``JobRun`` is what a person started ("regenerate every agency's documents"); its ``JobUnit``
rows are the pieces the workers take, one per agency (or one per checklist...), and one more,
the *expansion* unit (key ``""``), that lists the others and queues them. Each unit is claimed
by one worker at a time under a lease that its worker renews while it runs; a unit whose lease
ran out (its worker was killed) is queued again by the reaper. See docs/decisions/0019.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency

EXPANSION = ""  # the key of the unit that lists the others


class State(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังทำ")
    DONE = "done", _("เสร็จแล้ว")
    FAILED = "failed", _("ไม่สำเร็จ")


class JobRun(models.Model):
    kind = models.CharField(_("งาน"), max_length=40)
    arguments = models.JSONField(_("ค่าที่ใช้"), default=dict)
    agency = models.ForeignKey(  # set when the job is one agency's (its officers see it)
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="job_runs"
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class JobUnit(models.Model):
    run = models.ForeignKey(JobRun, on_delete=models.CASCADE, related_name="units")
    key = models.CharField(max_length=100)  # "" = the expansion unit; else the kind's
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    # The current claim: a fresh token per attempt (fences a late finish of an older attempt),
    # the worker that holds it and until when; the worker renews it while it runs.
    token = models.CharField(max_length=32, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # The backend's message id of the last time the unit was queued ("" = not queued yet).
    task_id = models.CharField(max_length=64, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)  # why it failed (or why an attempt was lost)
    result = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("ส่วนของงาน")
        verbose_name_plural = _("ส่วนของงาน")
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="one_unit_per_key")]
        indexes = [models.Index(fields=["state", "lease_until"], name="jobs_unit_lease")]

    def __str__(self) -> str:
        return f"{self.run} [{self.key or '*'}]"


class GeneratedDocument(models.Model):
    """A document a job made. Keyed by what it is and its bytes' SHA-256: a retried attempt
    makes the same bytes and overwrites its row; it never adds a second one."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="generated")
    kind = models.CharField(_("เอกสาร"), max_length=20)
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    format = models.CharField(_("รูปแบบ"), max_length=8)
    content_hash = models.CharField(max_length=64)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    source = models.CharField(max_length=100, blank=True)  # e.g. "plan 12 v3"
    run = models.ForeignKey(
        JobRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    made = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("เอกสารที่สร้างโดยงานเบื้องหลัง")
        verbose_name_plural = _("เอกสารที่สร้างโดยงานเบื้องหลัง")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "fiscal_year", "format", "content_hash"],
                name="one_generated_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.kind} {self.fiscal_year}.{self.format}"
