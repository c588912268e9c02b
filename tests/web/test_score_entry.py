"""Entering scores in a form: roles, the same total as an upload, validation, Thai digits,
stale edits, double submits and the audit entry of the changed codes only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openita import importers
from openita.web.audit.models import Action, AuditEntry
from openita.web.results.entry import parse_entered
from openita.web.results.models import Assessment
from openita.web.results.selectors import result_of
from openita.web.results.services import ENTRY_SOURCE, assessment_enter, entry_stamp
from tests.conftest import EXAMPLES
from tests.web.conftest import World
from tests.web.test_views import ROLES, client_for, saved

WRITES_A = {"officer_a", "admin"}


def example_scores(year: int = 2565, level: str = "items") -> dict[str, str]:
    """The example's scores of one level, as typed (items: i1..., indicators: ind1...)."""
    rows = (EXAMPLES / f"bansong-{year}.csv").read_text(encoding="utf-8").splitlines()[1:]
    pattern = re.compile(r"^ind[0-9]+$" if level == "indicators" else r"^[ieo][0-9]+$")
    return dict(row.split(",") for row in rows if pattern.match(row.split(",")[0]))


def enter_url(world: World, year: int = 2565) -> str:
    return reverse("results:enter", args=[world.a.pk, year])


def form_data(client: Client, url: str, **query: str) -> dict[str, Any]:
    """The form as the page fills it, as a browser would post it."""
    response = client.get(url, query)
    assert response.status_code == 200
    form = response.context["form"]
    data = {"framework": response.context["framework"].id, "level": response.context["level"]}
    data["based_on"] = form.initial.get("based_on", "")
    for name in form.fields:
        if name != "based_on":
            data[name] = form.initial.get(name, "")
    return data


def audit_of_results(world: World) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(agency=world.a, object_type="results.assessment"))


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("85.5", 85.5),
        ("85,5", 85.5),
        ("๘๕.๕", 85.5),
        ("๘๕,๕", 85.5),
        (" 100 ", 100.0),
        ("0", 0.0),
        ("abc", None),
        ("1,2,3", None),
        ("", None),
    ],
)
def test_parse_entered(typed: str, value: float | None) -> None:
    assert parse_entered(typed) == value


@pytest.mark.parametrize("role", [None, *ROLES])
def test_entry_pages_by_role(world: World, role: str | None) -> None:
    saved(world, 2565)
    client = client_for(world, role)
    year_url = reverse("results:enter_year", args=[world.a.pk])
    for url in (enter_url(world), enter_url(world, 2566), year_url):
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in WRITES_A:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url
    post = client.post(enter_url(world, 2566), {"level": "indicators", "ind1": "90"})
    assert post.status_code == (302 if role is None else 400 if role in WRITES_A else 404)
    assert not Assessment.objects.filter(fiscal_year=2566).exists()
    if role is not None and role != "officer_b":
        agency_page = client.get(reverse("agency", args=[world.a.pk])).content.decode()
        result_page = client.get(reverse("results:detail", args=[world.a.pk, 2565]))
        assert (year_url in agency_page) == (role in WRITES_A)
        assert (enter_url(world) in result_page.content.decode()) == (role in WRITES_A)


def test_another_agencys_form_is_404(world: World) -> None:
    client = client_for(world, "officer_a")
    for agency in (world.b, world.c):
        url = reverse("results:enter", args=[agency.pk, 2565])
        assert client.get(url).status_code == 404
        assert client.post(url, {"level": "indicators"}).status_code == 404
        assert client.get(reverse("results:enter_year", args=[agency.pk])).status_code == 404


def test_year_chooser(world: World) -> None:
    client = client_for(world, "officer_a")
    url = reverse("results:enter_year", args=[world.a.pk])
    response = client.get(url, {"fiscal_year": "2566"})
    assert response.status_code == 302 and response["Location"] == enter_url(world, 2566)
    bad = client.get(url, {"fiscal_year": "abc"})
    assert bad.status_code == 400 and 'id="id_fiscal_year-error"' in bad.content.decode()


def test_full_item_entry_gives_the_uploads_total(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))
    assert data["framework"] == "ita-2565" and data["level"] == "items"
    assert all(data[code] == "" for code in example_scores())  # nothing on file yet
    page = client.get(enter_url(world)).content.decode()
    assert 'inputmode="decimal"' in page and '<label for="id_i1">i1 ' in page
    data.update(example_scores())
    response = client.post(enter_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("results:detail", args=[world.a.pk, 2565])
    entered = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    assert entered.source_name == ENTRY_SOURCE and entered.uploaded_by == world.users["officer_a"]
    uploaded = importers.load_result([EXAMPLES / "bansong-2565.csv"])
    assert result_of(entered).total == pytest.approx(uploaded.total)
    assert round(result_of(entered).total, 2) == 90.52
    (entry,) = audit_of_results(world)
    assert entry.action == Action.CREATE and entry.after["i1"] == 92.97


def test_out_of_range_and_not_a_number_are_named(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))
    data.update(example_scores())
    data.update({"i1": "120", "e2": "abc", "o3": ""})
    response = client.post(enter_url(world), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"i1", "e2", "o3"}
    text = response.content.decode()
    assert "i1: คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (กรอก 120)" in text
    assert "e2: “abc” ไม่ใช่ตัวเลข" in text and "o3: โปรดกรอกคะแนน" in text
    assert 'id="id_i1-error"' in text and 'aria-describedby="id_i1-error"' in text
    assert 'value="abc"' in text  # what was typed stays
    assert not Assessment.objects.exists() and not audit_of_results(world)


