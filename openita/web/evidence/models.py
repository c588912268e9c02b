# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Evidence files attached to a measure's progress in a reporting round.

The bytes are kept in the database (so several app servers share them without a shared disk),
with their SHA-256, size and who uploaded them. ``name`` is the name shown (Thai kept), which
is also the line added to the measure's ``evidence`` in the plan; ``stored_name`` is a safe
ASCII name used when the file is downloaded by programs that cannot take the Thai one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency
from openita.web.plans.models import MeasuresPlan


class EvidenceFile(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="evidence_files")
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="evidence_files")
    months = models.PositiveSmallIntegerField(_("รอบการรายงาน"))
    measure_id = models.CharField(_("มาตรการ"), max_length=50)
    name = models.CharField(_("ชื่อไฟล์"), max_length=200)
    stored_name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_by_label = models.CharField(_("ผู้อัปโหลด"), max_length=200)
    uploaded_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ไฟล์หลักฐาน")
        verbose_name_plural = _("ไฟล์หลักฐาน")
        ordering = ["plan", "months", "measure_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["plan", "months", "measure_id"], name="evidence_round")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "months", "measure_id", "name"], name="evidence_name_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.months}m {self.measure_id} {self.name}"
