"""Web tests: Django's test client on SQLite, or PostgreSQL when DATABASE_URL names one.

Every test here is marked ``web`` (``-m web`` / ``-m "not web"``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import translation

from openita.web.agencies.models import Agency, AgencyKind, Role
from openita.web.agencies.services import (
    agency_create,
    membership_grant,
    provincial_viewer_grant,
)
from tests.conftest import EXAMPLES

WEB_DIR = Path(__file__).resolve().parent
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The documents tests keep Playwright's (sync) browser open for the whole session, which runs
# an event loop in the main thread; Django then refuses to tear the test database down
# ("async context"). Nothing here is async, so allow it in the test process only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "web: needs Django and a database (tests/web)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if WEB_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.web)


@pytest.fixture(autouse=True)
def _clean_cache(settings: Any) -> None:
    cache.clear()
    # PBKDF2 is slow by design; every test makes several users. Tests need no strong hashes.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # A request in English leaves English active in this thread (Django does not switch back
    # after a response); services called directly by the next test must start in Thai.
    translation.activate(settings.LANGUAGE_CODE)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class World:
    """Two agencies in one province, one in another, and a user per role."""

    def __init__(self) -> None:
        self.a = agency_create(name="เทศบาลตำบลตัวอย่าง", kind=AgencyKind.TAMBON, province="ตัวอย่าง")
        self.b = agency_create(
            name="องค์การบริหารส่วนตำบลทดลอง", kind=AgencyKind.SAO, province="ตัวอย่าง"
        )
        self.c = agency_create(name="เทศบาลเมืองอื่น", kind=AgencyKind.TOWN, province="จังหวัดอื่น")
        self.users: dict[str, User] = {}
        for name in ("officer_a", "officer_b", "executive_a", "viewer_a", "provincial", "admin"):
            self.users[name] = User.objects.create_user(name, f"{name}@example.invalid", "pw-12345")
        membership_grant(user=self.users["officer_a"], agency=self.a, role=Role.OFFICER)
        membership_grant(user=self.users["officer_b"], agency=self.b, role=Role.OFFICER)
        membership_grant(user=self.users["executive_a"], agency=self.a, role=Role.EXECUTIVE)
        membership_grant(user=self.users["viewer_a"], agency=self.a, role=Role.VIEWER)
        provincial_viewer_grant(user=self.users["provincial"], province="ตัวอย่าง")
        admin = self.users["admin"]
        admin.is_superuser = admin.is_staff = True
        admin.save()


@pytest.fixture
def world(db: None) -> World:
    return World()


def example_bytes(year: int = 2565) -> bytes:
    return (EXAMPLES / f"bansong-{year}.csv").read_bytes()


def agency_pk(agency: Agency) -> int:
    return int(agency.pk)
