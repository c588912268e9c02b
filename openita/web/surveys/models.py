# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""An agency's own IIT and EIT survey campaigns, their access codes and their responses.

Anonymity is in the schema (docs/surveys-anonymity.md): a response has no foreign key but its
campaign, a random id (no sequence), the day at most, no address; codes are stored as keyed
hashes with a used flag and nothing else; a response first waits in a pool (``PendingResponse``)
and is moved to ``Response`` in random order with at least ``POOL`` others, so neither row order
nor write transaction ties it to the code that was spent beside it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class Tool(models.TextChoices):
    IIT = "IIT", _("IIT ผู้มีส่วนได้ส่วนเสียภายใน (บุคลากร)")
    EIT = "EIT", _("EIT ผู้มีส่วนได้ส่วนเสียภายนอก (ผู้รับบริการ)")


class Campaign(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="survey_campaigns")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    tool = models.CharField(_("แบบสำรวจ"), max_length=3, choices=Tool.choices)
    framework_id = models.CharField(_("หลักเกณฑ์การประเมิน"), max_length=64)
    title = models.CharField(_("ชื่อรอบสำรวจ"), max_length=200)
    opens = models.DateField(_("เปิดรับคำตอบ"))
    closes = models.DateField(_("ปิดรับคำตอบ"))
    target = models.PositiveIntegerField(_("จำนวนคำตอบเป้าหมาย"))
    eligible = models.PositiveIntegerField(_("จำนวนบุคลากรที่มีสิทธิ์ตอบ"), null=True, blank=True)
    # HMAC key of the access codes and the public link's token: never shown after creation
    # but in the link itself.
    secret = models.CharField(max_length=64, editable=False)
    slug = models.CharField(max_length=32, unique=True, editable=False)
    series = models.CharField(max_length=32, blank=True)  # a province's campaigns made together
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    closed_early = models.DateField(_("ปิดก่อนกำหนดเมื่อ"), null=True, blank=True)

    class Meta:
        verbose_name = _("รอบสำรวจ")
        verbose_name_plural = _("รอบสำรวจ")
        ordering = ["-fiscal_year", "tool", "-opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.tool} {self.fiscal_year}: {self.title}"


class AccessCode(models.Model):
    """A staff member's single-use code, as a keyed hash: which codes were spent is known,
    never by whom nor for which response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used = models.BooleanField(default=False)
    spare = models.BooleanField(default=False)  # issued to replace a lost code
    batch = models.PositiveSmallIntegerField(default=1)  # the printing it came in
    void = models.BooleanField(default=False)  # a batch withdrawn before use (slips lost)

    class Meta:
        verbose_name = _("รหัสเข้าตอบ")
        verbose_name_plural = _("รหัสเข้าตอบ")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "digest"], name="one_code_per_digest")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.digest[:8]}"


class Verdict(models.TextChoices):
    COUNTED = "counted", _("นับคะแนน")
    HELD = "held", _("รอตรวจสอบ")
    REJECTED = "rejected", _("ไม่นับ")


class PendingResponse(models.Model):
    """A response waiting in the pool until enough others join it (see the module's note)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField()
    day = models.DateField()
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.COUNTED)
    reasons = models.JSONField(default=list)


class Response(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField()
    day = models.DateField()
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.COUNTED)
    reasons = models.JSONField(default=list)

    class Meta:
        verbose_name = _("คำตอบ")
        verbose_name_plural = _("คำตอบ")
        indexes = [models.Index(fields=["campaign", "verdict"], name="response_campaign_verdict")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class Draft(models.Model):
    """Answers of the sections already sent, so a dropped connection loses at most one page.
    Holds no code: the respondent's browser keeps the code's proof in a signed cookie, so the
    database never holds a code beside answers. Deleted when the response is sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    started = models.FloatField()  # epoch seconds: for the "faster than reading" check
    touched = models.DateField()  # old drafts are swept


class BrowserMark(models.Model):
    """A browser that has already answered a public (EIT) campaign: the keyed hash of a random
    token kept in that browser's cookie. Not linked to the response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "digest"], name="one_mark_per_browser")
        ]
