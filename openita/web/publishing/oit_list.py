"""Publishing the OIT list (item code, title, URLs) on the agency's public page: an explicit
action of the agency's officer or executive, audited like every publication; the public page
shows the frozen copy, never the checklist as it is being edited.

Publishing the same rows again adds nothing; changed rows replace the current copy (kept as
superseded); withdrawing takes it off the page, with a reason.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.oit.models import OitChecklist
from openita.web.oit.selectors import export_rows
from openita.web.publishing.models import OitListPublication
from openita.web.publishing.services import PublishRefused, can_publish


@dataclass(frozen=True)
class OitPublished:
    publication: OitListPublication
    changed: bool  # False when the same rows were already the current copy


def rows_of(checklist: OitChecklist) -> list[dict[str, Any]]:
    return [
        {"code": code, "title": title, "urls": urls.split("\n") if urls else []}
        for code, title, urls in export_rows(checklist)
    ]


def digest(rows: list[dict[str, Any]]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def current_of(agency: Agency, fiscal_year: int) -> OitListPublication | None:
    return OitListPublication.objects.filter(
        agency=agency,
        fiscal_year=fiscal_year,
        withdrawn_at__isnull=True,
        superseded_at__isnull=True,
    ).first()


def public_lists(agency: Agency) -> list[OitListPublication]:
    """The current published OIT list of each year, newest year first."""
    found = OitListPublication.objects.filter(
        agency=agency, withdrawn_at__isnull=True, superseded_at__isnull=True
    )
    return list(found.order_by("-fiscal_year"))


@transaction.atomic
def oit_list_publish(*, agency: Agency, fiscal_year: int, user: User) -> OitPublished:
    """Publish the checklist's list of ``fiscal_year`` as it stands now."""
    if not can_publish(user, agency):
        raise PublishRefused(_("เฉพาะเจ้าหน้าที่หรือผู้บริหารของหน่วยงานจึงเผยแพร่เอกสารได้"), 403)
    checklist = OitChecklist.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    if checklist is None:
        raise PublishRefused(_("ยังไม่มีรายการตรวจ OIT ของปีนี้"), 404)
    rows = rows_of(checklist)
    if not any(r["urls"] for r in rows):
        raise PublishRefused(_("รายการ OIT ยังไม่มีลิงก์ จึงยังไม่มีอะไรให้เผยแพร่"))
    OitChecklist.objects.select_for_update().filter(pk=checklist.pk).first()
    current = current_of(agency, fiscal_year)
    sha = digest(rows)
    if current is not None and current.sha256 == sha:
        return OitPublished(current, changed=False)
    try:
        with transaction.atomic():
            if current is not None:
                OitListPublication.objects.filter(pk=current.pk).update(
                    superseded_at=timezone.now()
                )
            publication = OitListPublication.objects.create(
                agency=agency,
                fiscal_year=fiscal_year,
                framework_id=checklist.framework_id,
                rows=rows,
                sha256=sha,
                published_by=user,
            )
    except IntegrityError:
        raise PublishRefused(_("มีผู้เผยแพร่เรื่องนี้พร้อมกัน โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง"), 409) from None
    record(
        actor=user,
        agency=agency,
        action=Action.PUBLISH,
        obj=publication,
        summary=f"เผยแพร่รายการ OIT ปีงบประมาณ {fiscal_year} ({len(rows)} ข้อ)",
        before={"sha256": current.sha256} if current is not None else None,
        after={"sha256": sha, "items": len(rows)},
    )
    return OitPublished(publication, changed=True)


@transaction.atomic
def oit_list_unpublish(*, agency: Agency, fiscal_year: int, user: User, reason: str) -> bool:
    """Take the year's OIT list off the public page, with a reason; False if none is shown."""
    if not can_publish(user, agency):
        raise PublishRefused(_("เฉพาะเจ้าหน้าที่หรือผู้บริหารของหน่วยงานจึงยกเลิกการเผยแพร่ได้"), 403)
    reason = reason.strip()
    if not reason:
        raise PublishRefused(_("โปรดระบุเหตุผลที่ยกเลิกการเผยแพร่"))
    current = current_of(agency, fiscal_year)
    if current is None:
        return False
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = user
    current.withdrawn_reason = reason[:1000]
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    record(
        actor=user,
        agency=agency,
        action=Action.UNPUBLISH,
        obj=current,
        summary=f"ยกเลิกการเผยแพร่รายการ OIT ปีงบประมาณ {fiscal_year}",
        before={"withdrawn": False, "sha256": current.sha256},
        after={"withdrawn": True, "sha256": current.sha256, "reason": reason},
    )
    return True
