"""Sending the reminders that are due, each at most once (``ReminderSent``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.reminders.models import ReminderSent
from openita.web.reminders.selectors import Reminder, due_reminders

SENDER_LABEL = "ระบบแจ้งเตือน"


def send_reminders(
    *, today: dt.date, days: int | None = None, dry_run: bool = False
) -> list[Reminder]:
    """Send every reminder due on ``today`` not sent before; return them. With ``dry_run``,
    return what would be sent and send and record nothing.

    Each reminder is recorded and sent in its own transaction: the unique record makes two
    runs at once send it once, and a failed send leaves no record, so the next run retries."""
    done: list[Reminder] = []
    for reminder in due_reminders(today, days):
        if reminder.already_sent():
            continue
        if dry_run:
            done.append(reminder)
            continue
        if _send_one(reminder):
            done.append(reminder)
    return done


@transaction.atomic
def _send_one(reminder: Reminder) -> bool:
    try:
        with transaction.atomic():
            row = ReminderSent.objects.create(
                kind=reminder.kind,
                target=reminder.to.email,
                plan=reminder.plan,
                measure_id=reminder.measure_id,
                months=reminder.months,
                due=reminder.due,
            )
    except IntegrityError:
        return False  # another run sent it just now
    record(
        actor=None,
        agency=reminder.agency,
        action=Action.CREATE,
        obj=row,
        summary=f"แจ้งเตือน {reminder.to.email}: {reminder.subject}",
        after={
            "kind": reminder.kind.value,
            "to": reminder.to.email,
            "due": reminder.due.isoformat(),
        },
        actor_label=SENDER_LABEL,
    )
    send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL, [reminder.to.email])
    return True


def describe(reminder: Reminder) -> str:
    """One line for the command's output."""
    where = f"{reminder.agency.name} {reminder.plan.fiscal_year} {reminder.what}"
    due = reminder.due.isoformat()
    return f"{reminder.kind.value}\t{reminder.to.email}\t{where}\t{due}\t{reminder.subject}"
