from __future__ import annotations

from django.urls import path

from openita.web.agencies import views

app_name = "agencies"
urlpatterns = [
    path("", views.settings, name="settings"),
    path("units/add/", views.unit_add, name="unit_add"),
    path("units/<int:unit_id>/rename/", views.unit_rename, name="unit_rename"),
    path("units/<int:unit_id>/remove/", views.unit_remove, name="unit_remove"),
    path("files/<str:kind>/", views.file_download, name="file"),
    path("files/<str:kind>/upload/", views.file_upload, name="file_upload"),
    path("files/<str:kind>/remove/", views.file_remove, name="file_remove"),
]
