# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from django.contrib import admin

from openita.web.audit.admin_base import ReadOnlyAdmin, ReadOnlyInline
from openita.web.publishing.models import OitListPublication, Publication, PublishedFile


class PublishedFileInline(ReadOnlyInline):
    model = PublishedFile
    fields = ["name", "kind", "content_type", "size", "sha256"]
    readonly_fields = ["name", "kind", "content_type", "size", "sha256"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Read-only: publishing and withdrawing go through the app, which audits them."""

    list_display = ["plan", "subject", "version", "published_at", "superseded_at", "withdrawn_at"]
    list_filter = ["subject"]
    search_fields = ["agency__name"]
    inlines = [PublishedFileInline]


@admin.register(OitListPublication)
class OitListPublicationAdmin(ReadOnlyAdmin):
    """Read-only: publishing and withdrawing the OIT list go through the app (audited)."""

    list_display = ["agency", "fiscal_year", "published_at", "superseded_at", "withdrawn_at"]
    search_fields = ["agency__name"]
