"""Error pages are Thai (English with the switch) and say that nothing was saved."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from openita.web.results.models import Assessment
from tests.web.conftest import World, example_bytes
from tests.web.test_views import client_for


def test_an_unknown_page_is_a_thai_404(world: World) -> None:
    response = client_for(world, "officer_a").get("/no/such/page/")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


def test_another_agencys_page_is_the_same_404(world: World) -> None:
    response = client_for(world, "officer_a").get(reverse("agency", args=[world.b.pk]))
    assert response.status_code == 404 and "ไม่พบหน้านี้" in response.content.decode()


def test_an_oversize_request_is_refused_before_it_is_read(world: World, settings: object) -> None:
    settings.OPENITA_MAX_REQUEST_BYTES = 1024  # type: ignore[attr-defined]
    client = client_for(world, "officer_a")
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {"fiscal_year": 2565, "file": ("big.csv", example_bytes(2565))},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "ใหญ่เกินไป" in page and "(1 KB)" in page and "ยังไม่ได้บันทึกสิ่งใด" in page
    assert not Assessment.objects.exists()


def test_an_oversize_request_in_english(world: World, settings: object) -> None:
    settings.OPENITA_MAX_REQUEST_BYTES = 2 * 2**20  # type: ignore[attr-defined]
    client = client_for(world, "officer_a")
    client.cookies["django_language"] = "en"
    response = client.generic(
        "POST",
        reverse("results:upload", args=[world.a.pk]),
        b"x" * (3 * 2**20),
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "3 MB, more than the 2 MB accepted" in response.content.decode()


def test_an_expired_form_is_a_thai_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer_a"])
    response = client.post(reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2566})
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()


def test_the_500_page_renders_without_a_request() -> None:
    page = render_to_string("500.html")
    assert "ระบบขัดข้อง" in page and "ยังไม่ได้บันทึก" in page
