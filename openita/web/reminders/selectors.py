"""What is due: the reminders a run on ``today`` would send (before removing those already
sent). Pure reads; sending is ``services.send_reminders``.

* a measure whose deadline is within N days (``OPENITA_REMINDER_DAYS``, default 14) and which
  is neither done nor dropped (its latest round's progress): to the agency's officers and to
  the head of its unit when an active unit link names an e-mail;
* a reporting round ending within N days whose report is not submitted yet: to the officers
  and to the unit heads with an active link for that round;
* a round that has ended (at most ``OPENITA_REMINDER_LATE_DAYS``, default 60, days ago) and
  whose progress report was neither submitted nor approved: to the agency's executives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User

from openita.documents.kinds.progress import progress_of, round_end
from openita.plans.schema import Measure, Plan
from openita.text.thai import format_date
from openita.web.agencies.models import Agency, Role
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.approvals.selectors import latest_approved
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.reminders.models import Kind, ReminderSent
from openita.web.unitlinks.models import UnitLink

DEFAULT_DAYS = 14
DEFAULT_LATE_DAYS = 60
SUBJECTS = {6: Subject.PROGRESS_6, 12: Subject.PROGRESS_12}


def reminder_days() -> int:
    return int(getattr(settings, "OPENITA_REMINDER_DAYS", DEFAULT_DAYS))


def late_days() -> int:
    return int(getattr(settings, "OPENITA_REMINDER_LATE_DAYS", DEFAULT_LATE_DAYS))


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    role: str  # officer, executive, unit


@dataclass(frozen=True)
class Reminder:
    kind: Kind
    to: Recipient
    agency: Agency
    plan: MeasuresPlan
    measure_id: str
    months: int
    due: dt.date
    subject: str
    body: str

    @property
    def what(self) -> str:
        return self.measure_id or f"{self.months}m"

    def already_sent(self) -> bool:
        return ReminderSent.objects.filter(
            kind=self.kind,
            target=self.to.email,
            plan=self.plan,
            measure_id=self.measure_id,
            months=self.months,
            due=self.due,
        ).exists()


def _people(agency: Agency, role: Role) -> list[Recipient]:
    users = User.objects.filter(
        memberships__agency=agency, memberships__role=role, is_active=True
    ).exclude(email="")
    return [Recipient(u.email, u.get_full_name() or u.get_username(), role.value) for u in users]


def _unit_heads(links: Iterable[UnitLink]) -> list[Recipient]:
    return [Recipient(link.email, link.person_name, "unit") for link in links if link.email]


def _once(people: Iterable[Recipient]) -> list[Recipient]:
    seen: dict[str, Recipient] = {}
    for p in people:
        seen.setdefault(p.email.lower(), p)
    return list(seen.values())


def latest_status(measure: Measure) -> str:
    """The measure's status in its latest round with progress (not started when none)."""
    for months in (12, 6):
        if months in measure.progress:
            return progress_of(measure, months).status
    return "not_started"


def round_reported(plan: MeasuresPlan, months: int) -> bool:
    """Whether the round's report was submitted (waiting) or approved."""
    subject = SUBJECTS[months]
    if latest_approved(plan, subject) is not None:
        return True
    return ApprovalRequest.objects.filter(
        plan=plan, subject=subject, status=Status.SUBMITTED
    ).exists()


def _link_note(role: str) -> str:
    if role != "unit":
        return ""
    return (
        "\nรายงานผลได้ทางลิงก์ส่วนตัวที่ท่านได้รับจากเจ้าหน้าที่ (ระบบไม่เก็บลิงก์ไว้จึงส่งซ้ำไม่ได้) "
        "หากไม่พบลิงก์ โปรดขอลิงก์ใหม่จากเจ้าหน้าที่ผู้รับผิดชอบ\n"
    )


