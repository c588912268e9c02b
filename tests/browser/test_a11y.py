"""Accessibility and hardening in Chromium (issue 11): axe-core finds no violation on the main
pages at desktop and phone width; at phone width nothing scrolls sideways and every scrolling
table can be reached by the keyboard; the Content-Security-Policy blocks nothing the pages
need."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from openita.documents import pdf
from openita.web.approvals import services as approval_services
from openita.web.approvals.models import Subject
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.selectors import current_version
from openita.web.publishing import services as publishing
from tests.browser.conftest import CHROMIUM, DESKTOP, PHONE
from tests.browser.test_flows import log_in, save_year, shoot
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).resolve().parent / "assets" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def cycle(world: World, monkeypatch: Any) -> MeasuresPlan:
    """A plan approved and published, 6-month progress approved: every page has content."""
    monkeypatch.setattr(pdf, "render_pdf", lambda document: b"%PDF-1.7 stand-in\n")
    for year in (2564, 2565):
        save_year(world, year)
    officer, executive = world.users["officer_a"], world.users["executive_a"]
    plan = plan_services.plan_draft(agency=world.a, fiscal_year=2566, user=officer)
    asked = approval_services.request_submit(
        plan=plan, subject=Subject.PLAN, user=officer, notify=False
    )
    approval_services.request_decide(
        request=asked.request, user=executive, approve=True, notify=False
    )
    current = current_version(plan)
    content = plan_of(current.content)
    first = content.measures[0]
    progress = {6: first.progress.get(6) or _progress()}
    measures = [first.model_copy(update={"progress": progress}), *content.measures[1:]]
    plan_services.plan_save(
        plan=plan,
        user=officer,
        content=content.model_copy(update={"measures": measures}),
        base_version=current.number,
    )
    report = approval_services.request_submit(
        plan=plan, subject=Subject.PROGRESS_6, user=officer, notify=False
    )
    approval_services.request_decide(
        request=report.request, user=executive, approve=True, notify=False
    )
    publishing.publication_publish(
        plan=plan, version=asked.request.version, subject=Subject.PLAN, user=officer
    )
    return plan


def _progress() -> Any:
    from openita.plans.schema import Progress

    return Progress(
        status="in_progress", percent=40, done="จัดประชุมชี้แจงบุคลากร", updated=timezone.localdate()
    )


def pages(world: World, plan: MeasuresPlan) -> list[str]:
    a, p = world.a.pk, plan.pk
    return [
        "/",
        f"/agencies/{a}/",
        f"/agencies/{a}/results/2565/",
        f"/agencies/{a}/plans/{p}/",
        f"/agencies/{a}/plans/{p}/progress/6/",
        f"/agencies/{a}/plans/{p}/approvals/",
        f"/agencies/{a}/audit/",
        f"/agencies/{a}/settings/",
        f"/p/{a}/",
    ]


def axe_violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): '"
        " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
        TAGS,
    )
    return list(found)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_axe_violations(
    world: World, live_server: Any, browser: Any, monkeypatch: Any, shots: Path, viewport: Any
) -> None:
    plan = cycle(world, monkeypatch)
    # axe is injected as a script; the page's own policy would (rightly) refuse it.
    context = browser.new_context(viewport=viewport, locale="th-TH", bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in(page, live_server.url, "executive_a")
        problems = {}
        for path in pages(world, plan):
            page.goto(live_server.url + path)
            found = axe_violations(page)
            if found:
                problems[path] = found
            if viewport == PHONE:
                sideways = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert sideways <= 0, (path, f"{sideways}px of sideways scroll")
        name = "desktop" if viewport == DESKTOP else "phone"
        page.goto(f"{live_server.url}/agencies/{world.a.pk}/audit/")
        shoot(page, shots / f"web-audit-{name}.png", 1200)
        page.goto(f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/progress/6/")
        shoot(page, shots / f"web-progress-{name}.png", 1400)
    finally:
        context.close()
    assert problems == {}


def test_the_policy_blocks_nothing_the_pages_need(
    world: World, live_server: Any, new_page: Any, monkeypatch: Any, shots: Path
) -> None:
    plan = cycle(world, monkeypatch)
    page = new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server.url, "officer_a")
    for path in [*pages(world, plan), f"/agencies/{world.a.pk}/plans/{plan.pk}/edit/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and "script-src 'self'" in response.headers.get(
            "content-security-policy", ""
        ), path
    # A direct visit of a form's address is a Thai page that leads back.
    response = page.goto(
        f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/approvals/submit/"
    )
    assert response is not None and response.status == 405
    assert page.get_by_role("heading", name="ที่อยู่นี้ใช้ส่งแบบฟอร์มเท่านั้น").is_visible()
    shoot(page, shots / "web-405.png", 700)
    # Deadlines are entered and shown in B.E. (a text field, no script needed).
    page.goto(f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/edit/")
    value = page.locator("input[name$='-deadline']").first.input_value()
    assert re.fullmatch(r"\d{2}/\d{2}/25\d{2}", value), value
    assert blocked == []
