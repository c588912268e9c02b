"""Writes about unit links: make one (the token is shown once), e-mail it, revoke it, and
save a unit head's progress through it.

A save through a link is a new plan version made by ``plan_save`` (``user=None``, the
person and unit in the note and in the audit log); the content may differ from the version
it was based on only in the round's progress of the unit's own measures, whatever the POST
says, so a crafted form cannot change another unit's measures.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.documents.kinds.progress import round_end
from openita.plans.schema import Measure, Plan
from openita.text.thai import format_date
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.evidence.files import Checked
from openita.web.evidence.models import EvidenceFile
from openita.web.evidence.services import store, with_names
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import Saved, plan_save
from openita.web.unitlinks.models import UnitLink
from openita.web.unitlinks.selectors import token_hash, unit_measures

TOKEN_BYTES = 32
DEFAULT_DAYS = 30


class LinkRefused(Exception):
    """The link cannot be made or used this way; the message says why, for the user."""


@dataclass(frozen=True)
class Issued:
    link: UnitLink
    token: str  # shown once; only its hash is stored


def default_expiry(plan: Plan, months: int, today: dt.date) -> dt.date:
    """30 days after the round's end; 30 days from today when that is already past."""
    return max(round_end(plan, months), today) + dt.timedelta(days=DEFAULT_DAYS)


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def snapshot(link: UnitLink) -> dict[str, object]:
    return {
        "unit": link.unit,
        "person": link.person_name,
        "email": link.email,
        "months": link.months,
        "expires": timezone.localtime(link.expires_at).date().isoformat(),
        "revoked": link.revoked_at.isoformat() if link.revoked_at else None,
    }


@transaction.atomic
def link_create(
    *,
    plan: MeasuresPlan,
    months: int,
    unit: str,
    person_name: str,
    email: str,
    expires: dt.date | None,
    user: User | None,
    token: str | None = None,
) -> Issued:
    """A new link for ``unit``'s head in this round. ``token`` is for the demo only (a fixed,
    known link); otherwise a random one of 32 bytes."""
    if months not in (6, 12):
        raise LinkRefused(_("รอบการรายงานต้องเป็น 6 หรือ 12 เดือน"))
    current = plan.versions.order_by("-number").first()
    if current is None:
        raise LinkRefused(_("แผนนี้ยังไม่มีฉบับใด"))
    content = plan_of(current.content)
    if not unit_measures(content, months, unit):
        raise LinkRefused(
            _("ส่วนงาน %(unit)s ไม่มีมาตรการที่ต้องรายงานในรอบ %(n)s เดือน") % {"unit": unit, "n": months}
        )
    today = timezone.localdate()
    day = expires or default_expiry(content, months, today)
    if day < today:
        raise LinkRefused(_("วันหมดอายุต้องไม่ก่อนวันนี้ (%(today)s)") % {"today": format_date(today)})
    token = token or secrets.token_urlsafe(TOKEN_BYTES)
    link = UnitLink.objects.create(
        agency=plan.agency,
        plan=plan,
        months=months,
        unit=unit,
        person_name=person_name.strip(),
        email=email.strip(),
        token_hash=token_hash(token),
        expires_at=_end_of(day),
        created_by=user,
    )
    record(
        actor=user,
        agency=plan.agency,
        action=Action.CREATE,
        obj=link,
        summary=f"ลิงก์ส่วนงาน {unit} ({link.person_name}) รอบ {months} เดือน ปี {plan.fiscal_year}",
        after=snapshot(link),
    )
    return Issued(link, token)


def link_email(*, link: UnitLink, url: str) -> bool:
    """E-mail the link to its person (right after it is made: the only time the full URL is
    known). False when there is no address or sending failed."""
    if not link.email:
        return False
    expires = format_date(timezone.localtime(link.expires_at).date())
    # E-mails are written in Thai, like the documents they are about.
    body = (
        f"เรียน {link.person_name}\n\nเจ้าหน้าที่ของ{link.agency.name} ขอให้{link.unit} "
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
        f"รอบ {link.months} เดือน ปีงบประมาณ {link.plan.fiscal_year} ผ่านลิงก์ส่วนตัวนี้ "
        f"(ไม่ต้องเข้าสู่ระบบ ใช้ได้ถึง {expires} โปรดอย่าส่งต่อ):\n\n{url}\n"
    )
    subject = f"ลิงก์รายงานผลการดำเนินการตามมาตรการ รอบ {link.months} เดือน"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [link.email])
    except OSError:
        return False
    return True


