# ruff: noqa: RUF012  (Django reads Meta, admin and migration lists as plain class attributes)
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openita.web.frameworks.models import FrameworkVersion


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: versions are stored by the upload page (validated, audited, results pinned)."""

    list_display = ["framework_id", "version", "origin", "source_name", "uploaded_by", "created"]
    list_filter = ["framework_id", "origin"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
