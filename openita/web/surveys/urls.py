from __future__ import annotations

from django.urls import path

from openita.web.surveys import views

app_name = "surveys"

urlpatterns = [
    path("agencies/<int:agency_id>/surveys/", views.index, name="index"),
    path("agencies/<int:agency_id>/surveys/<int:campaign_id>/", views.detail, name="detail"),
    path("agencies/<int:agency_id>/surveys/<int:campaign_id>/codes/", views.codes, name="codes"),
    path("agencies/<int:agency_id>/surveys/<int:campaign_id>/void/", views.void, name="void"),
    path(
        "agencies/<int:agency_id>/surveys/<int:campaign_id>/poster.pdf", views.poster, name="poster"
    ),
    path("agencies/<int:agency_id>/surveys/<int:campaign_id>/close/", views.close, name="close"),
    path(
        "agencies/<int:agency_id>/surveys/<int:campaign_id>/held/<uuid:response_id>/",
        views.review,
        name="review",
    ),
    path("agencies/<int:agency_id>/surveys/own/<int:fiscal_year>/", views.own_result, name="own"),
    path("surveys/province/<str:name>/", views.province, name="province"),
    path("s/<str:slug>/", views.public_start, name="start"),
    path("s/<str:slug>/<int:page>/", views.public_page, name="page"),
    path("s/<str:slug>/done/", views.public_done, name="done"),
]
