"""API tokens: made and revoked by their user (audited); only a SHA-256 of each is stored, so
a copy of the database gives no working token. A token is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from openita.web.api.models import ApiToken
from openita.web.audit.models import Action
from openita.web.audit.services import record

PREFIX = "oita_"
MAX_TOKENS = 20  # live tokens a user may hold


class TokenRefused(Exception):
    """The token cannot be made; the message says why."""


@dataclass(frozen=True)
class MadeToken:
    token: ApiToken
    secret: str  # the token itself: shown once, never stored


def hash_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str) -> MadeToken:
    name = " ".join(name.split())[:100]
    if not name:
        raise TokenRefused("a token needs a name")
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise TokenRefused(f"at most {MAX_TOKENS} tokens; revoke one first")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[: len(PREFIX) + 4], token_hash=hash_of(secret)
    )
    record(
        actor=user,
        agency=None,
        action=Action.CREATE,
        obj=token,
        summary=f"โทเค็น API {name} ({token.prefix}…)",
    )
    return MadeToken(token, secret)


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when there is no such live token."""
    token = (
        ApiToken.objects.select_for_update()
        .filter(pk=token_id, user=user, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor=user,
        agency=None,
        action=Action.DELETE,
        obj=token,
        summary=f"ยกเลิกโทเค็น API {token.name} ({token.prefix}…)",
    )
    return token


def user_of(secret: str) -> User | None:
    """The active user a live token belongs to (its last use noted, at most once a minute)."""
    if not secret.startswith(PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_of(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, live ones first, newest first."""
    live_first = F("revoked_at").asc(nulls_first=True)
    return list(ApiToken.objects.filter(user=user).order_by(live_first, "-created"))
