# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""One agency's ITA results for one fiscal year: the scores it was given, and by which file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class Assessment(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    framework_id = models.CharField(_("หลักเกณฑ์การประเมิน"), max_length=64)
    # The figures given, code -> score (items, or indicators, tools, claimed totals); the
    # engine computes everything else from them, so the page and documents never disagree.
    scores = models.JSONField(_("คะแนน"), default=dict)
    source_name = models.CharField(_("ไฟล์ต้นทาง"), max_length=255, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Computed from ``scores`` by the engine whenever they or the framework change (see
    # figures.py), so lists and views across agencies read columns: never edited by hand.
    total = models.DecimalField(_("คะแนนรวม"), max_digits=5, decimal_places=2, null=True)
    rating = models.CharField(_("ระดับผล"), max_length=8, blank=True)
    level = models.CharField(_("ระดับเชิงคุณภาพ"), max_length=40, blank=True)
    passed = models.BooleanField(_("ผ่านเกณฑ์"), null=True)
    figures = models.JSONField(default=dict)  # tools and indicators as printed
    figures_key = models.CharField(max_length=120, blank=True)  # framework fingerprint

    class Meta:
        verbose_name = _("ผลการประเมิน")
        verbose_name_plural = _("ผลการประเมิน")
        ordering = ["agency", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_result_per_year")
        ]
        indexes = [models.Index(fields=["fiscal_year", "total"], name="result_year_total")]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Every save recomputes the stored figures (a saved year is never stale); bulk
        writes set them with ``figures.apply`` themselves."""
        from openita.web.results import figures

        fields = kwargs.get("update_fields")
        if fields is None or {"scores", "framework_id", "fiscal_year"} & set(fields):
            figures.refresh(self)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *figures.FIELDS}
        super().save(*args, **kwargs)


class HeadlineResult(models.Model):
    """A year known only by the total and rating a document states (an announcement, a news
    item, a table of totals): shown in the trend, never scored or analysed."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="headline_results")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    total = models.DecimalField(_("คะแนนรวม"), max_digits=5, decimal_places=2)
    rating = models.CharField(_("ระดับผล"), max_length=32, blank=True)
    source_name = models.CharField(_("ไฟล์ต้นทาง"), max_length=255, blank=True)
    source_line = models.TextField(_("ข้อความต้นทาง"), blank=True)  # the line the total is on
    content_hash = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("คะแนนรวมที่ประกาศ")
        verbose_name_plural = _("คะแนนรวมที่ประกาศ")
        ordering = ["agency", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_headline_per_year"),
            models.CheckConstraint(
                condition=models.Q(total__gte=0) & models.Q(total__lte=100),
                name="headline_total_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.fiscal_year} ({self.total})"
