from __future__ import annotations

from django.urls import path

from openita.web.plans import deletion_views, nextyear_views, views

app_name = "plans"
urlpatterns = [
    path("", views.index, name="index"),
    path("draft/", views.draft, name="draft"),
    path("<int:plan_id>/", views.detail, name="detail"),
    path("<int:plan_id>/edit/", views.edit, name="edit"),
    path("<int:plan_id>/delete/", deletion_views.delete, name="delete"),
    path("<int:plan_id>/next-year/", nextyear_views.next_year, name="next_year"),
    path("<int:plan_id>/diff/", views.diff, name="diff"),
    path("<int:plan_id>/v<int:number>/plan.<str:fmt>", views.download, name="download"),
    path("<int:plan_id>/progress/<int:months>/", views.progress, name="progress"),
    path(
        "<int:plan_id>/progress/<int:months>/memo/",
        views.memo_settings,
        name="memo_settings",
    ),
    path(
        "<int:plan_id>/progress/<int:months>/<str:kind>.<str:fmt>",
        views.progress_download,
        name="progress_download",
    ),
]
