"""Single-use access codes for a staff (IIT) survey.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B),
printed as ``XXXX-XXXX``; typed in any case, with or without the dash or spaces. Only a keyed
hash of a code is stored (``digest``), so the codes table cannot print a code again; a lost
code is replaced by issuing a new one and voiding the old one by its hash when known, or by
issuing a spare (nobody learns who answered: the table knows which codes were used, never by whom
nor which response).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 8


class BadCode(ValueError):
    """A code that cannot be one of ours (wrong length or characters)."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def new_codes(n: int) -> list[str]:
    found: set[str] = set()
    while len(found) < n:
        found.add(new_code())
    return sorted(found)


def clean(typed: str) -> str:
    """A typed code in its printed form; BadCode when it cannot be a code."""
    text = "".join(ch for ch in typed.upper() if not ch.isspace() and ch != "-")
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        raise BadCode("รหัสเข้าตอบต้องเป็นตัวอักษรและตัวเลข 8 ตัว เช่น ACDE-FG34")
    return f"{text[:4]}-{text[4:]}"


def digest(secret: str, code: str) -> str:
    """The stored form of a code: HMAC-SHA256 keyed by the campaign's secret."""
    return hmac.new(secret.encode(), clean(code).encode(), hashlib.sha256).hexdigest()


def browser_mark(secret: str, token: str) -> str:
    """The stored form of a public survey's browser token: HMAC-SHA256 keyed by the campaign's
    secret, like the codes, so the table cannot give a browser's cookie back."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
