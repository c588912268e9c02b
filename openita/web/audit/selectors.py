"""Reads of the audit log: who may read an agency's log, and its entries a page at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from openita.web.agencies.models import Agency, Role
from openita.web.agencies.selectors import AnyUser, role_in
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


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def changes_of(entry: AuditEntry) -> list[Change]:
    """Before/after side by side, key by key (a snapshot that is not a mapping is one row)."""
    before, after = entry.before, entry.after
    if not isinstance(before, dict | type(None)) or not isinstance(after, dict | type(None)):
        return [Change("", _shown(before), _shown(after))]
    old, new = before or {}, after or {}
    keys = list(dict.fromkeys([*old, *new]))
    return [Change(k, _shown(old.get(k)), _shown(new.get(k))) for k in keys]


@dataclass(frozen=True)
class Row:
    entry: AuditEntry
    changes: list[Change]


def log_page(
    agency: Agency, *, page: int | str | None, action: str | None
) -> tuple[Page[Any], list[Row]]:
    """One page of the agency's log, newest first, optionally of one kind of action."""
    entries = AuditEntry.objects.filter(agency=agency).select_related("actor")
    if action in Action.values:
        entries = entries.filter(action=action)
    found = Paginator(entries.order_by("-at", "-id"), PAGE_SIZE).get_page(page)
    return found, [Row(e, changes_of(e)) for e in found.object_list]