def _measure_reminders(
    agency: Agency,
    plan: MeasuresPlan,
    content: Plan,
    links: list[UnitLink],
    today: dt.date,
    days: int,
) -> list[Reminder]:
    out = []
    officers = _people(agency, Role.OFFICER)
    for m in content.measures:
        if not today <= m.deadline <= today + dt.timedelta(days=days):
            continue
        if latest_status(m) in ("done", "dropped"):
            continue
        heads = _unit_heads(link for link in links if link.unit == m.unit)
        left = (m.deadline - today).days
        for person in _once([*officers, *heads]):
            body = (
                f"เรียน {person.name}\n\nมาตรการ {m.id} {m.title}\nผู้รับผิดชอบ: {m.unit}\n"
                f"กำหนดแล้วเสร็จ {format_date(m.deadline)} (อีก {left} วัน) ยังไม่ได้รายงานว่าดำเนินการแล้ว\n"
                f"แผนมาตรการปีงบประมาณ {plan.fiscal_year} ของ{agency.name}\n"
                f"{_link_note(person.role)}"
            )
            subject = f"มาตรการ {m.id} ใกล้ถึงกำหนดแล้วเสร็จ ({format_date(m.deadline)})"
            out.append(
                Reminder(Kind.MEASURE_DUE, person, agency, plan, m.id, 0, m.deadline, subject, body)
            )
    return out


def _round_reminders(
    agency: Agency,
    plan: MeasuresPlan,
    content: Plan,
    links: list[UnitLink],
    today: dt.date,
    days: int,
) -> list[Reminder]:
    out = []
    for months in (6, 12):
        if not any(months in m.rounds for m in content.measures):
            continue
        end = round_end(content, months)
        if end >= today and (end - today).days <= days:
            if round_reported(plan, months):
                continue
            heads = _unit_heads(link for link in links if link.months == months)
            for person in _once([*_people(agency, Role.OFFICER), *heads]):
                body = (
                    f"เรียน {person.name}\n\nรอบการรายงาน {months} เดือน ของแผนมาตรการปีงบประมาณ "
                    f"{plan.fiscal_year} ({agency.name}) สิ้นสุด {format_date(end)} "
                    f"(อีก {(end - today).days} วัน) โปรดบันทึกผลการดำเนินการให้ครบก่อนสิ้นรอบ\n"
                    f"{_link_note(person.role)}"
                )
                subject = f"ใกล้สิ้นรอบรายงานผล {months} เดือน ({format_date(end)})"
                out.append(
                    Reminder(Kind.ROUND_DUE, person, agency, plan, "", months, end, subject, body)
                )
        elif end < today and (today - end).days <= late_days() and not round_reported(plan, months):
            for person in _once(_people(agency, Role.EXECUTIVE)):
                body = (
                    f"เรียน {person.name}\n\nรอบการรายงาน {months} เดือน ของแผนมาตรการปีงบประมาณ "
                    f"{plan.fiscal_year} ({agency.name}) สิ้นสุดแล้วเมื่อ {format_date(end)} "
                    "แต่ยังไม่มีการเสนอรายงานผลให้ผู้บริหารพิจารณา\n"
                )
                subject = f"รายงานผลรอบ {months} เดือน ยังไม่ได้เสนอ (สิ้นรอบ {format_date(end)})"
                out.append(
                    Reminder(Kind.ROUND_LATE, person, agency, plan, "", months, end, subject, body)
                )
    return out


def due_reminders(today: dt.date, days: int | None = None) -> list[Reminder]:
    """Every reminder due on ``today`` (including those already sent: see ``already_sent``)."""
    days = reminder_days() if days is None else days
    out: list[Reminder] = []
    plans = MeasuresPlan.objects.select_related("agency").order_by("agency_id", "fiscal_year")
    for plan in plans:
        version = plan.versions.order_by("-number").first()
        if version is None:
            continue
        content = plan_of(version.content)
        if (today - round_end(content, 12)).days > late_days():
            continue  # a plan of a year long past
        links = [
            link
            for link in UnitLink.objects.filter(plan=plan, revoked_at__isnull=True)
            if link.active
        ]
        agency = plan.agency
        out += _measure_reminders(agency, plan, content, links, today, days)
        out += _round_reminders(agency, plan, content, links, today, days)
    return out
