"""'What changed since last year': items added, removed, renamed and moved between last year's
framework and this year's, on the result page and the plan page."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse

from openita import frameworks
from openita.web.frameworks.selectors import changes_between, year_changes
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_frameworks_upload import db_frameworks, framework_data, post_upload, yaml_text
from tests.web.test_plans import drafted
from tests.web.test_views import client_for, saved

__all__ = ["db_frameworks"]


def edited(data: dict[str, Any]) -> frameworks.Framework:
    return frameworks.parse(yaml_text(data), "x.yaml")


def test_changes_between_by_code_and_title() -> None:
    before = framework_data()
    data = framework_data()
    oit = data["tools"][2]["indicators"]
    groups = [g for ind in oit for g in (ind.get("sub_indicators") or [ind])]
    first, second = groups[0]["items"], groups[1]["items"]
    removed = first.pop()  # the last item of the first group is gone
    renamed = first[0]
    old_title = renamed["text"]
    renamed["text"] = old_title + " (ปรับปรุงชื่อ)"  # reworded; an unrelated title is another item
    spaced = first[1]
    spaced["text"] = "  " + spaced["text"].replace(" ", "  ") + "\u200b"  # only spacing differs
    moved = second.pop(0)
    first.append(moved)  # the same item, in another group
    renumbered = second[-1]
    old_code = renumbered["code"]
    renumbered["code"] = "o98"  # the same title under another code
    second.append({"code": "o99", "text": "ข้อใหม่ของปีนี้"})
    found = changes_between(edited(before), edited(data))
    assert [(c.code, c.after) for c in found.added] == [("o99", "ข้อใหม่ของปีนี้")]
    assert [(c.code, c.before) for c in found.removed] == [(removed["code"], removed["text"])]
    assert [(c.code, c.before, c.after) for c in found.renamed] == [
        (renamed["code"], old_title, old_title + " (ปรับปรุงชื่อ)")
    ]
    assert [(c.code, c.old_code) for c in found.moved] == [(moved["code"], ""), ("o98", old_code)]
    assert found.moved[0].where_before != found.moved[0].where_after
    assert found.moved[1].before == found.moved[1].after == renumbered["text"]
    assert changes_between(edited(before), edited(before)).empty


def test_the_result_page_says_what_changed_since_last_year(world: World) -> None:
    saved(world, 2565)
    last = frameworks.get("ita-2565")
    this = frameworks.for_year(2566)
    assert this is not None and this.id != last.id
    Assessment.objects.create(  # FY2566 on its own framework
        agency=world.a,
        fiscal_year=2566,
        framework_id=this.id,
        scores={f"ind{n}": 90.0 for n in range(1, 11)},
    )
    expected = changes_between(last, this)
    page = html.unescape(
        client_for(world, "viewer_a")
        .get(reverse("results:detail", args=[world.a.pk, 2566]))
        .content.decode()
    )
    assert "หลักเกณฑ์ที่เปลี่ยนจากปีที่แล้ว" in page
    assert f"{last.id} (รุ่น {last.version}) → {this.id} (รุ่น {this.version})" in page
    assert not expected.empty
    for change in [*expected.added, *expected.removed, *expected.renamed, *expected.moved]:
        assert f"<strong>{change.code}</strong>" in page
        assert (change.after or change.before) in page
    # the year before: the same framework as the year before it
    earlier = client_for(world, "viewer_a").get(reverse("results:detail", args=[world.a.pk, 2565]))
    assert "ใช้หลักเกณฑ์เดียวกับปีที่แล้ว (ita-2565" in earlier.content.decode()


def test_the_plan_page_says_what_changed(world: World) -> None:
    plan = drafted(world)  # FY2566 plan from FY2564-2565 results
    got = year_changes(world.a, plan.fiscal_year)
    assert got.last is not None and got.last.id == "ita-2565"
    assert got.this == frameworks.for_year(plan.fiscal_year)
    page = html.unescape(
        client_for(world, "officer_a")
        .get(reverse("plans:detail", args=[world.a.pk, plan.pk]))
        .content.decode()
    )
    assert "หลักเกณฑ์ที่เปลี่ยนจากปีที่แล้ว" in page
    assert got.changes is not None
    for change in got.changes.renamed[:3]:
        assert f"<strong>{change.code}</strong> {change.before} → {change.after}" in page


def test_an_uploaded_correction_shows_in_what_changed(world: World, db_frameworks: Any) -> None:
    saved(world, 2564)
    saved(world, 2565)
    data = framework_data()
    data["version"] = frameworks.get("ita-2565").version + 1
    item = data["tools"][2]["indicators"][0]
    items = (item.get("sub_indicators") or [item])[0]["items"]
    items[0]["text"] = "ชื่อข้อที่แก้ไขตามคู่มือ"
    assert post_upload(client_for(world, "admin"), yaml_text(data).encode()).status_code == 302
    # FY2564 stays on the version it was scored with; new FY2565 results use the correction
    Assessment.objects.filter(fiscal_year=2565).update(framework_id="ita-2565")
    got = year_changes(world.a, 2565)
    assert got.changes is not None
    assert [c.after for c in got.changes.renamed] == ["ชื่อข้อที่แก้ไขตามคู่มือ"]
    page = client_for(world, "viewer_a").get(reverse("results:detail", args=[world.a.pk, 2565]))
    assert "ชื่อข้อที่แก้ไขตามคู่มือ" in html.unescape(page.content.decode())
