"""Demo data: the demo agency's OIT checklist for FY2569, part prepared (links on the agency's
own demo host, units, due dates, statuses). Nothing is checked or crawled: links are only
checked when someone asks (no network access while loading). Safe to run again: an item
already filled is left as it is."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from openita.web.agencies.models import Agency
from openita.web.oit.models import OitEntry, Status
from openita.web.oit.services import open_checklist

FISCAL_YEAR = 2569
HOST = "https://www.example.go.th"  # the demo agency's website in its settings
# code, path on the demo host, unit, status
ITEMS = (
    ("o1", "/about/structure", "สำนักปลัด", Status.READY),
    ("o3", "/contact", "สำนักปลัด", Status.READY),
    ("o4", "/news", "สำนักปลัด", Status.READY),
    ("o5", "/files/ita-2569/o5-plan-2566-2570.pdf", "สำนักปลัด", Status.READY),
    ("o8", "/files/ita-2569/o8-manual.pdf", "สำนักปลัด", Status.NOT_STARTED),
    ("o10", "/eservice", "สำนักปลัด", Status.PROBLEM),
    ("o11", "/files/ita-2569/o11-procurement-monthly.pdf", "กองคลัง", Status.NOT_STARTED),
    ("o13", "/files/ita-2569/o13-hr-plan-2569.pdf", "สำนักปลัด", Status.NOT_STARTED),
)


def load(*, agency: Agency, officer: User) -> None:
    checklist = open_checklist(agency, FISCAL_YEAR, officer)
    due = dt.date(2569 - 543, 3, 31)
    for code, path, unit, status in ITEMS:
        entry = OitEntry.objects.filter(checklist=checklist, code=code).first()
        if entry is None or entry.urls or entry.unit:
            continue
        entry.urls = HOST + path
        entry.unit = unit
        entry.due = due
        entry.status = status
        entry.updated_by = officer
        entry.save()
