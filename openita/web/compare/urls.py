from __future__ import annotations

from django.urls import path

from openita.web.compare import views

app_name = "compare"
urlpatterns = [
    path("measures/", views.measures, name="measures"),
    path("measures.csv", views.measures_csv, name="measures_csv"),
]