@transaction.atomic
def link_revoke(*, link: UnitLink, user: User | None) -> UnitLink:
    """End the link now (revoking twice changes nothing)."""
    locked = UnitLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is not None:
        return locked
    before = snapshot(locked)
    locked.revoked_at = timezone.now()
    locked.revoked_by = user
    locked.save(update_fields=["revoked_at", "revoked_by"])
    record(
        actor=user,
        agency=locked.agency,
        action=Action.CHANGE,
        obj=locked,
        summary=f"ยกเลิกลิงก์ส่วนงาน {locked.unit} ({locked.person_name}) รอบ {locked.months} เดือน",
        before=before,
        after=snapshot(locked),
    )
    return locked


def link_touch(*, link: UnitLink) -> None:
    """Note that the link was used now (shown in the officer's list)."""
    UnitLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())


def _outside(link: UnitLink, base: Plan, content: Plan) -> list[str]:
    """What ``content`` changes beyond the round's progress of the link's unit's measures."""
    problems: list[str] = []
    if {**base.model_dump(), "measures": []} != {**content.model_dump(), "measures": []}:
        problems.append(_("ข้อมูลของแผน"))
    before = {m.id: m for m in base.measures}
    after = {m.id: m for m in content.measures}
    if list(before) != list(after):
        problems.append(_("รายการมาตรการ"))
    mine = {m.id for m in unit_measures(base, link.months, link.unit)}
    for measure_id, new in after.items():
        old = before.get(measure_id)
        if old is None:
            continue
        if measure_id in mine:
            old_rest = _without_round(old, link.months)
            if old_rest != _without_round(new, link.months):
                problems.append(measure_id)
        elif old != new:
            problems.append(measure_id)
    return problems


def _without_round(measure: Measure, months: int) -> Measure:
    progress = {k: v for k, v in measure.progress.items() if k != months}
    return measure.model_copy(update={"progress": progress})


@transaction.atomic
def link_progress_save(
    *,
    link: UnitLink,
    content: Plan,
    base_version: int,
    uploads: dict[str, list[Checked]],
) -> Saved:
    """Save the unit head's progress (and evidence files) as a new plan version. Raises
    StaleEdit (nothing kept, files included) when someone saved in between."""
    locked = MeasuresPlan.objects.select_for_update().get(pk=link.plan_id)
    base = locked.versions.filter(number=base_version).first()
    if base is None:
        raise LinkRefused(_("ไม่พบแผนฉบับที่ %(n)s") % {"n": base_version})
    base_plan = plan_of(base.content)
    mine = {m.id for m in unit_measures(base_plan, link.months, link.unit)}
    outside = _outside(link, base_plan, content) + sorted(set(uploads) - mine)
    if outside:
        raise LinkRefused(
            _("ลิงก์นี้แก้ไขได้เฉพาะมาตรการของ%(unit)s ในรอบ %(n)s เดือน ไม่รับการแก้ไข: %(what)s")
            % {"unit": link.unit, "n": link.months, "what": ", ".join(dict.fromkeys(outside))}
        )
    # Files the unit's measures already have stay named in their evidence (the report and the
    # page agree even when a name was erased from the evidence text).
    names: dict[str, list[str]] = {}
    kept = EvidenceFile.objects.filter(plan=locked, months=link.months, measure_id__in=mine)
    for measure_id, name in kept.order_by("uploaded_at", "id").values_list("measure_id", "name"):
        names.setdefault(measure_id, []).append(name)
    for measure_id, files in uploads.items():
        if files:
            rows = store(
                plan=locked,
                months=link.months,
                measure_id=measure_id,
                files=files,
                user=None,
                actor_label=link.actor_label,
            )
            names.setdefault(measure_id, []).extend(r.name for r in rows)
    content = with_names(content, link.months, names, timezone.localdate())
    saved = plan_save(
        plan=locked,
        user=None,
        content=content,
        base_version=base_version,
        note=f"{link.person_name} ({link.unit}) ผ่านลิงก์ส่วนงาน",
        actor_label=link.actor_label,
    )
    link_touch(link=link)
    return saved
