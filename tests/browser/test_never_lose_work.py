"""Forms that never lose work, in Chromium: a failed save takes the browser to the problems
at the top (each a link to its field) with everything typed still there; an evidence upload
from the round page keeps the progress typed but not saved; leaving a page with unsaved
changes asks first; on a phone nothing scrolls sideways and the progress table is readable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import plan_draft
from tests.browser.conftest import CHROMIUM, PHONE
from tests.browser.test_flows import log_in, save_year, shoot
from tests.web.conftest import World

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]


def drafted(world: World) -> MeasuresPlan:
    save_year(world, 2564)
    save_year(world, 2565)
    return plan_draft(agency=world.a, fiscal_year=2566, user=world.users["officer_a"])


def round_url(base: str, world: World, plan: MeasuresPlan) -> str:
    return f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/progress/6/"


def focused_id(page: Any) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def test_failed_progress_save_takes_the_browser_to_the_problems(
    world: World, live_server: Any, page: Any, shots: Path
) -> None:
    plan = drafted(world)
    log_in(page, live_server.url, "officer_a")
    page.goto(round_url(live_server.url, world, plan))
    page.fill("#id_p-0-done", "ประชุมชี้แจงแล้ว (ยังไม่บันทึก)")
    page.fill("#id_p-0-percent", "150")
    page.get_by_role("button", name="บันทึกเป็นฉบับใหม่").click()
    page.wait_for_selector("#problems")
    assert focused_id(page) == "problems"
    top = page.evaluate("document.getElementById('problems').getBoundingClientRect().top")
    assert -2 <= top < 200  # scrolled there: the summary is at the top of the window
    assert page.input_value("#id_p-0-done") == "ประชุมชี้แจงแล้ว (ยังไม่บันทึก)"
    page.locator("#problems a[href='#id_p-0-percent']").click()
    assert focused_id(page) == "id_p-0-percent"
    shoot(page, shots / "web-progress-problems.png")
    assert plan_selectors.current_version(plan).number == 1


def test_evidence_upload_keeps_the_progress_typed(
    world: World, live_server: Any, page: Any, shots: Path
) -> None:
    plan = drafted(world)
    log_in(page, live_server.url, "officer_a")
    page.goto(round_url(live_server.url, world, plan))
    first = page.locator("#id_p-0-id").input_value()
    page.fill("#id_p-0-done", "จัดอบรมเจ้าหน้าที่แล้ว 2 ครั้ง")
    page.select_option("#id_p-0-status", "in_progress")
    page.select_option("#evidence-measure", first)
    page.set_input_files(
        "#evidence-files",
        files=[
            {
                "name": "รายงานการประชุม.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ],
    )
    page.get_by_role("button", name="อัปโหลดไฟล์หลักฐาน").click()
    page.wait_for_selector("[data-restored]:not([hidden])")
    # The upload saved a version with the file named in the evidence; the typed text is back.
    assert plan_selectors.current_version(plan).number == 2
    assert page.input_value("#id_p-0-done") == "จัดอบรมเจ้าหน้าที่แล้ว 2 ครั้ง"
    assert page.input_value("#id_p-0-status") == "in_progress"
    assert "รายงานการประชุม.pdf" in page.input_value("#id_p-0-evidence")
    assert page.input_value("[name=base_version]") == "2"
    shoot(page, shots / "web-progress-restored.png")
    page.get_by_role("button", name="บันทึกเป็นฉบับใหม่").click()
    page.wait_for_selector(".msg.success")
    saved = plan_of(plan_selectors.current_version(plan).content)
    progress = next(m for m in saved.measures if m.id == first).progress[6]
    assert progress.done == "จัดอบรมเจ้าหน้าที่แล้ว 2 ครั้ง"
    assert "รายงานการประชุม.pdf" in progress.evidence
    page.reload()  # saved: nothing is put back again
    assert page.locator("[data-restored]").is_hidden()


def test_leaving_a_page_with_unsaved_changes_asks_first(
    world: World, live_server: Any, page: Any
) -> None:
    plan = drafted(world)
    log_in(page, live_server.url, "officer_a")
    edit = f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/edit/"
    page.goto(edit)
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="ยกเลิก").click()  # nothing typed: leaves without asking
    page.wait_for_url(f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/")
    assert asked == []
    page.goto(edit)
    page.fill("#id_m-0-title", "ชื่อมาตรการที่พิมพ์ไว้")
    page.get_by_role("link", name="ยกเลิก").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url == edit
    # Saving is not leaving: no question, and the change is kept.
    page.get_by_role("button", name="บันทึกเป็นฉบับใหม่").click()
    page.wait_for_url(f"{live_server.url}/agencies/{world.a.pk}/plans/{plan.pk}/")
    assert asked == ["beforeunload"]
    assert plan_selectors.current_version(plan).number == 2


def test_round_page_on_a_phone(world: World, live_server: Any, new_page: Any, shots: Path) -> None:
    plan = drafted(world)
    page = new_page(PHONE)
    log_in(page, live_server.url, "officer_a")
    for path in (
        f"/agencies/{world.a.pk}/plans/{plan.pk}/progress/6/",
        f"/agencies/{world.a.pk}/plans/{plan.pk}/edit/",
        f"/agencies/{world.a.pk}/plans/{plan.pk}/",
        f"/agencies/{world.a.pk}/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], path
    page.goto(round_url(live_server.url, world, plan))
    # Each measure of the progress table is a readable card: its title cell spans the width.
    cell = page.locator("table.progress tbody tr").first.locator("td").first
    box = cell.bounding_box()
    assert box is not None and box["width"] > PHONE["width"] * 0.6
    shoot(page, shots / "web-progress-phone.png", height=1800)
