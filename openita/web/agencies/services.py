"""Writes about agencies and roles: keyword-only arguments, one transaction each."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

import docx as python_docx
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from openita.documents.docx import render_docx
from openita.documents.model import Document, Heading, Paragraph, runs
from openita.web.agencies.models import (
    Agency,
    AgencyFile,
    AgencyKind,
    AgencySettings,
    FileKind,
    Membership,
    NationalViewer,
    ProvincialViewer,
    Role,
    Unit,
)
from openita.web.agencies.selectors import UnitUse, unit_uses
from openita.web.audit.models import Action
from openita.web.audit.services import record


@transaction.atomic
def agency_create(
    *,
    name: str,
    kind: AgencyKind,
    province: str,
    district: str = "",
    parent: Agency | None = None,
    units: tuple[str, ...] = (),
    actor: User | None = None,
) -> Agency:
    agency = Agency(name=name, kind=kind, province=province, district=district, parent=parent)
    agency.full_clean()
    agency.save()
    Unit.objects.bulk_create([Unit(agency=agency, name=u) for u in units])
    record(
        actor=actor,
        agency=agency,
        action=Action.CREATE,
        obj=agency,
        summary=f"หน่วยงาน {name}",
        after={"kind": str(kind), "province": province, "units": list(units)},
    )
    return agency


@transaction.atomic
def membership_grant(
    *, user: User, agency: Agency, role: Role, actor: User | None = None
) -> Membership:
    """Give the user this role in the agency (replacing the role it had there)."""
    before = Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)
    old = before.first()
    membership, created = Membership.objects.update_or_create(
        user=user, agency=agency, defaults={"role": role}
    )
    if old != role:
        record(
            actor=actor,
            agency=agency,
            action=Action.CREATE if created else Action.CHANGE,
            obj=membership,
            summary=f"บทบาทของ {user.get_username()}: {membership.get_role_display()}",
            before={"role": old} if old else None,
            after={"role": str(role)},
        )
    return membership


@transaction.atomic
def provincial_viewer_grant(*, user: User, province: str) -> ProvincialViewer:
    viewer, _ = ProvincialViewer.objects.get_or_create(user=user, province=province)
    return viewer


@transaction.atomic
def national_viewer_grant(
    *, user: User, office: str = "", actor: User | None = None
) -> NationalViewer:
    """Let the user read every agency of the country (read-only); recorded in the audit log."""
    viewer, created = NationalViewer.objects.get_or_create(user=user, defaults={"office": office})
    if created:
        record(
            actor=actor,
            agency=None,
            action=Action.CREATE,
            obj=viewer,
            summary=f"ให้ {user.get_username()} ดูข้อมูลระดับประเทศ",
            after={"office": office},
        )
    return viewer


@transaction.atomic
def national_viewer_revoke(*, user: User, actor: User | None = None) -> bool:
    """Take the national view away; False when the user did not have it."""
    viewer = NationalViewer.objects.select_for_update().filter(user=user).first()
    if viewer is None:
        return False
    record(
        actor=actor,
        agency=None,
        action=Action.DELETE,
        obj=viewer,
        summary=f"ยกเลิกสิทธิ์ดูข้อมูลระดับประเทศของ {user.get_username()}",
        before={"office": viewer.office},
    )
    viewer.delete()
    return True


# --- agency settings: details, signers, units, emblem and letterhead ----------------------------

EMBLEM_MAX_BYTES = 1024 * 1024
LETTERHEAD_MAX_BYTES = 5 * 1024 * 1024
EMBLEM_MAX_SIDE = 5000  # pixels; a Garuda of 1.5 cm needs a few hundred
EMBLEM_FORMATS = frozenset({"PNG", "JPEG"})


class SettingsRefused(Exception):
    """The change cannot be made; the message says why, for the user."""


class StaleSettings(Exception):
    """Someone saved the settings after the version this edit started from."""

    def __init__(self, current: AgencySettings) -> None:
        self.current = current
        user = current.updated_by
        self.author = (user.get_full_name() or user.get_username()) if user else "-"
        super().__init__(f"version {current.version} was saved by {self.author}")


class StaleUnit(Exception):
    """The unit was renamed by someone else after this page was opened."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        super().__init__(f"the unit is now called {unit.name}")


class UnitInUse(Exception):
    """The unit is responsible for measures of plans: removing it needs a confirmation."""

    def __init__(self, unit: Unit, uses: list[UnitUse]) -> None:
        self.unit = unit
        self.uses = uses
        super().__init__(f"{unit.name} is used by {len(uses)} plan(s)")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def settings_snapshot(settings: AgencySettings) -> dict[str, Any]:
    """What the settings form edits, as JSON (for comparing and for the audit log)."""
    return {
        "address": settings.address,
        "website": settings.website,
        "memo_unit": settings.memo_unit,
        "memo_prefix": settings.memo_prefix,
        "signers": settings.signers or {},
    }


