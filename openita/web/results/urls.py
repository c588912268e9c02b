from __future__ import annotations

from django.urls import path

from openita.web.results import deletion_views, entry_views, views

app_name = "results"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("upload/confirm/", views.confirm, name="confirm"),
    path("import/", views.import_report, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("template.<str:fmt>", views.template, name="template"),
    path("enter/", entry_views.enter_year, name="enter_year"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/enter/", entry_views.enter, name="enter"),
    path("<int:year>/delete/", deletion_views.delete, name="delete"),
    path("<int:year>/analysis.<str:fmt>", views.download, name="download"),
]
