"""What people reached for on the unit links and the draft button: a copy button for a new
link, a confirmation before revoking, an expiry label that says the real default date, a save
through a link shown with the unit head's name, and a draft button with sensible years only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openita.text.thai import format_date
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import plan_draft
from openita.web.unitlinks.models import UnitLink
from openita.web.unitlinks.services import default_expiry
from tests.web.conftest import World
from tests.web.test_plans import drafted, saved
from tests.web.test_unitlinks import FINANCE, form_data, issue, manage_url, page_url, with_units
from tests.web.test_views import client_for


def test_new_link_has_a_copy_button_and_no_inline_script(world: World) -> None:
    plan = with_units(world)
    officer = client_for(world, "officer_a")
    data = {"unit": FINANCE, "person_name": "หัวหน้ากองคลัง", "email": ""}
    assert officer.post(manage_url(world, plan), data).status_code == 302
    page = officer.get(manage_url(world, plan)).content.decode()
    assert 'data-copy="issued-url"' in page and "คัดลอกลิงก์" in page
    assert 'src="/static/unitlinks/links.js"' in page
    assert "<script>" not in page and " onclick=" not in page


def test_revoking_asks_first_and_the_answer_no_keeps_the_link(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    officer = client_for(world, "officer_a")
    listed = officer.get(manage_url(world, plan)).content.decode()
    revoke = reverse("unitlinks:revoke", args=[world.a.pk, plan.pk, 6, issued.link.pk])
    assert f'action="{revoke}"' in listed and 'name="confirm"' not in listed
    asked = officer.post(revoke)
    page = asked.content.decode()
    assert asked.status_code == 200 and "นางสาวตัวอย่าง ใจดี" in page
    assert 'name="confirm" value="1"' in page and manage_url(world, plan) in page
    assert UnitLink.objects.get(pk=issued.link.pk).revoked_at is None
    assert officer.post(revoke, {"confirm": "1"}).status_code == 302
    assert UnitLink.objects.get(pk=issued.link.pk).revoked_at is not None


@pytest.mark.parametrize("today", [dt.date(2023, 1, 10), dt.date(2023, 8, 1)])
def test_expiry_label_names_the_date_a_blank_field_gives(
    world: World, today: dt.date, monkeypatch: Any
) -> None:
    plan = with_units(world)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    content = plan_of(plan_selectors.current_version(plan).content)
    expected = default_expiry(content, 6, today)
    page = client_for(world, "officer_a").get(manage_url(world, plan)).content.decode()
    assert f"ใช้ได้ถึง (เว้นว่างไว้: ถึง{format_date(expected)})" in page
    if today > dt.date(2023, 3, 31):  # the round is over: 30 days from today, not the round end
        assert expected == today + dt.timedelta(days=30)


def test_a_save_through_a_link_is_shown_with_the_unit_heads_name(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    data = form_data(client, issued.token)
    data.update({"p-0-status": "in_progress", "p-0-done": "ดำเนินการแล้วบางส่วน"})
    assert client.post(page_url(issued.token), data).status_code == 302
    version = plan_selectors.current_version(plan)
    assert version.created_by is None and "นางสาวตัวอย่าง ใจดี" in version.author
    detail = reverse("plans:detail", args=[world.a.pk, plan.pk])
    page = client_for(world, "officer_a").get(detail).content.decode()
    assert "บันทึกโดย นางสาวตัวอย่าง ใจดี" in page
    assert "บันทึกโดย -" not in page


def draft_buttons(world: World) -> list[str]:
    page = client_for(world, "officer_a").get(reverse("plans:index", args=[world.a.pk]))
    html = page.content.decode()
    return [part.split('"')[0] for part in html.split('name="fiscal_year" value="')[1:]]


def test_draft_button_offers_only_the_year_after_the_newest_results(world: World) -> None:
    assert draft_buttons(world) == []  # no results: nothing to draft from
    for year in (2563, 2564, 2565):
        saved(world, year)
    assert draft_buttons(world) == ["2566"]
    drafted_2566 = plan_draft(agency=world.a, fiscal_year=2566, user=None)
    # Every year with results has a later plan or is planned: 2564 and 2565 are not offered.
    assert draft_buttons(world) == []
    drafted_2566.delete()
    officer = client_for(world, "officer_a")
    refused = officer.post(reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": "2564"})
    assert refused.status_code == 302
    assert not MeasuresPlan.objects.filter(agency=world.a, fiscal_year=2564).exists()
    shown = officer.get(reverse("plans:index", args=[world.a.pk])).content.decode()
    assert "ร่างแผนปีงบประมาณ 2564 ไม่ได้" in shown


def test_drafting_through_the_button_still_works(world: World) -> None:
    plan = drafted(world)
    assert plan.fiscal_year == 2566
    assert draft_buttons(world) == []
