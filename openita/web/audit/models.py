# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""The audit log: who did what to which record of an agency, when, with before and after.

Entries are only ever added (services call ``openita.web.audit.services.record``); nothing in
the app changes or deletes them. ``actor`` is the account, or empty for someone without one
(a unit head's personal link), whose name is then in ``actor_label``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openita.web.agencies.models import Agency


class Action(models.TextChoices):
    CREATE = "create", _("สร้าง")
    CHANGE = "change", _("แก้ไขข้อมูล")
    DELETE = "delete", _("ลบ")
    SUBMIT = "submit", _("เสนอพิจารณา")
    APPROVE = "approve", _("อนุมัติ")
    REJECT = "reject", _("ไม่อนุมัติ")
    PUBLISH = "publish", _("เผยแพร่")
    UNPUBLISH = "unpublish", _("ยกเลิกการเผยแพร่")


class AuditEntry(models.Model):
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(_("ผู้ดำเนินการ"), max_length=200)
    action = models.CharField(_("การกระทำ"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("ประเภทข้อมูล"), max_length=50)
    object_id = models.CharField(_("รหัสข้อมูล"), max_length=50, blank=True)
    summary = models.CharField(_("สรุป"), max_length=300)
    before = models.JSONField(_("ก่อน"), null=True, blank=True)
    after = models.JSONField(_("หลัง"), null=True, blank=True)
    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("บันทึกการใช้งาน")
        verbose_name_plural = _("บันทึกการใช้งาน")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["agency", "-at"], name="audit_agency_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.summary}"
