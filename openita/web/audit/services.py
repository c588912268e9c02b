"""Recording into the audit log; every service that writes calls ``record`` in its transaction,
so an entry exists exactly when the change it describes was saved."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from openita.web.agencies.models import Agency
from openita.web.audit.models import Action, AuditEntry


def actor_name(user: User | AnonymousUser | None) -> str:
    if user is None or not user.is_authenticated:
        return "-"
    return user.get_full_name() or user.get_username()


def record(
    *,
    actor: User | AnonymousUser | None,
    agency: Agency | None,
    action: Action,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    summary: str,
    before: Any = None,
    after: Any = None,
    actor_label: str = "",
) -> AuditEntry:
    """Add one entry. ``obj`` gives the type and id (or pass ``object_type``/``object_id``);
    ``before``/``after`` are JSON-able snapshots of what changed (None for create/delete).
    ``actor_label`` names someone without an account (e.g. a unit head's personal link)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if isinstance(actor, User) else None
    return AuditEntry.objects.create(
        agency=agency,
        actor=user,
        actor_label=(actor_label or actor_name(actor))[:200],
        action=action,
        object_type=object_type[:50],
        object_id=object_id[:50],
        summary=summary[:300],
        before=before,
        after=after,
    )
