from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("openita.web.ui.urls")),
    path("accounts/", include("openita.web.accounts.urls")),
    path("agencies/<int:agency_id>/results/", include("openita.web.results.urls")),
    path("agencies/<int:agency_id>/plans/", include("openita.web.plans.urls")),
    path("agencies/<int:agency_id>/settings/", include("openita.web.agencies.urls")),
    path(
        "agencies/<int:agency_id>/plans/<int:plan_id>/approvals/",
        include("openita.web.approvals.urls"),
    ),
    path("agencies/<int:agency_id>/audit/", include("openita.web.audit.urls")),
    path("agencies/<int:agency_id>/oit/", include("openita.web.oit.urls")),
    path("frameworks/", include("openita.web.frameworks.urls")),
    path("overview/", include("openita.web.overview.urls")),
    path("jobs/", include("openita.web.jobs.urls")),
    path("compare/", include("openita.web.compare.urls")),
    path("agencies/<int:agency_id>/people/", include("openita.web.accounts.people_urls")),
    path("", include("openita.web.publishing.urls")),
    path("", include("openita.web.evidence.urls")),
    path("", include("openita.web.unitlinks.urls")),
    path("", include("openita.web.oit.audit_urls")),
    path("bulk-import/", include("openita.web.bulkimport.urls")),
    path("api/", include("openita.web.api.urls")),
    path("", include("openita.web.surveys.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
