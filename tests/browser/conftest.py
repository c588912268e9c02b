"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

The live server serves static files through Django's staticfiles finders (as WhiteNoise does in
development), so pages load their own stylesheet and the Sarabun font, never a remote asset.

Screenshots go to ``tmp_path`` unless ``OPENITA_SCREENSHOTS`` names a directory (for the README
images: ``OPENITA_SCREENSHOTS=docs/images``), so a test run never rewrites tracked files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.web.conftest import World

BROWSER_DIR = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("OPENITA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-12345"  # World's password for every user

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from
# it ("async context"). Nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium against the live server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # The documents' per-thread driver: a second sync_playwright() in this thread would fail.
    from openita.documents.pdf import _driver

    launched = _driver().chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield launched
    launched.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """Make pages, each in its own context (own cookies); all closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


@pytest.fixture
def world(transactional_db: None, live_server: Any, settings: Any) -> World:
    # A fast hasher for the six test users (the live server thread reads the same settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the login throttle
    return World()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    chosen = os.environ.get("OPENITA_SCREENSHOTS")
    where = Path(chosen) if chosen else tmp_path
    where.mkdir(parents=True, exist_ok=True)
    return where
