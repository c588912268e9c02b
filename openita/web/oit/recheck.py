"""The scheduled recheck: ``openita oit recheck`` (from cron, like ``openita remind``) checks
every checklist whose schedule (daily or weekly) is due, and e-mails the agency's officers
about each link that worked and is now broken, once per breakage (``BreakNotice``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q

from openita.web.agencies.models import Role
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.oit.models import BreakNotice, LinkCheck, OitChecklist, Recheck
from openita.web.oit.services import check_now

INTERVALS = {Recheck.DAILY: dt.timedelta(days=1), Recheck.WEEKLY: dt.timedelta(days=7)}
# A run from cron at the same time each day comes a little early or late: an hour's slack.
SLACK = dt.timedelta(hours=1)
SENDER_LABEL = "ระบบตรวจลิงก์ OIT"


def due_checklists(now: dt.datetime) -> list[OitChecklist]:
    """Checklists whose recheck schedule is due at ``now`` (never rechecked counts as due)."""
    due = []
    for checklist in OitChecklist.objects.exclude(recheck=Recheck.OFF).select_related("agency"):
        interval = INTERVALS[Recheck(checklist.recheck)]
        if checklist.rechecked is None or checklist.rechecked + interval - SLACK <= now:
            due.append(checklist)
    return due


@dataclass(frozen=True)
class Breakage:
    checklist: OitChecklist
    code: str
    url: str
    since: LinkCheck  # the first failed check after the last working one
    last: LinkCheck  # the latest (failed) check


def breakages(checklist: OitChecklist) -> list[Breakage]:
    """Links of the checklist that worked once and whose latest check failed."""
    found = []
    for entry in checklist.entries.all():
        for url in entry.url_list:
            history = list(LinkCheck.objects.filter(entry=entry, url=url))  # newest first
            if not history or history[0].ok:
                continue
            failing = []
            for check in history:
                if check.ok:
                    break
                failing.append(check)
            if len(failing) < len(history):  # an ok check came before the failures
                found.append(Breakage(checklist, entry.code, url, failing[-1], history[0]))
    return found


def officers_of(checklist: OitChecklist) -> list[str]:
    emails = (
        User.objects.filter(
            Q(memberships__agency=checklist.agency, memberships__role=Role.OFFICER),
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({e.lower() for e in emails})


@dataclass(frozen=True)
class Notice:
    breakage: Breakage
    to: str
    subject: str
    body: str


def _notice(b: Breakage, to: str) -> Notice:
    year = b.checklist.fiscal_year
    subject = f"ลิงก์ OIT ข้อ {b.code.upper()} ปีงบประมาณ {year} ใช้ไม่ได้"
    body = (
        f"เรียน เจ้าหน้าที่ผู้รับผิดชอบ {b.checklist.agency.name}\n\n"
        f"ลิงก์ของข้อ {b.code.upper()} ในรายการตรวจ OIT ปีงบประมาณ {year}\n{b.url}\n"
        f"เคยใช้ได้ แต่ตรวจเมื่อ {b.since.checked:%Y-%m-%d %H:%M} แล้วใช้ไม่ได้ "
        f"({b.last.problem or '-'}{f' HTTP {b.last.status}' if b.last.status else ''})\n"
        "โปรดแก้ไขลิงก์ก่อนการประเมิน\n"
    )
    return Notice(b, to, subject, body)


@dataclass(frozen=True)
class RecheckRun:
    checked: list[OitChecklist]
    notices: list[Notice]


def run_recheck(*, now: dt.datetime, dry_run: bool = False) -> RecheckRun:
    """Check the due checklists and send the notices of new breakages. With ``dry_run``, only
    list the checklists that are due: nothing is checked, stored or sent."""
    due = due_checklists(now)
    if dry_run:
        return RecheckRun(due, [])
    sent: list[Notice] = []
    for checklist in due:
        check_now(checklist)
        OitChecklist.objects.filter(pk=checklist.pk).update(rechecked=now)
        for b in breakages(checklist):
            for to in officers_of(checklist):
                notice = _notice(b, to)
                if _send_once(notice):
                    sent.append(notice)
    return RecheckRun(due, sent)


@transaction.atomic
def _send_once(notice: Notice) -> bool:
    try:
        with transaction.atomic():
            row = BreakNotice.objects.create(since=notice.breakage.since, target=notice.to)
    except IntegrityError:
        return False  # told before (or by a run at the same time)
    record(
        actor=None,
        agency=notice.breakage.checklist.agency,
        action=Action.CREATE,
        obj=row,
        summary=f"แจ้ง {notice.to}: {notice.subject}",
        after={"url": notice.breakage.url, "code": notice.breakage.code, "to": notice.to},
        actor_label=SENDER_LABEL,
    )
    send_mail(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.to])
    return True


def describe(run: RecheckRun, *, dry_run: bool) -> list[str]:
    lines = [
        f"{'due' if dry_run else 'checked'}\t{c.agency.name}\t{c.fiscal_year}\t{c.recheck}"
        for c in run.checked
    ]
    lines += [f"sent\t{n.to}\t{n.breakage.code}\t{n.breakage.url}" for n in run.notices]
    verb = "due" if dry_run else "checked"
    lines.append(f"{len(run.checked)} checklist(s) {verb}, {len(run.notices)} notice(s) sent")
    return lines
