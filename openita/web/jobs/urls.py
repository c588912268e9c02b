from __future__ import annotations

from django.urls import path

from openita.web.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:run_id>/retry/", views.retry, name="retry"),
]
