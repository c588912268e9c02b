from __future__ import annotations

from django.urls import path

from openita.web.ui import views

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin, files).
    path("favicon.ico", views.favicon, name="favicon"),
    path("agencies/<int:agency_id>/", views.agency, name="agency"),
]
