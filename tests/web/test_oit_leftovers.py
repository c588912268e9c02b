"""Issue 12's leftovers: the result page's uplift as the OIT checklist stands, and the OIT list
published on the agency's public page (an explicit, audited action)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openita import engine, frameworks
from openita.web.audit.models import Action, AuditEntry
from openita.web.oit import services
from openita.web.oit.models import OitChecklist
from openita.web.publishing.models import OitListPublication
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_views import client_for


def ready(checklist: OitChecklist, count: int) -> list[str]:
    entries = list(checklist.entries.order_by("id"))
    for n, entry in enumerate(entries[:count]):
        entry.urls, entry.status = f"https://example.go.th/{entry.code}/{n}", "ready"
        entry.save()
    return [e.code for e in entries[:count]]


def results_2568(world: World) -> Assessment:
    return Assessment.objects.create(
        agency=world.a, fiscal_year=2568, framework_id="ita-2568",
        scores={"IIT": 92.0, "EIT": 84.0, "OIT": 90.0},
    )  # fmt: skip


def test_result_page_shows_the_uplift_as_the_next_checklist_stands(world: World) -> None:
    results_2568(world)
    client = client_for(world, "officer_a")
    url = reverse("results:detail", args=[world.a.pk, 2568])
    assert 'id="uplift-checklist"' not in client.get(url).content.decode()  # no checklist yet
    checklist = services.open_checklist(world.a, 2569, world.users["officer_a"])
    done = ready(checklist, 20)
    fw = frameworks.get(checklist.framework_id)
    oit = next(t for t in fw.tools if t.kind == "checklist")
    given = {i.code: 100.0 if i.code in done else 0.0 for i in oit.items}
    expected = engine.score(fw, {"IIT": 92.0, "EIT": 84.0, **given})
    html = client.get(url).content.decode()
    assert 'id="uplift-checklist"' in html and "ตามผลที่ประเมินแล้ว" in html
    assert "ตามรายการตรวจ OIT ปีงบประมาณ 2569" in html
    assert f"{engine.rounding.published(expected.total):.2f}" in html
    assert f"20/{len(oit.items)}" in html


def test_the_years_own_checklist_when_there_is_no_next_one(world: World) -> None:
    results_2568(world)
    services.open_checklist(world.a, 2568, world.users["officer_a"])
    html = (
        client_for(world, "officer_a")
        .get(reverse("results:detail", args=[world.a.pk, 2568]))
        .content.decode()
    )
    assert "ตามรายการตรวจ OIT ปีงบประมาณ 2568" in html and "0/" in html


def test_publish_the_oit_list_audited_and_shown_on_the_public_page(world: World) -> None:
    checklist = services.open_checklist(world.a, 2569, world.users["officer_a"])
    public = reverse("publishing:public", args=[world.a.pk])
    publish = reverse("publishing:oit_publish", args=[world.a.pk, 2569])
    assert "https://example.go.th/" not in client_for(world, None).get(public).content.decode()
    officer = client_for(world, "officer_a")
    assert officer.post(publish).status_code == 400  # no links yet: nothing to publish
    done = ready(checklist, 3)
    assert client_for(world, "viewer_a").post(publish).status_code == 404
    assert OitListPublication.objects.count() == 0
    assert officer.post(publish).status_code == 302
    assert officer.post(publish).status_code == 302  # the same rows again: no new copy
    (published,) = OitListPublication.objects.all()
    assert [r["code"] for r in published.rows if r["urls"]] == [c.upper() for c in done]
    entries = AuditEntry.objects.filter(action=Action.PUBLISH, object_id=str(published.pk))
    assert entries.count() == 1 and "OIT" in entries.get().summary
    html = client_for(world, None).get(public).content.decode()
    assert f'href="https://example.go.th/{done[0]}/0"' in html and 'id="oit-2569"' in html
    # an edit after publishing is not on the public page until published again
    entry = checklist.entries.get(code=done[0])
    entry.urls = "https://example.go.th/changed"
    entry.save()
    page = officer.get(reverse("oit:detail", args=[world.a.pk, 2569])).content.decode()
    assert "รายการตอนนี้ต่างจากที่เผยแพร่" in page
    assert "changed" not in client_for(world, None).get(public).content.decode()
    officer.post(publish)
    assert OitListPublication.objects.filter(superseded_at__isnull=True).count() == 1
    assert "changed" in client_for(world, None).get(public).content.decode()


def test_withdraw_the_oit_list_needs_a_reason(world: World) -> None:
    checklist = services.open_checklist(world.a, 2569, world.users["officer_a"])
    ready(checklist, 2)
    officer = client_for(world, "officer_a")
    officer.post(reverse("publishing:oit_publish", args=[world.a.pk, 2569]))
    unpublish = reverse("publishing:oit_unpublish", args=[world.a.pk, 2569])
    assert officer.post(unpublish, {"reason": " "}).status_code == 400
    assert officer.post(unpublish, {"reason": "ลิงก์ผิด"}).status_code == 302
    assert AuditEntry.objects.filter(action=Action.UNPUBLISH).count() == 1
    html = client_for(world, None).get(reverse("publishing:public", args=[world.a.pk]))
    assert 'id="oit-2569"' not in html.content.decode()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.go.th/x"])
def test_only_web_links_become_links(world: World, url: str) -> None:
    checklist = services.open_checklist(world.a, 2569, world.users["officer_a"])
    entry = checklist.entries.order_by("id").first()
    assert entry is not None
    entry.urls, entry.status = url, "ready"
    entry.save()
    client_for(world, "officer_a").post(reverse("publishing:oit_publish", args=[world.a.pk, 2569]))
    html = client_for(world, None).get(reverse("publishing:public", args=[world.a.pk]))
    assert f'href="{url}"' not in html.content.decode() and url in html.content.decode()


def test_the_latest_year_uses_the_checklist_being_prepared_years_on(world: World) -> None:
    results_2568(world)
    Assessment.objects.create(
        agency=world.a, fiscal_year=2566, framework_id="ita-2566",
        scores={"IIT": 90.0, "EIT": 80.0, "OIT": 70.0},
    )  # fmt: skip
    services.open_checklist(world.a, 2570, world.users["officer_a"])
    client = client_for(world, "officer_a")
    latest = client.get(reverse("results:detail", args=[world.a.pk, 2568])).content.decode()
    assert "ตามรายการตรวจ OIT ปีงบประมาณ 2570" in latest
    earlier = client.get(reverse("results:detail", args=[world.a.pk, 2566])).content.decode()
    assert 'id="uplift-checklist"' not in earlier  # 2568 came after it
