from __future__ import annotations

from django.urls import path

from openita.web.results import views

app_name = "results"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("upload/confirm/", views.confirm, name="confirm"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/analysis.<str:fmt>", views.download, name="download"),
]
