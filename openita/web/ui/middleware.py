"""Thai first: the language is Thai unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language; an agency's officer on an
English-language browser should still see Thai until they switch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        known = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than ``OPENITA_MAX_REQUEST_BYTES`` before anything
    reads it, with a Thai 413 page naming the size and the limit. Django's own limits cover
    form fields only; uploaded files would otherwise be streamed to disk whatever their size.
    Each upload form still checks its own, smaller limit and names the file."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "OPENITA_MAX_REQUEST_BYTES", 25 * 2**20))
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > limit:
            context = {"size": shown_size(size), "limit": shown_size(limit)}
            response = render(request, "413.html", context, status=413)
            response["Connection"] = "close"  # the body was not read
            return response
        return self.get_response(request)


def shown_size(n: int) -> str:
    """Bytes as people read them: 3.2 MB, 850 KB."""
    if n >= 2**20:
        return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024))} KB"
