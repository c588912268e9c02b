"""Every view for every role; a user of one agency gets 404 for another, by URL guessing too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from openita.web.results.models import Assessment
from openita.web.results.services import assessment_preview, assessment_save
from tests.web.conftest import World, example_bytes

ROLES = ["officer_a", "officer_b", "executive_a", "viewer_a", "provincial", "admin"]
READS_A = {"officer_a", "executive_a", "viewer_a", "provincial", "admin"}
WRITES_A = {"officer_a", "admin"}


def saved(world: World, year: int = 2565) -> Assessment:
    found = assessment_preview(
        agency=world.a,
        fiscal_year=year,
        framework_id=None,
        uploaded_file=SimpleUploadedFile(f"s{year}.csv", example_bytes(year)),
    )
    assert found.confirmation is not None
    return assessment_save(agency=world.a, confirmation=found.confirmation, user=None).assessment


def client_for(world: World, role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(world.users[role])
    return client


def read_urls(world: World) -> list[str]:
    a = world.a.pk
    return [
        reverse("agency", args=[a]),
        reverse("results:detail", args=[a, 2565]),
        reverse("results:download", args=[a, 2565, "docx"]),
    ]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_reading_agency_a(world: World, role: str | None) -> None:
    saved(world)
    client = client_for(world, role)
    for url in read_urls(world):
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in READS_A:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url


@pytest.mark.parametrize("role", [None, *ROLES])
def test_upload_page_of_agency_a(world: World, role: str | None) -> None:
    response = client_for(world, role).get(reverse("results:upload", args=[world.a.pk]))
    if role is None:
        assert response.status_code == 302
    elif role in WRITES_A:
        assert response.status_code == 200
        assert 'for="id_file"' in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["officer_a", "provincial", "viewer_a"])
def test_guessed_urls_give_404(world: World, role: str) -> None:
    client = client_for(world, role)
    for agency in (world.c.pk, 424242):
        for url in (
            reverse("agency", args=[agency]),
            reverse("results:detail", args=[agency, 2565]),
            reverse("results:upload", args=[agency]),
            reverse("results:download", args=[agency, 2565, "pdf"]),
        ):
            assert client.get(url).status_code == 404, url
    assert client.get(reverse("results:detail", args=[world.a.pk, 2599])).status_code == 404


def test_officer_b_cannot_confirm_into_agency_a(world: World) -> None:
    client = client_for(world, "officer_b")
    response = client.post(reverse("results:confirm", args=[world.a.pk]), {"token": "x"})
    assert response.status_code == 404


def test_home_lists_only_own_agencies(world: World) -> None:
    saved(world)
    page = client_for(world, "officer_b").get(reverse("home")).content.decode()
    assert world.b.name in page and world.a.name not in page
    page = client_for(world, "provincial").get(reverse("home")).content.decode()
    assert world.a.name in page and world.b.name in page and world.c.name not in page
    assert "90.52" in page


def test_bad_upload_lists_every_problem_and_saves_nothing(world: World) -> None:
    client = client_for(world, "officer_a")
    bad = SimpleUploadedFile("bad.csv", b"code,score\ni1,92\ni2,abc\nzz9,50\ni3,150\n")
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {"fiscal_year": 2565, "framework": "", "file": bad},
    )
    page = response.content.decode()
    assert response.status_code == 400
    for row in (3, 4, 5):
        assert f"bad.csv:{row}" in page
    assert 'name="token"' not in page
    assert Assessment.objects.count() == 0


def test_good_upload_previews_then_saves_once(world: World) -> None:
    client = client_for(world, "officer_a")
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {
            "fiscal_year": 2565,
            "framework": "",
            "file": SimpleUploadedFile("s.csv", example_bytes()),
        },
    )
    page = response.content.decode()
    assert "90.52" in page and Assessment.objects.count() == 0
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token is not None
    confirm = reverse("results:confirm", args=[world.a.pk])
    first = client.post(confirm, {"token": token.group(1)})
    stamp = Assessment.objects.get().updated
    second = client.post(confirm, {"token": token.group(1)})
    assert first.status_code == second.status_code == 302
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().updated == stamp
    detail = client.get(first["Location"]).content.decode()
    assert "90.52" in detail


def test_viewer_cannot_post_an_upload(world: World) -> None:
    client = client_for(world, "viewer_a")
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {"fiscal_year": 2565, "file": SimpleUploadedFile("s.csv", example_bytes())},
    )
    assert response.status_code == 404


def test_result_page_shows_the_example(world: World) -> None:
    saved(world, 2563)
    saved(world, 2564)
    saved(world)
    page = client_for(world, "executive_a").get(reverse("results:detail", args=[world.a.pk, 2565]))
    text = page.content.decode()
    assert "90.52" in text and ">A<" in text
    assert "o12" in text  # an OIT item at 0
    assert "2563" in text and "2564" in text  # the trend


def test_docx_download(world: World) -> None:
    saved(world)
    response = client_for(world, "officer_a").get(
        reverse("results:download", args=[world.a.pk, 2565, "docx"])
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert (
        client_for(world, "officer_a")
        .get(reverse("results:download", args=[world.a.pk, 2565, "odt"]))
        .status_code
        == 404
    )


def test_login_locks_after_five_failures(world: World) -> None:
    client = Client()
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "officer_a", "password": "wrong"})
        assert response.status_code == 200
    locked = client.post(url, {"username": "officer_a", "password": "pw-12345"})
    assert "15" in locked.content.decode() and "_auth_user_id" not in client.session
    other = Client().post(url, {"username": "officer_b", "password": "pw-12345"})
    assert other.status_code == 302


def test_login_and_logout(world: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "officer_a", "password": "pw-12345"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_mail(world: World, mailoutbox: list) -> None:
    response = Client().post(reverse("password_reset"), {"email": "officer_a@example.invalid"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_thai_first_then_english_by_the_switch(world: World) -> None:
    client = Client(headers={"accept-language": "en-US,en"})
    assert "เข้าสู่ระบบ" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and "Username" in page and 'lang="en"' in page


def test_admin_for_site_admins_only(world: World) -> None:
    assert client_for(world, "admin").get("/admin/").status_code == 200
    assert client_for(world, "officer_a").get("/admin/").status_code == 302


def test_static_css_and_font_are_served_locally(world: World) -> None:
    css = Client().get("/static/openita/site.css")
    assert css.status_code == 200
    font = Client().get("/static/fonts/Sarabun-Regular.ttf")
    assert font.status_code == 200


WEB = Path(__file__).resolve().parents[2] / "openita" / "web"


def test_no_template_or_stylesheet_loads_a_remote_asset() -> None:
    remote = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import""")
    files = [*WEB.rglob("*.html"), *WEB.rglob("*.css")]
    assert files
    for path in files:
        assert not remote.search(path.read_text(encoding="utf-8")), path
