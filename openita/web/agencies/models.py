# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
"""Agencies, their units, and who may do what in each (roles per agency, provinces)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    SAO = "sao", _("องค์การบริหารส่วนตำบล (อบต.)")
    TAMBON = "tambon", _("เทศบาลตำบล")
    TOWN = "town", _("เทศบาลเมือง")
    CITY = "city", _("เทศบาลนคร")
    PAO = "pao", _("องค์การบริหารส่วนจังหวัด (อบจ.)")
    OTHER = "other", _("หน่วยงานอื่น")


class Role(models.TextChoices):
    OFFICER = "officer", _("เจ้าหน้าที่ผู้รับผิดชอบ")  # edits
    EXECUTIVE = "executive", _("ผู้บริหาร")  # approves
    AUDITOR = "auditor", _("ผู้ตรวจประเมิน")
    VIEWER = "viewer", _("ผู้ดูข้อมูล")


EDITING_ROLES = frozenset({Role.OFFICER})


class Agency(models.Model):
    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    # The code the agency is known by in national lists (the ITA system's or the Department of
    # Local Administration's); optional, unique when given. Bulk imports match on it first.
    code = models.CharField(_("รหัสหน่วยงาน"), max_length=20, blank=True, default="")
    kind = models.CharField(_("ประเภท"), max_length=10, choices=AgencyKind.choices)
    province = models.CharField(_("จังหวัด"), max_length=100)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("หน่วยงานต้นสังกัด"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    class Meta:
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["name", "province"], name="agency_name_province"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="agency_code_unique"
            ),
        ]
        indexes = [models.Index(fields=["province", "kind"], name="agency_province_kind")]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit inside an agency (สำนักปลัด, กองคลัง, …): who is responsible for a measure."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("ชื่อส่วนงาน"), max_length=200)

    class Meta:
        verbose_name = _("ส่วนงาน")
        verbose_name_plural = _("ส่วนงาน")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_per_agency")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("บทบาทในหน่วยงาน")
        verbose_name_plural = _("บทบาทในหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.agency} ({self.get_role_display()})"


class ProvincialViewer(models.Model):
    """Sees every agency of a province, read-only (a provincial office)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provinces"
    )
    province = models.CharField(_("จังหวัด"), max_length=100)

    class Meta:
        verbose_name = _("ผู้ดูข้อมูลระดับจังหวัด")
        verbose_name_plural = _("ผู้ดูข้อมูลระดับจังหวัด")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="one_view_per_province")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"


class NationalViewer(models.Model):
    """Sees every agency of the country, read-only (a national office: the Department of Local
    Administration, NACC). Granted and revoked by a site admin, audited."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="national_viewer"
    )
    office = models.CharField(_("หน่วยงานผู้ดูข้อมูล"), max_length=200, blank=True)
    granted = models.DateTimeField(_("ให้สิทธิ์เมื่อ"), auto_now_add=True)

    class Meta:
        verbose_name = _("ผู้ดูข้อมูลระดับประเทศ")
        verbose_name_plural = _("ผู้ดูข้อมูลระดับประเทศ")

    def __str__(self) -> str:
        return f"{self.user} – {self.office or '-'}"


class AgencySettings(models.Model):
    """What the agency's documents say about it beyond its name: address, website, the memo's
    ส่วนราชการ and ที่ prefix, and who signs (officer, reviewers in order, executive).

    ``signers`` is ``{"officer": {...}, "reviewers": [{...}, ...], "executive": {...}}`` with
    persons as in the plan file (name, position, position_extra). ``version`` counts saves: the
    settings form names the version it was opened at, so a second officer's stale save is told.
    """

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, primary_key=True, related_name="settings"
    )
    address = models.TextField(_("ที่อยู่"), blank=True)
    website = models.CharField(_("เว็บไซต์"), max_length=200, blank=True)
    memo_unit = models.CharField(_("ส่วนราชการ (บันทึกข้อความ)"), max_length=300, blank=True)
    memo_prefix = models.CharField(_("ที่ (เลขที่หนังสือ)"), max_length=100, blank=True)
    signers = models.JSONField(_("ผู้ลงนาม"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("การตั้งค่าหน่วยงาน")
        verbose_name_plural = _("การตั้งค่าหน่วยงาน")

    def __str__(self) -> str:
        return str(self.agency)


class FileKind(models.TextChoices):
    EMBLEM = "emblem", _("ตราครุฑ")
    LETTERHEAD = "letterhead", _("แม่แบบหัวกระดาษ (DOCX)")


class AgencyFile(models.Model):
    """The agency's emblem (PNG) or letterhead template (DOCX), kept in the database so every
    app server has it without a shared disk. At most one of each kind per agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("ประเภทไฟล์"), max_length=12, choices=FileKind.choices)
    name = models.CharField(_("ชื่อไฟล์"), max_length=200)
    data = models.BinaryField()
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)  # emblem, pixels
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ไฟล์ของหน่วยงาน")
        verbose_name_plural = _("ไฟล์ของหน่วยงาน")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="agency_file_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.name}"
