"""Who is asking: the client's address behind the deployment's trusted reverse proxies, for
every feature that limits by source (the login throttle, the public survey's rate limit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings


def client_address(meta: Mapping[str, Any]) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted reverse proxy
    (``OPENITA_TRUSTED_PROXIES``), the nearest address in X-Forwarded-For that is not one.

    Read from the right: each proxy appends the address it got the request from, so the
    addresses left of the last untrusted one may be made up by the client."""
    remote = str(meta.get("REMOTE_ADDR", ""))
    trusted: frozenset[str] = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            return address
    return remote
