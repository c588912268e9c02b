from __future__ import annotations

from django.urls import path

from openita.web.oit import views

app_name = "oit"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.detail, name="detail"),
    path("<int:year>/check/", views.check, name="check"),
    path("<int:year>/crawl/", views.crawl, name="crawl"),
    path("<int:year>/proposals/<int:proposal_id>/", views.proposal, name="proposal"),
    path("<int:year>/schedule/", views.schedule, name="schedule"),
    path("<int:year>/review/", views.review_page, name="review"),
    path("<int:year>/export.<str:fmt>", views.export, name="export"),
    path("<int:year>/<str:code>/", views.entry, name="entry"),
]
