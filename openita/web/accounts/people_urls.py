from __future__ import annotations

from django.urls import path

from openita.web.accounts import views

app_name = "people"
urlpatterns = [
    path("", views.people, name="list"),
    path("<int:membership_id>/role/", views.role, name="role"),
    path("<int:membership_id>/remove/", views.remove, name="remove"),
]
