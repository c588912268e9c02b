"""``python -m django send_reminders [--today YYYY-MM-DD] [--days N] [--dry-run]``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openita.web.reminders.services import describe, send_reminders


def parse_day(value: str | None) -> dt.date:
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = "Send the reminders that are due (each at most once). Run it daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to compute for (YYYY-MM-DD; default today)")
        parser.add_argument("--days", type=int, help="how many days ahead (default 14)")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        today = parse_day(options.get("today"))
        dry_run = bool(options.get("dry_run"))
        sent = send_reminders(today=today, days=options.get("days"), dry_run=dry_run)
        for reminder in sent:
            self.stdout.write(describe(reminder))
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{len(sent)} reminder(s) {verb} for {today.isoformat()}")
