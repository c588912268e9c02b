"""The main flows in a real browser: log in, upload (bad, then good), draft and edit a plan,
switch to English, another agency's URL, and the login form by keyboard only."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment
from openita.web.results.services import assessment_preview, assessment_save
from tests.browser.conftest import CHROMIUM, PASSWORD, PHONE
from tests.web.conftest import World, example_bytes

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.is_file() and not os.environ.get("CI"),
        reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it as root); CI never skips",
    ),
    pytest.mark.django_db(transaction=True),
]

EXAMPLE = Path(__file__).resolve().parents[2] / "openita" / "examples" / "bansong-2565.csv"
BRAND_BLUE = "rgb(11, 79, 138)"  # --brand in site.css: the header is styled only if CSS loaded


def save_year(world: World, year: int) -> Assessment:
    preview = assessment_preview(
        agency=world.a,
        fiscal_year=year,
        framework_id=None,
        uploaded_file=SimpleUploadedFile(f"bansong-{year}.csv", example_bytes(year)),
    )
    assert preview.confirmation is not None
    return assessment_save(agency=world.a, confirmation=preview.confirmation, user=None).assessment


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base}/")


def assert_styled(page: Any) -> None:
    """The stylesheet and the local Sarabun font really loaded."""
    header = page.eval_on_selector("header.top", "e => getComputedStyle(e).backgroundColor")
    assert header == BRAND_BLUE
    loaded = page.evaluate(
        """document.fonts.ready.then(() => [...document.fonts]
             .filter(f => f.family.replace(/"/g, '') === 'Sarabun' && f.status === 'loaded')
             .length)"""
    )
    assert loaded >= 1


def shoot(page: Any, path: Path, height: int = 1400) -> None:
    """A top-of-page crop: at most ``height`` px of the full page (small enough to commit)."""
    full = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(full, height)}
    page.screenshot(path=str(path), full_page=True, clip=clip)


def test_officer_logs_in_on_the_thai_page_and_sees_the_agency(
    world: World, live_server: Any, page: Any, shots: Path
) -> None:
    save_year(world, 2565)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_attribute("html", "lang") == "th"
    assert page.locator("h1").inner_text() == "เข้าสู่ระบบ"
    assert_styled(page)
    shoot(page, shots / "web-login.png")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "หน่วยงานของฉัน"
    row = page.locator("tbody tr", has_text=world.a.name)
    assert row.count() == 1
    assert "90.52" in row.inner_text() and row.locator(".band").inner_text() == "A"
    assert world.b.name not in page.content()
    assert "ออกจากระบบ (officer_a)" in page.locator("header").inner_text()
    shoot(page, shots / "web-home.png")


def test_upload_with_problems_then_the_example(
    world: World, live_server: Any, page: Any, tmp_path: Path, shots: Path
) -> None:
    base = live_server.url
    log_in(page, base, "officer_a")
    page.get_by_role("link", name=world.a.name).click()
    page.get_by_role("link", name="อัปโหลดผลการประเมิน").click()
    upload_url = f"{base}/agencies/{world.a.pk}/results/upload/"
    page.wait_for_url(upload_url)

    bad = tmp_path / "bad.csv"
    bad.write_text("code,score\ni1,92\ni2,abc\nzz9,50\n", encoding="utf-8")
    page.fill("#id_fiscal_year", "2565")
    page.set_input_files("#id_file", str(bad))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    assert posted.value.status == 400
    problems = page.locator("section.problems")
    problems.wait_for()
    assert "ยังไม่ได้บันทึกข้อมูลใด" in problems.inner_text()
    codes = problems.locator("li code").all_inner_texts()
    assert "bad.csv:3" in codes and "bad.csv:4" in codes  # i2 = abc, zz9 unknown
    assert page.locator("input[name=token]").count() == 0
    assert Assessment.objects.count() == 0

    page.fill("#id_fiscal_year", "2565")
    page.set_input_files("#id_file", str(EXAMPLE))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    preview = page.locator("section[aria-labelledby=preview-title]")
    preview.wait_for()
    assert "bansong-2565.csv" in preview.locator("h2").inner_text()
    assert preview.locator(".big strong").first.inner_text() == "90.52"
    assert Assessment.objects.count() == 0  # nothing saved before confirming

    page.get_by_role("button", name="ยืนยันและบันทึก").click()
    page.wait_for_url(f"{base}/agencies/{world.a.pk}/results/2565/")
    assert page.locator(".messages").inner_text() == "บันทึกผลการประเมินแล้ว"
    summary = page.locator("section.summary")
    assert "90.52" in summary.inner_text()
    assert summary.locator(".band").inner_text() == "A"
    saved = Assessment.objects.get()
    assert (saved.agency_id, saved.fiscal_year) == (world.a.pk, 2565)
    assert_styled(page)
    shoot(page, shots / "web-result.png")


def test_result_page_on_a_phone(world: World, live_server: Any, new_page: Any, shots: Path) -> None:
    for year in (2563, 2564, 2565):
        save_year(world, year)
    page = new_page(PHONE)
    log_in(page, live_server.url, "executive_a")
    page.goto(f"{live_server.url}/agencies/{world.a.pk}/results/2565/")
    assert "90.52" in page.locator("section.summary").inner_text()
    assert_styled(page)
    # wide tables scroll inside their own box; the page itself does not scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, shots / "web-result-phone.png", height=1800)


def test_draft_a_plan_then_edit_a_measure(
    world: World, live_server: Any, page: Any, shots: Path
) -> None:
    save_year(world, 2564)
    save_year(world, 2565)
    base = live_server.url
    log_in(page, base, "officer_a")
    page.goto(f"{base}/agencies/{world.a.pk}/")
    draft = page.locator("form.draft")
    assert "2566" in draft.inner_text()
    draft.get_by_role("button", name="ร่างแผนจากผลการประเมิน").click()
    page.wait_for_url(re.compile(rf"/agencies/{world.a.pk}/plans/\d+/$"))
    plan = MeasuresPlan.objects.get(agency=world.a)
    assert plan.fiscal_year == 2566
    assert "2566" in page.locator("h1").inner_text()
    assert "ฉบับที่ 1" in page.locator("p.meta").inner_text()

    page.get_by_role("link", name="แก้ไขแผน").click()
    page.wait_for_url(f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/edit/")
    title = page.locator("#id_m-0-title")
    old = title.input_value()
    assert old
    new = "จัดทำคู่มือการเปิดเผยข้อมูลต่อสาธารณะ (แก้ไขในเบราว์เซอร์)"
    title.fill(new)
    page.get_by_role("button", name="บันทึกเป็นฉบับใหม่").click()
    page.wait_for_url(f"{base}/agencies/{world.a.pk}/plans/{plan.pk}/")
    assert "ฉบับที่ 2" in page.locator("p.meta").inner_text()
    measures = page.locator("table.measures").inner_text()
    assert new in measures and old not in measures
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    current = plan_selectors.current_version(plan)
    assert current.number == 2 and plan_of(current.content).measures[0].title == new
    assert_styled(page)
    shoot(page, shots / "web-plan.png")


def test_switch_to_english(world: World, live_server: Any, page: Any) -> None:
    base = live_server.url
    log_in(page, base, "officer_a")
    assert page.locator("h1").inner_text() == "หน่วยงานของฉัน"
    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "My agencies"
    header = page.locator("header").inner_text()
    assert "Log out (officer_a)" in header and "ภาษาไทย" in header
    assert "Latest results" in page.locator("thead").inner_text()
    page.goto(f"{base}/agencies/{world.a.pk}/")  # the choice sticks
    assert page.get_by_role("link", name="Upload results").count() == 1


def test_officer_of_another_agency_gets_404(world: World, live_server: Any, page: Any) -> None:
    save_year(world, 2565)
    base = live_server.url
    log_in(page, base, "officer_b")
    assert world.a.name not in page.content() and world.b.name in page.content()
    for url in (
        f"{base}/agencies/{world.a.pk}/results/2565/",
        f"{base}/agencies/{world.a.pk}/",
        f"{base}/agencies/{world.a.pk}/results/upload/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        assert "90.52" not in page.content() and world.a.name not in page.content()


def test_login_form_by_keyboard_only(world: World, live_server: Any, page: Any) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    active = "document.activeElement"
    page.keyboard.press("Tab")
    assert page.evaluate(f"{active}.className") == "skip"  # the skip link comes first, visible
    assert page.evaluate(f"{active}.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")  # to the main content
    page.keyboard.press("Tab")
    assert page.evaluate(f"{active}.id") == "id_username"
    page.keyboard.type("officer_a")
    page.keyboard.press("Tab")
    assert page.evaluate(f"{active}.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # the skip link left "#main" in the address; the browser keeps it across the redirect
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/(#main)?$"))
    assert page.locator("h1").inner_text() == "หน่วยงานของฉัน"
    assert page.get_by_role("link", name=world.a.name).count() == 1
