"""A member of the public answers an EIT survey on a phone in Chromium: the pages are light,
readable without sideways scrolling, accessible (axe), and the answer is stored once."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from openita.web.surveys import selectors, services
from openita.web.surveys.models import Draft, PendingResponse, Response
from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.test_a11y import axe_violations
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_phone_answers_the_public_survey(world: World, live_server: Any, browser: Any) -> None:
    today = timezone.localdate()
    campaign = services.campaign_create(
        agency=world.a, fiscal_year=2569, tool="EIT", opens=today,
        closes=today + timedelta(days=30), user=world.users["officer_a"],
    )  # fmt: skip
    form = selectors.form_of(campaign)
    context = browser.new_context(viewport=PHONE, locale="th-TH")
    context.set_default_timeout(15_000)
    checked = browser.new_context(viewport=PHONE, locale="th-TH", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{campaign.slug}/")
        page.get_by_role("button").click()
        for n, section in enumerate(form.sections, start=1):
            assert f"หน้า {n} จาก {len(form.sections)}" in page.content()
            sideways = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0, f"page {n}: {sideways}px of sideways scroll"
            for q in (q for q in section.questions if q.options):
                page.locator(f'input[name="{q.key}"][value="{1 + n % len(q.options)}"]').check()
            if n == len(form.sections):
                Draft.objects.filter(campaign=campaign).update(started=time.time() - 600)
            page.get_by_role("button").click()
        assert "ขอบคุณที่ร่วมตอบแบบสำรวจ" in page.content()
        stored = Response.objects.filter(campaign=campaign).count()
        stored += PendingResponse.objects.filter(campaign=campaign).count()
        assert stored == 1
        # the same phone cannot answer again
        page.goto(f"{live_server.url}/s/{campaign.slug}/")
        page.get_by_role("button").click()
        assert "ส่งคำตอบของรอบสำรวจนี้แล้ว" in page.content()
        # and what a screen reader meets has no violation
        axe = checked.new_page()
        axe.goto(f"{live_server.url}/s/{campaign.slug}/")
        assert axe_violations(axe) == []
        axe.get_by_role("button").click()
        assert axe_violations(axe) == []
    finally:
        context.close()
        checked.close()
