"""Failed logins per username and address, counted in the cache: after LOGIN_FAILURE_LIMIT
failures the pair is locked for LOGIN_LOCK_SECONDS (a success clears the count)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}|{address}".encode()).hexdigest()
    return f"openita:login-failures:{digest}"


def is_locked(username: str, address: str) -> bool:
    failures: int = cache.get(_key(username, address), 0)
    return failures >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    cache.add(key, 0, timeout=settings.LOGIN_LOCK_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_LOCK_SECONDS)
    else:
        cache.touch(key, timeout=settings.LOGIN_LOCK_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))
