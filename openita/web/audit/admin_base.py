"""The two kinds of admin page for the app's records: read-only, or audited.

Every change of an agency's record is in its audit log (docs/decisions, record rules). The
Django admin is a site admin's tool, so each model registered there is either read-only
(``ReadOnlyAdmin``: results, plans, approvals, publications, settings, files, links; they are
changed in the app, whose services check and audit every change) or audited
(``AuditedAdmin``: agencies, memberships, provincial viewers, which a site admin sets up here):
its saves and deletes are recorded by ``openita.web.audit.services.record`` in the admin's own
transaction, with what changed in words and the values before and after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils import translation

from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import record


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """To look at, not to change: no add, change or delete."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        return str(value)
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own fields (not bytes), as JSON-able values."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.BinaryField):
            continue
        out[field.attname] = _plain(field.value_from_object(obj))
    return out


def agency_of(obj: models.Model) -> Agency | None:
    if isinstance(obj, Agency):
        return obj
    found = getattr(obj, "agency", None)
    return found if isinstance(found, Agency) else None


def _label(obj: models.Model, attname: str) -> str:
    """A field's name as people read it (its verbose name), from its attribute name."""
    for field in obj._meta.concrete_fields:
        if field.attname == attname:
            return str(field.verbose_name)
    return attname


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saves and deletes made here are recorded in the agency's audit log."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored) if stored is not None else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        with translation.override("th"):  # the log is in Thai whatever the admin's language
            self._record_save(request, obj, before, after)

    def _record_save(
        self, request: HttpRequest, obj: Any, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> None:
        what = str(obj._meta.verbose_name)
        if before is None:
            summary = f"เพิ่ม{what} “{obj}” ทางหน้าผู้ดูแลระบบ"
            action = Action.CREATE
        else:
            changed = [_label(obj, k) for k in after if before.get(k) != after[k]]
            if not changed:
                return
            summary = f"แก้ไข{what} “{obj}” ทางหน้าผู้ดูแลระบบ: {', '.join(changed)}"
            action = Action.CHANGE
        record(
            actor=request.user,
            agency=agency_of(obj),
            action=action,
            obj=obj,
            summary=summary,
            before=before,
            after=after,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._record_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _record_delete(self, request: HttpRequest, obj: Any) -> None:
        agency = agency_of(obj)
        with translation.override("th"):
            what = str(obj._meta.verbose_name)
        record(
            actor=request.user,
            agency=None if agency is obj else agency,  # an agency's own log goes with it
            action=Action.DELETE,
            obj=obj,
            summary=f"ลบ{what} “{obj}” ทางหน้าผู้ดูแลระบบ",
            before=snapshot(obj),
        )
