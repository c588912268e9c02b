from __future__ import annotations

from django.urls import path

from openita.web.evidence import views

app_name = "evidence"
urlpatterns = [
    path(
        "agencies/<int:agency_id>/plans/<int:plan_id>/progress/<int:months>/evidence/",
        views.upload,
        name="upload",
    ),
    path("agencies/<int:agency_id>/evidence/<int:file_id>/", views.download, name="download"),
    path("agencies/<int:agency_id>/evidence/<int:file_id>/delete/", views.delete, name="delete"),
]
