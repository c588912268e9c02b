from __future__ import annotations

from django.urls import path

from openita.web.overview import views

app_name = "overview"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("followup/", views.followup, name="followup"),
    path("export/", views.export, name="export"),
]
