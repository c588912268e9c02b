# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""An agency's OIT checklist for one fiscal year: per item its links, unit, due date, status,
and the history of every link check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class Recheck(models.TextChoices):
    OFF = "off", _("ไม่ตรวจซ้ำอัตโนมัติ")
    DAILY = "daily", _("ตรวจซ้ำทุกวัน")
    WEEKLY = "weekly", _("ตรวจซ้ำทุกสัปดาห์")


class Stage(models.TextChoices):
    SELF = "self", _("หน่วยงานประเมินตนเอง")
    PRELIMINARY = "preliminary", _("ผู้ตรวจประเมินกำลังตรวจ (ผลเบื้องต้น)")
    DISPUTE = "dispute", _("หน่วยงานชี้แจงข้อที่ไม่ผ่าน")
    CONFIRMED = "confirmed", _("ผู้ตรวจประเมินยืนยันผลแล้ว")


class OitChecklist(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="oit_checklists")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    framework_id = models.CharField(_("หลักเกณฑ์การประเมิน"), max_length=64)
    carried_from = models.PositiveSmallIntegerField(null=True, blank=True)  # earlier year
    check_requested = models.DateTimeField(null=True, blank=True)
    check_finished = models.DateTimeField(null=True, blank=True)
    # The website crawl that proposes pages (a background task like the link check).
    crawl_start = models.CharField(max_length=500, blank=True)
    crawl_requested = models.DateTimeField(null=True, blank=True)
    crawl_finished = models.DateTimeField(null=True, blank=True)
    crawl_note = models.CharField(max_length=300, blank=True)  # pages seen, or what failed
    # The scheduled recheck of every link (``openita oit recheck`` from cron).
    recheck = models.CharField(
        _("ตรวจลิงก์ซ้ำอัตโนมัติ"), max_length=8, choices=Recheck.choices, default=Recheck.OFF
    )
    rechecked = models.DateTimeField(null=True, blank=True)
    # The auditor's review: self-assessment -> preliminary -> dispute -> confirmed.
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SELF)
    confirmed = models.DateTimeField(null=True, blank=True)
    results_written = models.DateTimeField(null=True, blank=True)  # OIT items into results
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


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("รอพิจารณา")
    CONFIRMED = "confirmed", _("ยืนยันแล้ว")
    REJECTED = "rejected", _("ไม่ใช่หน้านี้")


class Proposal(models.Model):
    """A page or file the crawl proposes for one item; the officer confirms or rejects it. A
    rejected proposal is kept so the next crawl does not propose it again."""

    checklist = models.ForeignKey(OitChecklist, on_delete=models.CASCADE, related_name="proposals")
    code = models.CharField(max_length=10)
    url = models.CharField(max_length=2000)
    score = models.FloatField()
    reasons = models.JSONField(default=list)  # Thai, as the crawl gives them
    link_text = models.CharField(max_length=500, blank=True)
    found_on = models.CharField(max_length=2000, blank=True)
    state = models.CharField(
        max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "code", "url"], name="one_proposal_per_item_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.url} {self.state}"


class Mark(models.TextChoices):
    PASS = "pass", _("ผ่าน")
    FAIL = "fail", _("ไม่ผ่าน")


class Verdict(models.Model):
    """The auditor's verdict on one item: preliminary, the agency's answer, final."""

    entry = models.OneToOneField(OitEntry, on_delete=models.CASCADE, related_name="verdict")
    preliminary = models.CharField(max_length=4, choices=Mark.choices, blank=True)
    comment = models.TextField(blank=True)
    answer = models.TextField(blank=True)  # the agency's answer to a failed item
    final = models.CharField(max_length=4, choices=Mark.choices, blank=True)
    final_comment = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.entry} {self.preliminary}/{self.final}"


class BreakNotice(models.Model):
    """A broken link already told to one person: one row per breakage (the first failed check
    after a working one) and recipient, unique, so no one is told twice."""

    since = models.ForeignKey(LinkCheck, on_delete=models.CASCADE, related_name="notices")
    target = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["since", "target"], name="one_notice_per_break")
        ]

    def __str__(self) -> str:
        return f"{self.since} -> {self.target}"


class ProvincialAuditor(models.Model):
    """May audit the OIT of every agency of a province (a provincial office)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audited_provinces"
    )
    province = models.CharField(_("จังหวัด"), max_length=100)

    class Meta:
        verbose_name = _("ผู้ตรวจประเมินระดับจังหวัด")
        verbose_name_plural = _("ผู้ตรวจประเมินระดับจังหวัด")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="one_audit_per_province")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"