def _person(data: dict[str, Any] | None, *, extra: bool = True) -> dict[str, str] | None:
    if not data:
        return None
    person = {
        "name": str(data.get("name") or "").strip(),
        "position": str(data.get("position") or "").strip(),
    }
    if extra and str(data.get("position_extra") or "").strip():
        person["position_extra"] = str(data["position_extra"]).strip()
    if not person["name"] and not person["position"]:
        return None
    if not person["name"] or not person["position"]:
        raise SettingsRefused(_("ผู้ลงนามแต่ละคนต้องมีทั้งชื่อและตำแหน่ง"))
    return person


def signers_data(
    *,
    officer: dict[str, Any] | None,
    reviewers: list[dict[str, Any]],
    executive: dict[str, Any] | None,
) -> dict[str, Any]:
    """The signers as stored: persons with name and position (both or neither), in order."""
    found = [_person(r) for r in reviewers]
    return {
        "officer": _person(officer, extra=False),
        "reviewers": [p for p in found if p is not None],
        "executive": _person(executive),
    }


@transaction.atomic
def agency_settings_save(
    *,
    agency: Agency,
    user: User | None,
    address: str,
    website: str,
    memo_unit: str,
    memo_prefix: str,
    signers: dict[str, Any],
    base_version: int,
) -> bool:
    """Save the details and signers; False when they were already so (a double submit).

    Raises StaleSettings when another save happened after ``base_version``.
    """
    AgencySettings.objects.get_or_create(agency=agency)
    current = AgencySettings.objects.select_for_update().get(pk=agency.pk)
    before = settings_snapshot(current)
    current.address = address.strip()
    current.website = website.strip()
    current.memo_unit = memo_unit.strip()
    current.memo_prefix = memo_prefix.strip()
    current.signers = signers
    after = settings_snapshot(current)
    if after == before:
        return False
    if current.version != base_version:
        current.refresh_from_db()
        raise StaleSettings(current)
    current.version += 1
    current.updated = timezone.now()
    current.updated_by = user
    current.save()
    changed = [k for k in after if after[k] != before[k]]
    record(
        actor=user,
        agency=agency,
        action=Action.CHANGE,
        obj=current,
        summary=f"ตั้งค่าหน่วยงาน: {', '.join(changed)}",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return True


def _unit_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) < 2 or len(name) > 200:
        raise SettingsRefused(_("ชื่อส่วนงานต้องยาว 2 ถึง 200 ตัวอักษร"))
    return name


@transaction.atomic
def unit_add(*, agency: Agency, user: User | None, name: str) -> Unit | None:
    """Add a unit; None when the agency has it already (nothing changes)."""
    name = _unit_name(name)
    if agency.units.filter(name=name).exists():
        return None
    try:
        with transaction.atomic():
            unit = Unit.objects.create(agency=agency, name=name)
    except IntegrityError:  # the same name added at the same moment
        return None
    record(
        actor=user,
        agency=agency,
        action=Action.CREATE,
        obj=unit,
        summary=f"เพิ่มส่วนงาน {name}",
        after={"name": name},
    )
    return unit


@transaction.atomic
def unit_rename(
    *, agency: Agency, user: User | None, unit_id: int, current: str, name: str
) -> bool:
    """Rename the unit from ``current`` (the name the page showed) to ``name``; False when it
    is called so already. Saved plan versions keep the old name (they never change); the
    plan editor offers the new one.

    Raises StaleUnit when someone renamed it in between, SettingsRefused when it is gone or
    another unit has the name.
    """
    name = _unit_name(name)
    unit = Unit.objects.select_for_update().filter(agency=agency, pk=unit_id).first()
    if unit is None:
        raise SettingsRefused(_("ไม่พบส่วนงาน “%(name)s” อาจถูกลบไปแล้ว") % {"name": current})
    if unit.name == name:
        return False
    if unit.name != " ".join(current.split()):
        raise StaleUnit(unit)
    if agency.units.filter(name=name).exclude(pk=unit.pk).exists():
        raise SettingsRefused(_("มีส่วนงานชื่อ “%(name)s” อยู่แล้ว") % {"name": name})
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name"])
    record(
        actor=user,
        agency=agency,
        action=Action.CHANGE,
        obj=unit,
        summary=f"เปลี่ยนชื่อส่วนงาน {old} เป็น {name}",
        before={"name": old},
        after={"name": name},
    )
    return True


