# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.publishing.models import Publication, PublishedFile


class PublishedFileInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PublishedFile
    fields = ["name", "kind", "content_type", "size", "sha256"]
    readonly_fields = ["name", "kind", "content_type", "size", "sha256"]
    extra = 0
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: publishing and withdrawing go through the app, which audits them."""

    list_display = ["plan", "subject", "version", "published_at", "superseded_at", "withdrawn_at"]
    list_filter = ["subject"]
    search_fields = ["agency__name"]
    inlines = [PublishedFileInline]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
