from __future__ import annotations

from django.urls import path

from openita.web.publishing import views

app_name = "publishing"
urlpatterns = [
    path("p/<int:agency_id>/", views.public_page, name="public"),
    path("p/<int:agency_id>/<int:publication_id>/<str:name>", views.public_file, name="file"),
    path(
        "agencies/<int:agency_id>/publishing/plans/<int:plan_id>/publish/",
        views.publish,
        name="publish",
    ),
    path(
        "agencies/<int:agency_id>/publishing/<int:publication_id>/unpublish/",
        views.unpublish,
        name="unpublish",
    ),
    path(
        "agencies/<int:agency_id>/publishing/oit/<int:year>/publish/",
        views.oit_publish,
        name="oit_publish",
    ),
    path(
        "agencies/<int:agency_id>/publishing/oit/<int:year>/unpublish/",
        views.oit_unpublish,
        name="oit_unpublish",
    ),
]
