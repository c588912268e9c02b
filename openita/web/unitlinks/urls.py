from __future__ import annotations

from django.urls import path

from openita.web.unitlinks import views

app_name = "unitlinks"
urlpatterns = [
    path(
        "agencies/<int:agency_id>/plans/<int:plan_id>/progress/<int:months>/links/",
        views.manage,
        name="manage",
    ),
    path(
        "agencies/<int:agency_id>/plans/<int:plan_id>/progress/<int:months>/links/<int:link_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
    path("unit/<str:token>/", views.page, name="page"),
    path("unit/<str:token>/files/<int:file_id>/", views.download, name="download"),
]
