"""Errors a person understands (issue 11): a direct GET of a POST-only address is a Thai page
that says what the address is for and links back; sessions do not last two weeks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from openita.web.approvals.models import Subject
from openita.web.ui import bedate
from tests.web.conftest import World
from tests.web.test_approvals import submit
from tests.web.test_plans import drafted
from tests.web.test_views import client_for


def test_a_get_of_a_post_only_address_is_a_helpful_thai_page(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan, Subject.PLAN)
    client = client_for(world, "officer_a")
    plan_page = reverse("plans:detail", args=[world.a.pk, plan.pk])
    for address in (
        reverse("approvals:submit", args=[world.a.pk, plan.pk]),
        reverse("approvals:withdraw", args=[world.a.pk, plan.pk, request.pk]),
    ):
        response = client.get(address, HTTP_REFERER=f"http://testserver{plan_page}")
        page = response.content.decode()
        assert response.status_code == 405 and response["Allow"] == "POST"
        assert "ที่อยู่นี้ใช้ส่งแบบฟอร์มเท่านั้น" in page and "ยังไม่ได้บันทึก" in page
        assert f'href="{plan_page}"' in page
    # Without a referer (or one of another site), the link goes one level up, never away.
    response = client.get(
        reverse("approvals:submit", args=[world.a.pk, plan.pk]),
        HTTP_REFERER="https://elsewhere.example/x",
    )
    assert "elsewhere.example" not in response.content.decode()
    assert f'href="/agencies/{world.a.pk}/plans/{plan.pk}/approvals/"' in response.content.decode()


def test_the_405_page_in_english(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("approvals:submit", args=[world.a.pk, plan.pk]))
    assert (
        response.status_code == 405
        and "This address only takes a form" in response.content.decode()
    )


def test_sessions_last_hours_not_weeks(world: World, settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    client = client_for(world, "officer_a")
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_evidence_references_are_accepted_as_text(world: World) -> None:
    from openita.web.plans import selectors as plan_selectors
    from openita.web.plans.content import plan_of
    from tests.web.test_progress import form_data, url

    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    data.update(
        {
            "p-0-status": "in_progress",
            "p-0-percent": "40",
            "p-0-evidence": "ประกาศเลขที่ 12/2567\nคำสั่งที่ 45/2566 ลงวันที่ 1 มีนาคม 2566\n"
            "รายงานการประชุม.pdf\nhttps://example.org/ita",
        }
    )
    response = client.post(url(world, plan), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    measure = plan_of(plan_selectors.current_version(plan).content).measures[0]
    assert measure.progress[6].evidence[:2] == [
        "ประกาศเลขที่ 12/2567",
        "คำสั่งที่ 45/2566 ลงวันที่ 1 มีนาคม 2566",
    ]
    page = client.get(url(world, plan)).content.decode()
    assert "ประกาศเลขที่ 12/2567" in page
    # Links of other kinds are still refused.
    data = form_data(client, world, plan)
    data.update({"p-0-evidence": "javascript:alert(1)\ndata:text/html,x"})
    response = client.post(url(world, plan), data)
    assert response.status_code == 400 and "หลักฐานต้องเป็นลิงก์" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("30/09/2566", dt.date(2023, 9, 30)),
        ("1-3-2566", dt.date(2023, 3, 1)),
        ("๓๑/๐๓/๒๕๖๖", dt.date(2023, 3, 31)),
        ("30 ก.ย. 2566", dt.date(2023, 9, 30)),
        ("30 กันยายน พ.ศ. 2566", dt.date(2023, 9, 30)),
        ("2023-09-30", dt.date(2023, 9, 30)),
        ("2566-09-30", dt.date(2023, 9, 30)),
    ],
)
def test_be_dates_are_read(typed: str, expected: dt.date) -> None:
    assert bedate.parse(typed) == expected
    assert (
        bedate.shown(expected) == f"{expected.day:02d}/{expected.month:02d}/{expected.year + 543}"
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [("30/09/2023", "ไม่ใช่ปี พ.ศ."), ("31/02/2566", "ไม่มีวันที่นี้"), ("พรุ่งนี้", "อ่าน พรุ่งนี้ เป็นวันที่ไม่ได้")],
)
def test_bad_dates_are_explained(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        bedate.parse(typed)


def test_the_plan_editor_takes_and_shows_be_dates(world: World) -> None:
    from openita.web.plans import selectors as plan_selectors
    from openita.web.plans.content import plan_of
    from tests.web.test_plans import form_data

    plan = drafted(world)
    client = client_for(world, "officer_a")
    address = reverse("plans:edit", args=[world.a.pk, plan.pk])
    page = client.get(address).content.decode()
    assert re.search(r'name="m-0-deadline" value="\d\d/\d\d/25\d\d"', page)
    data = form_data(client, world, plan)
    data["m-0-deadline"] = "30/09/2023"
    response = client.post(address, data)
    assert response.status_code == 400 and "ไม่ใช่ปี พ.ศ." in response.content.decode()
    data["m-0-deadline"] = "31 มี.ค. 2566"
    assert client.post(address, data).status_code == 302
    deadline = plan_of(plan_selectors.current_version(plan).content).measures[0].deadline
    assert deadline == dt.date(2023, 3, 31)
    assert 'value="31/03/2566"' in client.get(address).content.decode()
