from __future__ import annotations

from django.urls import path

from openita.web.ui import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
]
