from __future__ import annotations

from django.urls import include, path

from openita.web.api import views
from openita.web.api.api import api

pages = (
    [
        path("docs/", views.docs, name="docs"),
        path("tokens/", views.token_list, name="tokens"),
        path("tokens/revoke/", views.token_revoke, name="revoke"),
    ],
    "api-pages",
)
urlpatterns = [
    path("", include(pages)),
    path("", api.urls),
]
