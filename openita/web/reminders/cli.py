"""``openita remind``: set Django up (migrating the database first, like ``openita serve``)
and send the reminders that are due, or list them with ``dry_run``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from openita.web.manage import ensure_data_dir

    ensure_data_dir()
    call_command("migrate", interactive=False, verbosity=0)


def remind(
    *,
    today: dt.date | None,
    days: int | None,
    dry_run: bool,
    echo: Callable[[str], None] = print,
) -> int:
    """Send (or list) the reminders due on ``today``; return how many."""
    setup()
    from django.utils import timezone

    from openita.web.reminders.services import describe, send_reminders

    day = today or timezone.localdate()
    found = send_reminders(today=day, days=days, dry_run=dry_run)
    for reminder in found:
        echo(describe(reminder))
    verb = "would be sent" if dry_run else "sent"
    echo(f"{len(found)} reminder(s) {verb} for {day.isoformat()}")
    return len(found)
