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
            # No "Connection: close" header: it is hop-by-hop, which WSGI forbids (the demo
            # server answered a bare English 500 instead of this page). The server decides.
            discard_body_on_dev_server(request, size)
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


DEV_SERVER = "WSGIServer/"  # Django's runserver and test live server (wsgiref)
CHUNK = 64 * 1024


def discard_body_on_dev_server(request: HttpRequest, size: int) -> None:
    """On Django's own server (``openita serve``/``demo``), read the unread body away in small
    chunks before answering: that server would otherwise read all of it into memory after the
    response, and a browser still sending it may show a reset connection instead of the page.
    Production servers (gunicorn behind a proxy) close the connection themselves."""
    if not str(request.META.get("SERVER_SOFTWARE", "")).startswith(DEV_SERVER):
        return
    stream = request.META.get("wsgi.input")
    left = size
    while stream is not None and left > 0:
        chunk = stream.read(min(left, CHUNK))
        if not chunk:
            break
        left -= len(chunk)


class FriendlyMethodMiddleware:
    """A GET of an address that only takes a form's POST (a bookmarked or reloaded button's
    address) answers 405 with a Thai page saying what the address is for and where to go,
    rather than Django's empty 405. The ``Allow`` header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        allowed = response.get("Allow", "")
        page = render(request, "405.html", {"back": _same_site_back(request)}, status=405)
        if allowed:
            page["Allow"] = allowed
        return page


def _same_site_back(request: HttpRequest) -> str:
    """The page the user came from when it is on this site, else the address one level up."""
    referer = request.META.get("HTTP_REFERER", "")
    host = request.get_host()
    for scheme in ("http://", "https://"):
        if referer.startswith(scheme + host + "/"):
            return str(referer[len(scheme + host) :])
    path = request.path.rstrip("/")
    return path.rsplit("/", 1)[0] + "/" if "/" in path else "/"


def shown_size(n: int) -> str:
    """Bytes as people read them: 3.2 MB, 850 KB."""
    if n >= 2**20:
        return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(n / 1024))} KB"


# Every page's own script and style come from this site; no inline script is needed (the one
# inline script, the B.E. date echo, is static/openita/be-date.js). Style attributes stay
# allowed for the score bars' widths (style-src-attr), <style> elements do not.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy (``OPENITA_CSP`` in the settings replaces it) on every
    response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "OPENITA_CSP", CONTENT_SECURITY_POLICY))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
