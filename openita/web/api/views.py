"""The API's pages: its documentation (rendered here from the OpenAPI description, no CDN) and
each user's tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.web.api import tokens
from openita.web.api.api import api
from openita.web.api.docs import describe


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    schema: dict[str, Any] = api.get_openapi_schema(path_prefix="/api")
    return render(request, "api/docs.html", {"doc": describe(schema)})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    made = None
    error = ""
    if request.method == "POST":
        try:
            made = tokens.token_create(user=request.user, name=request.POST.get("name", ""))  # type: ignore[arg-type]
        except tokens.TokenRefused as exc:
            error = str(exc)
    context = {"tokens": tokens.tokens_of(request.user), "made": made, "error": error}  # type: ignore[arg-type]
    return render(request, "api/tokens.html", context, status=400 if error else 200)


@login_required
@require_POST
def token_revoke(request: HttpRequest) -> HttpResponse:
    try:
        token_id = int(request.POST.get("token", ""))
    except ValueError:
        token_id = 0
    revoked = tokens.token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    if revoked is None:
        messages.error(request, _("ไม่พบโทเค็นนี้"))
    else:
        messages.success(request, _("ยกเลิกโทเค็นแล้ว"))
    return redirect("api-pages:tokens")
