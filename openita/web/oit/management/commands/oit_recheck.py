"""``python -m django oit_recheck [--dry-run]``: the scheduled OIT link recheck (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from openita.web.oit.recheck import describe, run_recheck


class Command(BaseCommand):
    help = "Recheck the OIT links of the checklists whose schedule is due; tell new breakages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list what is due, do nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options.get("dry_run"))
        for line in describe(run_recheck(now=timezone.now(), dry_run=dry_run), dry_run=dry_run):
            self.stdout.write(line)
