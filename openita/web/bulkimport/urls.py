from __future__ import annotations

from django.urls import path

from openita.web.bulkimport import views

app_name = "bulkimport"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
]
