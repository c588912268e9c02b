"""Settings for several app servers (issue 14): one secret key from the environment or a file,
Redis for the cache, the login throttle and sessions when OPENITA_REDIS_URL is set, and the
client's address behind a trusted proxy. The servers themselves: tests/cluster."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from openita.web.accounts.forms import client_address
from openita.web.settings import secret_from_environment

ROOT = Path(__file__).resolve().parents[2]


def test_the_secret_key_comes_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY_FILE", raising=False)
    assert secret_from_environment() == ""
    key = "k" * 40 + "-from-a-file"
    path = tmp_path / "secret_key"
    path.write_text(f"{key}\n# a comment on the second line\n", encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY_FILE", str(path))
    assert secret_from_environment() == key
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-wins")
    assert secret_from_environment() == "from-the-environment-wins"


@pytest.mark.parametrize(
    ("content", "said"),
    [(None, "cannot read it"), ("short\n", "5 characters long"), ("", "0 characters long")],
)
def test_a_bad_secret_key_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, said: str
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    path = tmp_path / "secret_key"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("SECRET_KEY_FILE", str(path))
    with pytest.raises(ImproperlyConfigured) as raised:
        secret_from_environment()
    assert str(path) in str(raised.value) and said in str(raised.value)


def _settings_in(module: str, **env: str) -> dict[str, Any]:
    """What a fresh process with this environment gets from the settings module."""
    code = (
        f"import json, {module} as s; print(json.dumps({{'cache': s.CACHES['default'], "
        "'sessions': getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db'), "
        "'secret': s.SECRET_KEY}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENITA_", "SECRET_KEY"))}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1]}
    return dict(json.loads(done.stdout))


def test_redis_carries_the_cache_and_sessions_when_set(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("s" * 50, encoding="utf-8")
    production = "openita.web.settings_production"
    with_redis = _settings_in(
        production,
        OPENITA_REDIS_URL="redis://127.0.0.1:6379/3",
        OPENITA_CACHE_PREFIX="agency-x",
        SECRET_KEY_FILE=str(key_file),
    )
    assert with_redis == {
        "cache": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/3",
            "KEY_PREFIX": "agency-x",
        },
        "sessions": "django.contrib.sessions.backends.cached_db",
        "secret": "s" * 50,
    }
    # Without Redis: the database cache in production, database sessions.
    without = _settings_in(production, SECRET_KEY_FILE=str(key_file))
    assert without["cache"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert without["sessions"] == "django.contrib.sessions.backends.db"
    wrong = _settings_in(production, SECRET_KEY_FILE=str(key_file), OPENITA_REDIS_URL="6379")
    assert "OPENITA_REDIS_URL must start with redis://" in wrong["error"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.9", "", "", "203.0.113.9"),
        # Not from a trusted proxy: its X-Forwarded-For is whatever the client made up.
        ("203.0.113.9", "198.51.100.1", "127.0.0.1", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1", "127.0.0.1", "198.51.100.1"),
        # The client put a made-up address first; the proxy appended the real one.
        ("127.0.0.1", "10.9.9.9, 198.51.100.1", "127.0.0.1", "198.51.100.1"),
        # Two proxies: the nearest untrusted address, read from the right.
        ("127.0.0.1", "198.51.100.1, 10.0.0.5", "127.0.0.1,10.0.0.5", "198.51.100.1"),
        ("127.0.0.1", "", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_the_client_address_behind_a_trusted_proxy(
    remote: str, forwarded: str, trusted: str, expected: str
) -> None:
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    proxies = frozenset(a for a in trusted.split(",") if a)
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(meta) == expected


def test_the_throttle_locks_per_client_behind_the_proxy(client: Any, world: Any) -> None:
    """Behind the proxy every request comes from 127.0.0.1: one client's failures must not lock
    the same account for another client."""
    url = "/accounts/login/"
    with override_settings(TRUSTED_PROXIES=frozenset({"127.0.0.1"})):
        for _ in range(5):
            client.post(
                url,
                {"username": "officer_a", "password": "wrong"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR="198.51.100.1",
            )
        refused = client.post(
            url,
            {"username": "officer_a", "password": "pw-12345"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
        assert refused.status_code == 200 and "_auth_user_id" not in client.session
        other = client.post(
            url,
            {"username": "officer_a", "password": "pw-12345"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.2",
        )
        assert other.status_code == 302 and "_auth_user_id" in client.session
