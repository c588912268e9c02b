"""The draft page for a framework that plans on one indicator (FY2569 O25): the indicators
offered with their scores, the lowest pre-selected and labelled, a note; the drafted plan
records the focus; a bad choice is refused with 400; older frameworks show no choice."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from openita import frameworks
from openita.web.audit.models import AuditEntry
from openita.web.plans import selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.results.models import Assessment
from tests.plans.focus_fixture import focus_scores, install_focus_framework
from tests.web.conftest import World
from tests.web.test_views import client_for

IND7 = ("e6", "e7", "e8", "e9", "e10")


@pytest.fixture(autouse=True)
def _builtin_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "local-catalog"))
    yield


def _results_2568(world: World, *, focused: bool = True) -> Assessment:
    if focused:
        install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    framework = frameworks.get("ita-2568")
    scores = focus_scores(framework, dict.fromkeys(IND7, 60.0) | {"i13": 70.0})
    return Assessment.objects.create(
        agency=world.a, fiscal_year=2568, framework_id="ita-2568", scores=scores
    )


def _radios(html: str) -> list[tuple[str, bool]]:
    found = re.findall(
        r'<input type="radio" name="focus" id="focus-(ind\d+)" value="\1"( checked)?', html
    )
    return [(code, bool(checked)) for code, checked in found]


def test_the_page_offers_every_indicator_lowest_first(world: World) -> None:
    _results_2568(world)
    response = client_for(world, "officer_a").get(reverse("plans:index", args=[world.a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    radios = _radios(html)
    assert len(radios) == 10 and radios[0] == ("ind7", True)
    assert [checked for _, checked in radios].count(True) == 1
    assert "ind3" in dict(radios)
    label = re.search(r'<label class="check" for="focus-ind7">(.*?)</label>', html, re.S)
    assert label is not None
    assert "ตัวชี้วัดที่ 7" in label.group(1) and "60.00" in label.group(1)
    assert "(ต่ำที่สุด)" in label.group(1)
    assert 'name="focus_note"' in html
    assert "ตัวชี้วัดที่มุ่งพัฒนา (เลือกหนึ่งตัวชี้วัด)" in html


def test_the_page_in_english(world: World) -> None:
    _results_2568(world)
    client = client_for(world, "officer_a")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("plans:index", args=[world.a.pk])).content.decode()
    assert "Focus indicator (choose one)" in html and "(lowest)" in html


def test_drafting_with_a_chosen_indicator_records_the_focus(world: World) -> None:
    _results_2568(world)
    client = client_for(world, "officer_a")
    response = client.post(
        reverse("plans:draft", args=[world.a.pk]),
        {"fiscal_year": 2569, "focus": "ind3", "focus_note": "เสี่ยงเรื่องการใช้อำนาจ"},
    )
    plan = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2569)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[world.a.pk, plan.pk])
    content = plan_of(selectors.current_version(plan).content)
    assert content.focus is not None
    assert (content.focus.indicator, content.focus.reason) == ("ind3", "chosen")
    assert content.focus.note == "เสี่ยงเรื่องการใช้อำนาจ"
    addressed = {c for m in content.measures for c in m.addresses}
    assert "i13" in addressed and not addressed & set(IND7)
    entry = AuditEntry.objects.filter(agency=world.a).order_by("-pk").first()
    assert entry is not None and entry.after["focus"] == "ind3"


def test_drafting_without_a_choice_takes_the_lowest(world: World) -> None:
    _results_2568(world)
    client_for(world, "officer_a").post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2569}
    )
    plan = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2569)
    content = plan_of(selectors.current_version(plan).content)
    assert content.focus is not None and content.focus.indicator == "ind7"
    assert content.focus.reason == "lowest"


@pytest.mark.parametrize("bad", [{"focus": "ind12"}, {"focus": "e6"}, {"focus_note": "x" * 501}])
def test_a_bad_choice_is_refused_and_nothing_stored(world: World, bad: dict[str, str]) -> None:
    _results_2568(world)
    response = client_for(world, "officer_a").post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2569, **bad}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "ตัวชี้วัด" in html and ("ไม่ถูกต้อง" in html or "ไม่ได้" in html)
    assert not MeasuresPlan.objects.filter(agency=world.a).exists()


def test_older_frameworks_offer_no_choice(world: World) -> None:
    _results_2568(world, focused=False)
    html = (
        client_for(world, "officer_a")
        .get(reverse("plans:index", args=[world.a.pk]))
        .content.decode()
    )
    assert _radios(html) == [] and "focus_note" not in html
    client_for(world, "officer_a").post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2569}
    )
    plan = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2569)
    assert plan_of(selectors.current_version(plan).content).focus is None


def test_readers_see_no_draft_form(world: World) -> None:
    _results_2568(world)
    html = (
        client_for(world, "viewer_a")
        .get(reverse("plans:index", args=[world.a.pk]))
        .content.decode()
    )
    assert _radios(html) == []


def test_a_framework_without_a_catalog_list_is_refused_with_a_message(world: World) -> None:
    directory = Path(os.environ["OPENITA_FRAMEWORKS_DIR"])
    path = install_focus_framework(directory)
    own = directory / "ita-2599.yaml"
    own.write_text(path.read_text(encoding="utf-8").replace("id: ita-2568", "id: ita-2599", 1))
    path.unlink()
    frameworks.refresh()
    framework = frameworks.get("ita-2599")
    Assessment.objects.create(
        agency=world.a,
        fiscal_year=2568,
        framework_id="ita-2599",
        scores=focus_scores(framework, {}),
    )
    response = client_for(world, "officer_a").post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2569}, follow=True
    )
    assert response.status_code == 200
    assert "ยังไม่มีรายการมาตรการแนะนำสำหรับหลักเกณฑ์ ita-2599" in response.content.decode()
    assert not MeasuresPlan.objects.filter(agency=world.a).exists()
