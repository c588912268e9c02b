"""What people reached for, in Chromium: the copy button of a new unit link really copies it;
the changed pages (home, people, audit log, version diff, public page) have no sideways
scroll on a phone; screenshots of them for a look."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import plan_save
from openita.web.publishing import services as publishing
from tests.browser.conftest import CHROMIUM, DESKTOP, PHONE
from tests.browser.test_flows import log_in, shoot
from tests.browser.test_never_lose_work import drafted
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]


def published_with_a_change(world: World) -> MeasuresPlan:
    """A plan approved and published, then a version 2 with progress text changed."""
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    ApprovalRequest.objects.create(
        plan=plan,
        version=version,
        subject=Subject.PLAN,
        status=Status.APPROVED,
        submitted_by=world.users["officer_a"],
        decided_by=world.users["executive_a"],
        decided_at=timezone.now(),
    )
    publishing.publication_publish(
        plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
    )
    content = plan_of(version.content)
    first = content.measures[0]
    changed = first.model_copy(
        update={
            "title": first.title + " ทุกไตรมาส",
            "progress": {6: {"status": "in_progress", "percent": 50, "done": "จัดประชุมแล้ว"}},
        }
    )
    plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=content.model_copy(update={"measures": [changed, *content.measures[1:]]}),
        base_version=1,
    )
    return plan


def test_copy_button_copies_the_new_link(
    world: World, live_server: Any, page: Any, shots: Path
) -> None:
    plan = drafted(world)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/progress/6/links/")
    page.fill("#id_person_name", "นางสาวหัวหน้า ใจดี")
    page.get_by_role("button", name="สร้างลิงก์").click()
    page.wait_for_selector("#issued-url")
    url = page.input_value("#issued-url")
    page.get_by_role("button", name="คัดลอกลิงก์").click()
    page.wait_for_selector("[data-copied]:not([hidden])")
    assert page.evaluate("navigator.clipboard.readText()") == url
    shoot(page, shots / "web-unitlink-copy.png")


def test_changed_pages_fit_a_phone(
    world: World, live_server: Any, new_page: Any, shots: Path
) -> None:
    plan = published_with_a_change(world)
    base = live_server.url
    pages = {
        "home": "/",
        "people": f"/agencies/{world.a.pk}/people/",
        "audit": f"/agencies/{world.a.pk}/audit/",
        "diff": f"/agencies/{world.a.pk}/plans/{plan.pk}/diff/?a=1&b=2",
        "public": f"/p/{world.a.pk}/",
    }
    for viewport, suffix in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(viewport)
        log_in(page, base, "executive_a")
        for name, path in pages.items():
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (
                name,
                suffix,
            )
            shoot(page, shots / f"web-{name}-{suffix}.png", height=1600)
    # the diff marks only the words changed
    page = new_page(DESKTOP)
    log_in(page, base, "executive_a")
    page.goto(base + pages["diff"])
    assert "ทุกไตรมาส" in page.locator("ins").all_inner_texts()[0]
    assert page.locator("text=รอบ 6 เดือน: ผลการดำเนินการ").count() == 1
