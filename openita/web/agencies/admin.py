# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from typing import Any

from django.contrib import admin

from openita.web.agencies.models import (
    Agency,
    AgencyFile,
    AgencySettings,
    Membership,
    NationalViewer,
    ProvincialViewer,
    Unit,
)
from openita.web.audit.admin_base import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline


# Units are changed on the agency's settings page, roles on the membership page; both audit.
class UnitInline(ReadOnlyInline):
    model = Unit


class MembershipInline(ReadOnlyInline):
    model = Membership


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "province", "district", "parent"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "province", "district"]
    autocomplete_fields = ["parent"]
    inlines = [UnitInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ProvincialViewer)
class ProvincialViewerAdmin(AuditedAdmin):
    list_display = ["user", "province"]
    search_fields = ["user__username", "province"]
    autocomplete_fields = ["user"]


@admin.register(NationalViewer)
class NationalViewerAdmin(AuditedAdmin):
    """Who reads every agency of the country (read-only there)."""

    list_display = ["user", "office", "granted"]
    search_fields = ["user__username", "office"]
    autocomplete_fields = ["user"]


@admin.register(AgencySettings)
class AgencySettingsAdmin(ReadOnlyAdmin):
    """Read here; change on the agency's settings page (it checks, versions and audits)."""

    list_display = ["agency", "version", "updated", "updated_by"]
    search_fields = ["agency__name"]
    readonly_fields = ["agency", "version", "updated", "updated_by"]


@admin.register(AgencyFile)
class AgencyFileAdmin(ReadOnlyAdmin):
    """The emblem and letterhead files, without their bytes; upload on the settings page."""

    list_display = ["agency", "kind", "name", "size", "uploaded", "uploaded_by"]
    list_filter = ["kind"]
    search_fields = ["agency__name", "name"]
    exclude = ["data"]
    readonly_fields = ["agency", "kind", "name", "size", "sha256", "width", "height"]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).defer("data")
