# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.agencies.models import Agency, Membership, ProvincialViewer, Unit


class UnitInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Unit
    extra = 0


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "province", "district", "parent"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "province", "district"]
    autocomplete_fields = ["parent"]
    inlines = [UnitInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "agency", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(ProvincialViewer)
class ProvincialViewerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "province"]
    search_fields = ["user__username", "province"]
    autocomplete_fields = ["user"]
