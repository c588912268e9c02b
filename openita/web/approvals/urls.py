from __future__ import annotations

from django.urls import path

from openita.web.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("<int:request_id>/", views.detail, name="detail"),
    path("<int:request_id>/decide/", views.decide, name="decide"),
    path("<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:request_id>/memo.<str:fmt>", views.memo, name="memo"),
]