def test_thai_digits_and_comma_decimals(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))
    data.update(example_scores())
    data.update({"i1": "๙๒.๙๗", "i2": "87,97", "i3": "๙๒,๓๑"})
    assert client.post(enter_url(world), data).status_code == 302
    scores = Assessment.objects.get(agency=world.a).scores
    assert (scores["i1"], scores["i2"], scores["i3"]) == (92.97, 87.97, 92.31)
    assert round(result_of(Assessment.objects.get(agency=world.a)).total, 2) == 90.52


def test_indicator_level_form(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world, 2564), level="indicators")
    assert data["level"] == "indicators" and "i1" not in data and "ind10" in data
    data.update(example_scores(2564, "indicators"))
    assert client.post(enter_url(world, 2564), data).status_code == 302
    entered = result_of(Assessment.objects.get(agency=world.a, fiscal_year=2564))
    uploaded = importers.load_result([EXAMPLES / "bansong-2564.csv"])
    assert entered.total == pytest.approx(uploaded.total)
    # results on file with indicators only open at the indicator level, prefilled
    again = form_data(client, enter_url(world, 2564))
    assert again["level"] == "indicators" and again["ind2"] == "77.31"


def test_prefilled_edit_changes_only_what_was_typed(world: World) -> None:
    before = saved(world, 2565)  # uploaded: items, and the report's own indicators and total
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))
    assert data["i1"] == "92.97" and data["o12"] == "0"
    data["i1"] = "50"
    assert client.post(enter_url(world), data).status_code == 302
    after = Assessment.objects.get(pk=before.pk)
    assert after.scores["i1"] == 50 and {k: v for k, v in after.scores.items() if k != "i1"} == {
        k: v for k, v in before.scores.items() if k != "i1"
    }
    entry = audit_of_results(world)[0]  # newest first
    assert entry.action == Action.CHANGE and entry.actor == world.users["officer_a"]
    assert entry.before == {"i1": 92.97} and entry.after == {"i1": 50.0}


def test_double_submit_saves_once(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))
    data.update(example_scores())
    first = client.post(enter_url(world), data)
    second = client.post(enter_url(world), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "ไม่มีการเปลี่ยนแปลง คะแนนนี้บันทึกไว้แล้ว" in second.content.decode()
    assert len(audit_of_results(world)) == 1 and Assessment.objects.count() == 1


def test_stale_edit_is_refused_with_who_and_when(world: World) -> None:
    saved(world, 2565)
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world))  # opened on the upload
    on_file = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    changed = {**on_file.scores, "e1": 99.0}
    admin = world.users["admin"]
    assessment_enter(
        agency=world.a,
        fiscal_year=2565,
        framework_id="ita-2565",
        scores=changed,
        based_on=entry_stamp(on_file),
        user=admin,
    )
    data["i1"] = "10"
    response = client.post(enter_url(world), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "admin" in text and "มีผู้อื่นบันทึกผลการประเมินปีนี้ก่อนคุณ" in text
    assert 'value="10"' in text  # the input is kept
    now = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    assert now.scores["i1"] == 92.97 and now.scores["e1"] == 99.0
    # the form now builds on the newer results: saving again is deliberate and goes through
    again = dict(data, based_on=response.context["form"]["based_on"].value())
    assert client.post(enter_url(world), again).status_code == 302
    assert Assessment.objects.get(pk=now.pk).scores["i1"] == 10


def test_unknown_framework_is_400(world: World) -> None:
    client = client_for(world, "officer_a")
    response = client.get(enter_url(world), {"framework": "/etc/passwd.yaml"})
    assert response.status_code == 400
    assert response.context["framework"].id == "ita-2565"
    data = form_data(client, enter_url(world))
    data.update(example_scores())
    data["framework"] = "no-such"
    assert client.post(enter_url(world), data).status_code == 400
    assert not Assessment.objects.exists()


def test_framework_switch(world: World) -> None:
    client = client_for(world, "officer_a")
    data = form_data(client, enter_url(world), framework="ita-2568")
    assert data["framework"] == "ita-2568"
    data.update(example_scores())
    response = client.post(enter_url(world), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Assessment.objects.get(agency=world.a).framework_id == "ita-2568"
