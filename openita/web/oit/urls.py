from __future__ import annotations

from django.urls import path

from openita.web.oit import views

app_name = "oit"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/check/", views.check, name="check"),
    path("<int:year>/export.<str:fmt>", views.export, name="export"),
    path("<int:year>/<str:code>/", views.entry, name="entry"),
]
