"""The auditor's list of the agencies they audit (outside any one agency's pages)."""

from __future__ import annotations

from django.urls import path

from openita.web.oit import views

urlpatterns = [path("oit-audit/", views.audit_index, name="oit_audit")]
