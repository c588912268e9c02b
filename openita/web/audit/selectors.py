"""Reads of the audit log: who may read an agency's log, and its entries a page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from openita.web.agencies.models import Agency, Role
from openita.web.agencies.selectors import AnyUser, role_in, thai_sorted
from openita.web.audit import words
from openita.web.audit.models import Action, AuditEntry

PAGE_SIZE = 50
READERS = frozenset({Role.EXECUTIVE, Role.AUDITOR})


def can_read_log(user: AnyUser, agency: Agency) -> bool:
    """The agency's executives (and auditors) read its log; superusers read every log."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return role_in(user, agency) in READERS


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def changes_of(entry: AuditEntry) -> list[Change]:
    """Before/after side by side, field by field, in words (``audit/words.py``): a field's
    name, not its key; a value as people read it, not JSON. Fields that did not change are
    left out when both sides are given. A snapshot that is not a mapping is one row."""
    before, after = entry.before, entry.after
    if not isinstance(before, dict | type(None)) or not isinstance(after, dict | type(None)):
        return [Change("", words.shown(before), words.shown(after))]
    old, new = before or {}, after or {}
    keys = list(dict.fromkeys([*old, *new]))
    if old and new:
        keys = [k for k in keys if old.get(k) != new.get(k)] or keys
    rows = [
        Change(words.label(k), words.shown(old.get(k), k), words.shown(new.get(k), k)) for k in keys
    ]
    return [r for r in rows if r.before != r.after] or rows  # nothing said twice


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    changes: list[Change]


@dataclass(frozen=True)
class Filters:
    """What the log is narrowed to: a kind of action, a person (as named in the log), and
    dates from/to (inclusive, the agency's local days)."""

    action: str | None = None
    person: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def entries_of(agency: Agency, filters: Filters) -> QuerySet[AuditEntry]:
    """The agency's entries that match ``filters``, newest first."""
    entries = AuditEntry.objects.filter(agency=agency).select_related("actor")
    if filters.action in Action.values:
        entries = entries.filter(action=filters.action)
    if filters.person:
        entries = entries.filter(actor_label=filters.person)
    zone = timezone.get_current_timezone()
    if filters.since is not None:
        start = dt.datetime.combine(filters.since, dt.time.min, tzinfo=zone)
        entries = entries.filter(at__gte=start)
    if filters.until is not None:
        end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        entries = entries.filter(at__lt=end)
    return entries.order_by("-at", "-id")


def people_of(agency: Agency) -> list[str]:
    """Everyone named in the agency's log (accounts and link persons), in Thai order."""
    names = AuditEntry.objects.filter(agency=agency).values_list("actor_label", flat=True)
    return thai_sorted(set(names), key=lambda n: n)


def log_page(
    agency: Agency,
    *,
    page: int | str | None,
    action: str | None = None,
    filters: Filters | None = None,
) -> tuple[Page[Any], list[Row]]:
    """One page of the agency's log, newest first, narrowed by ``filters`` (or one action)."""
    entries = entries_of(agency, filters or Filters(action=action))
    found = Paginator(entries, PAGE_SIZE).get_page(page)
    return found, [Row(e, changes_of(e)) for e in found.object_list]
