"""Drafting a FY2569-style plan in a real browser: the focus indicators with their scores, the
lowest pre-selected, another one chosen with a note, the plan drafted on it; by keyboard too."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from openita import frameworks
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.results.models import Assessment
from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.test_flows import log_in
from tests.plans.focus_fixture import focus_scores, install_focus_framework
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_choose_the_focus_indicator_and_draft(
    world: World, live_server: Any, new_page: Any, shots: Path
) -> None:
    install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    framework = frameworks.get("ita-2568")
    low = dict.fromkeys(["e6", "e7", "e8", "e9", "e10"], 60.0)
    Assessment.objects.create(
        agency=world.a,
        fiscal_year=2568,
        framework_id="ita-2568",
        scores=focus_scores(framework, low),
    )
    base = live_server.url
    page = new_page(PHONE)
    log_in(page, base, "officer_a")
    page.goto(f"{base}/agencies/{world.a.pk}/plans/")
    assert page.is_checked("#focus-ind7")
    assert "(ต่ำที่สุด)" in page.inner_text("label[for=focus-ind7]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / "plan-focus-choice-phone.png"), full_page=True)
    page.focus("#focus-ind7")
    page.keyboard.press("ArrowDown")  # radio buttons move by keyboard
    chosen = page.eval_on_selector("input[name=focus]:checked", "e => e.value")
    assert chosen != "ind7"
    page.check("#focus-ind3")
    page.fill("#focus-note", "เสี่ยงเรื่องการใช้อำนาจ")
    page.get_by_role("button", name="ร่างแผนจากผลการประเมิน").click()
    page.wait_for_url(f"{base}/agencies/{world.a.pk}/plans/*/")
    plan = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2569)
    focus = plan_of(plan_selectors.current_version(plan).content).focus
    assert focus is not None and (focus.indicator, focus.note) == ("ind3", "เสี่ยงเรื่องการใช้อำนาจ")
