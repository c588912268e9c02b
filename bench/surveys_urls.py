"""URLs for bench/surveys.py: the app's, plus the floor, a minimal view that inserts one row
into the same database through the same server."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from openita.web.surveys.models import BrowserMark


@csrf_exempt
def floor(request: HttpRequest, campaign_id: int) -> HttpResponse:
    BrowserMark.objects.create(campaign_id=campaign_id, digest=uuid.uuid4().hex)
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/<int:campaign_id>/", floor),
    path("", include("openita.web.urls")),
]