@transaction.atomic
def unit_remove(
    *, agency: Agency, user: User | None, unit_id: int, confirmed: bool = False
) -> Unit | None:
    """Remove the unit from the agency's list; None when it is gone already (a double submit).

    A unit responsible for measures of a plan is removed only ``confirmed`` (UnitInUse
    otherwise); the plans keep its name in the versions saved.
    """
    unit = Unit.objects.select_for_update().filter(agency=agency, pk=unit_id).first()
    if unit is None:
        return None
    uses = unit_uses(agency, unit.name)
    if uses and not confirmed:
        raise UnitInUse(unit, uses)
    removed = Unit(pk=unit.pk, agency=agency, name=unit.name)
    unit.delete()
    record(
        actor=user,
        agency=agency,
        action=Action.DELETE,
        obj=removed,
        summary=f"ลบส่วนงาน {removed.name}",
        before={"name": removed.name, "plans": [u.fiscal_year for u in uses]},
    )
    return removed


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed its checks, as it will be stored."""

    data: bytes
    width: int | None = None
    height: int | None = None


def too_big(name: str, size: int, limit: int) -> SettingsRefused:
    return SettingsRefused(
        _("ไฟล์ “%(name)s” มีขนาด %(size)s MB เกินขนาดสูงสุด %(limit)s MB ยังไม่ได้บันทึก")
        % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)}
    )


def emblem_checked(name: str, data: bytes) -> CheckedFile:
    """A PNG or JPEG of at most 1 MB that Pillow decodes; JPEG is stored as PNG (the memo
    embeds PNG)."""
    if len(data) > EMBLEM_MAX_BYTES:
        raise too_big(name, len(data), EMBLEM_MAX_BYTES)
    bad = SettingsRefused(
        _("ไฟล์ “%(name)s” ไม่ใช่รูปภาพ PNG หรือ JPEG ที่เปิดได้ ยังไม่ได้บันทึก") % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in EMBLEM_FORMATS:
                raise bad
            if max(width, height) > EMBLEM_MAX_SIDE:
                raise SettingsRefused(
                    _("รูป “%(name)s” ใหญ่ %(w)s×%(h)s พิกเซล เกิน %(max)s พิกเซล ยังไม่ได้บันทึก")
                    % {"name": name, "w": width, "h": height, "max": EMBLEM_MAX_SIDE}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if kind == "PNG":
                return CheckedFile(data, width, height)
            out = io.BytesIO()
            image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
                out, format="PNG"
            )
            return CheckedFile(out.getvalue(), width, height)
    except SettingsRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise bad from None


def letterhead_checked(name: str, data: bytes) -> CheckedFile:
    """A DOCX of at most 5 MB that python-docx opens and that our documents render with."""
    if len(data) > LETTERHEAD_MAX_BYTES:
        raise too_big(name, len(data), LETTERHEAD_MAX_BYTES)
    try:
        python_docx.Document(io.BytesIO(data))
        render_docx(SAMPLE, template=data)
    except Exception:  # python-docx raises many kinds on a damaged or foreign file
        raise SettingsRefused(
            _("ไฟล์ “%(name)s” ไม่ใช่ไฟล์ Word (.docx) ที่เปิดได้ ยังไม่ได้บันทึก") % {"name": name}
        ) from None
    return CheckedFile(data)


SAMPLE = Document(
    kind="memo",
    title="ทดสอบแม่แบบ",
    agency="-",
    fiscal_year=2568,
    blocks=(Heading("ทดสอบ", 1), Paragraph(runs("ทดสอบ"))),
)


def _file_snapshot(found: AgencyFile | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "name": found.name,
        "size": found.size,
        "sha256": found.sha256,
        "width": found.width,
        "height": found.height,
    }


@transaction.atomic
def agency_file_save(
    *, agency: Agency, user: User | None, kind: FileKind, name: str, data: bytes
) -> bool:
    """Check and store the emblem or letterhead, replacing the one before; False when the same
    file is stored already. SettingsRefused (nothing changes) when it is too big or broken."""
    name = (name or "-").replace("\\", "/").rsplit("/", 1)[-1][:200]
    checked = (
        emblem_checked(name, data) if kind == FileKind.EMBLEM else letterhead_checked(name, data)
    )
    digest = hashlib.sha256(checked.data).hexdigest()
    found = (
        AgencyFile.objects.select_for_update()
        .defer("data")
        .filter(agency=agency, kind=kind)
        .first()
    )
    before = _file_snapshot(found)
    if found is not None and found.sha256 == digest and found.name == name:
        return False
    stored = found or AgencyFile(agency=agency, kind=kind)
    stored.name = name
    stored.data = checked.data
    stored.size = len(checked.data)
    stored.sha256 = digest
    stored.width, stored.height = checked.width, checked.height
    stored.uploaded_by = user
    stored.save()
    record(
        actor=user,
        agency=agency,
        action=Action.CHANGE if found else Action.CREATE,
        obj=stored,
        summary=f"{FileKind(kind).label}: {name}",
        before=before,
        after=_file_snapshot(stored),
    )
    return True


@transaction.atomic
def agency_file_remove(*, agency: Agency, user: User | None, kind: FileKind) -> bool:
    """Remove the emblem or letterhead; False when there is none (a double submit)."""
    found = (
        AgencyFile.objects.select_for_update()
        .defer("data")
        .filter(agency=agency, kind=kind)
        .first()
    )
    if found is None:
        return False
    before = _file_snapshot(found)
    pk = found.pk
    found.delete()
    record(
        actor=user,
        agency=agency,
        action=Action.DELETE,
        object_type=AgencyFile._meta.label_lower,
        object_id=str(pk),
        summary=f"ลบ{FileKind(kind).label}: {before['name'] if before else ''}",
        before=before,
    )
    return True
