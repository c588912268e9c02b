from __future__ import annotations

from django.urls import path

from openita.web.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<slug:framework_id>/", views.detail, name="detail"),
    path("<slug:framework_id>/v<int:version>.yaml", views.download, name="download"),
    path("<slug:framework_id>/rescore/", views.rescore, name="rescore"),
    path("<slug:framework_id>/rescore/apply/", views.rescore_apply, name="rescore_apply"),
]
