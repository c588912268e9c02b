# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Documents published on an agency's public page, frozen at the time of publishing.

A ``Publication`` is one approved plan version published for one subject (the plan, or the
progress report of the 6- or 12-month round). Its files (the document as PDF and DOCX, and the
measures as open data in CSV and JSON) are rendered once, when it is published, and stored in
the database with their SHA-256: a published file never changes, whatever later happens to
the code that renders documents, and every app server can serve it without shared disk.

A publication is *current* until a newer version of the same subject replaces it
(``superseded_at``, ``superseded_by``) or it is withdrawn (``withdrawn_at``, with a reason).
At most one publication per plan and subject is current.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency
from openita.web.approvals.models import ApprovalRequest, Subject
from openita.web.plans.models import MeasuresPlan, PlanVersion


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    CSV = "csv", "CSV"
    JSON = "json", "JSON"


CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.CSV: "text/csv; charset=utf-8",
    FileKind.JSON: "application/json",
}


class Publication(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="publications")
    plan = models.ForeignKey(MeasuresPlan, on_delete=models.CASCADE, related_name="publications")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="publications")
    subject = models.CharField(_("เรื่อง"), max_length=12, choices=Subject.choices)
    approval = models.ForeignKey(
        ApprovalRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("แทนที่ด้วยฉบับใหม่เมื่อ"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    withdrawn_at = models.DateTimeField(_("ยกเลิกการเผยแพร่เมื่อ"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("เหตุผลที่ยกเลิก"), blank=True)

    class Meta:
        verbose_name = _("การเผยแพร่")
        verbose_name_plural = _("การเผยแพร่")
        ordering = ["agency", "-published_at", "-id"]
        constraints = [
            # One current publication per plan and subject (a double publish adds nothing).
            models.UniqueConstraint(
                fields=["plan", "subject"],
                condition=models.Q(withdrawn_at__isnull=True, superseded_at__isnull=True),
                name="publication_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version.number} {self.subject}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None

    @property
    def document_files(self) -> list[PublishedFile]:
        """The document (PDF, DOCX), from the prefetched files."""
        return [f for f in self.files.all() if f.kind in (FileKind.PDF, FileKind.DOCX)]

    @property
    def data_files(self) -> list[PublishedFile]:
        """The open data (CSV, JSON), from the prefetched files."""
        return [f for f in self.files.all() if f.kind in (FileKind.CSV, FileKind.JSON)]


class PublishedFile(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=4, choices=FileKind.choices)
    name = models.CharField(_("ชื่อไฟล์"), max_length=100)  # ASCII, e.g. ita-plan-2566-v3.pdf
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("ขนาด"))
    sha256 = models.CharField("SHA-256", max_length=64)
    data = models.BinaryField()

    class Meta:
        verbose_name = _("ไฟล์ที่เผยแพร่")
        verbose_name_plural = _("ไฟล์ที่เผยแพร่")
        ordering = ["publication", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "kind"], name="publication_file_kind"),
            models.UniqueConstraint(fields=["publication", "name"], name="publication_file_name"),
        ]

    def __str__(self) -> str:
        return self.name


class OitListPublication(models.Model):
    """The OIT list as the agency submitted it (item code, title, URLs), published on its
    public page when the officer chooses to: a frozen copy of the checklist at that moment,
    current until a newer copy replaces it or it is withdrawn."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_publications")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    framework_id = models.CharField(max_length=64)
    rows = models.JSONField(default=list)  # [{"code", "title", "urls": [...]}, ...]
    sha256 = models.CharField("SHA-256", max_length=64)  # of the rows as canonical JSON
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("รายการ OIT ที่เผยแพร่")
        verbose_name_plural = _("รายการ OIT ที่เผยแพร่")
        ordering = ["agency", "-fiscal_year", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"],
                condition=models.Q(withdrawn_at__isnull=True, superseded_at__isnull=True),
                name="oit_publication_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"OIT {self.agency} {self.fiscal_year}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and self.superseded_at is None
