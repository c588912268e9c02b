"""The yearly cycle in a real browser, as its people walk it: the officer submits the plan, the
executive approves it, the officer publishes it, anyone opens the public page and checks a
file's SHA-256; then a 6-month round is filled in, submitted and sent back with a reason."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest

from openita.web.approvals import services as approval_services
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.publishing.models import Publication
from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.test_flows import assert_styled, log_in, save_year, shoot
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]


def drafted_plan(world: World) -> MeasuresPlan:
    save_year(world, 2564)
    save_year(world, 2565)
    return plan_services.plan_draft(agency=world.a, fiscal_year=2566, user=world.users["officer_a"])


def test_submit_approve_publish_and_the_public_page(
    world: World, live_server: Any, new_page: Any, shots: Path
) -> None:
    plan = drafted_plan(world)
    base = live_server.url
    plan_url = f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/"

    # The officer submits the plan to the executive.
    officer = new_page()
    log_in(officer, base, "officer_a")
    officer.goto(plan_url)
    row = officer.locator("table.approvals tbody tr", has_text="แผนมาตรการ").first
    row.get_by_label("หมายเหตุถึงผู้บริหาร (ถ้ามี)").fill("ขอเสนอแผนปี 2566 เพื่อพิจารณา")
    row.get_by_role("button", name="เสนอผู้บริหาร").click()
    officer.wait_for_url(re.compile(re.escape(plan_url)))
    request = ApprovalRequest.objects.get(plan=plan, subject=Subject.PLAN)
    assert request.status == Status.SUBMITTED and request.version.number == 1

    # The executive sees it waiting on the agency page and approves it.
    executive = new_page()
    log_in(executive, base, "executive_a")
    executive.goto(f"{base}/agencies/{world.a.pk}/")
    executive.get_by_role("link", name=re.compile("พิจารณา|แผนมาตรการ")).first.click()
    executive.wait_for_url(re.compile(r"/approvals/\d+/$"))
    assert "ขอเสนอแผนปี 2566 เพื่อพิจารณา" in executive.locator("dl.facts").inner_text()
    executive.get_by_label("เห็นชอบและอนุมัติ").check()
    assert_styled(executive)
    shoot(executive, shots / "web-approval.png", height=1100)
    executive.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    executive.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.decided_by == world.users["executive_a"]

    # The officer publishes the approved version.
    officer.goto(plan_url)
    publishing = officer.locator("#publishing")
    publishing.get_by_role("button", name="เผยแพร่ฉบับที่ 1").click()
    officer.wait_for_load_state()
    publication = Publication.objects.get(plan=plan, subject=Subject.PLAN)
    assert publication.version.number == 1

    # Anyone, without logging in, opens the agency's public page.
    public = new_page(PHONE)
    public.goto(f"{base}/p/{world.a.pk}/")
    assert world.a.name in public.locator("h1").inner_text()
    article = public.locator("article.publication").first
    assert "ฉบับที่ 1" in article.inner_text()
    shown = {
        link.get_attribute("download"): sha
        for link, sha in zip(
            article.locator("ul.files a").all(),
            article.locator(".sha code").all_inner_texts(),
            strict=True,
        )
    }
    pdf_name = next(n for n in shown if n and n.endswith(".pdf"))
    pdf_link = article.locator(f'a[download="{pdf_name}"]').get_attribute("href")
    got = public.request.get(f"{base}{pdf_link}")
    assert got.status == 200 and got.body()[:5] == b"%PDF-"
    assert hashlib.sha256(got.body()).hexdigest() == shown[pdf_name]
    csv_name = next(n for n in shown if n and n.endswith(".csv"))
    csv_link = article.locator(f'a[download="{csv_name}"]').get_attribute("href")
    body = public.request.get(f"{base}{csv_link}").body().decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(body)))
    measures = plan_of(publication.version.content).measures
    assert [r["measure_id"] for r in records] == [m.id for m in measures]
    assert records[0]["title"] == measures[0].title  # Thai intact
    assert public.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(public, shots / "web-public-phone.png", height=1800)

    # Everything above is in the audit log the executive reads.
    actions = set(AuditEntry.objects.filter(agency=world.a).values_list("action", flat=True))
    assert {Action.SUBMIT, Action.APPROVE, Action.PUBLISH} <= actions
    executive.goto(f"{base}/agencies/{world.a.pk}/audit/")
    log = executive.locator("table.audit").inner_text()
    assert "officer_a" in log and "executive_a" in log


def test_fill_a_round_submit_and_it_is_sent_back(
    world: World, live_server: Any, new_page: Any, shots: Path
) -> None:
    plan = drafted_plan(world)
    # A round's report goes to the executive once the plan itself is approved.
    asked = approval_services.request_submit(
        plan=plan, subject=Subject.PLAN, user=world.users["officer_a"], notify=False
    ).request
    approval_services.request_decide(
        request=asked, user=world.users["executive_a"], approve=True, notify=False
    )
    base = live_server.url
    round_url = f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/progress/6/"

    officer = new_page()
    log_in(officer, base, "officer_a")
    officer.goto(round_url)
    first = officer.locator("fieldset.measure").first
    first.locator("select[name$='-status']").select_option("in_progress")
    first.locator("input[name$='-percent']").fill("40")
    first.locator("textarea[name$='-done']").fill("จัดประชุมชี้แจงบุคลากร 1 ครั้ง")
    officer.get_by_role("button", name="บันทึกเป็นฉบับใหม่").click()
    officer.wait_for_url(re.compile(re.escape(round_url)))
    assert "จัดประชุมชี้แจงบุคลากร 1 ครั้ง" in officer.locator("table.progress").inner_text()
    assert_styled(officer)
    shoot(officer, shots / "web-progress.png")

    row = officer.locator("table.approvals tbody tr", has_text="6 เดือน").first
    row.get_by_role("button", name="เสนอผู้บริหาร").click()
    officer.wait_for_load_state()
    request = ApprovalRequest.objects.get(plan=plan, subject=Subject.PROGRESS_6)
    assert request.status == Status.SUBMITTED

    executive = new_page()
    log_in(executive, base, "executive_a")
    executive.goto(f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/approvals/{request.pk}/")
    executive.get_by_role("radio", name="ไม่เห็นชอบ").check()
    executive.get_by_role("button", name="บันทึกผลการพิจารณา").click()  # no reason: refused
    executive.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    executive.get_by_role("radio", name="ไม่เห็นชอบ").check()
    executive.get_by_label("เหตุผล (ต้องระบุเมื่อไม่เห็นชอบ)").fill("โปรดแนบหลักฐานการประชุม")
    executive.get_by_role("button", name="บันทึกผลการพิจารณา").click()
    executive.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == Status.REJECTED and request.reason == "โปรดแนบหลักฐานการประชุม"

    officer.goto(round_url)
    assert "ไม่อนุมัติ" in officer.locator("table.approvals").inner_text()
