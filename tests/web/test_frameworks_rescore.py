"""A new framework version never changes saved results by itself: they stay on the version
they were scored with until a site admin rescores them, after a preview of every figure that
changes; the confirm applies it in one transaction with an audit entry per result."""

from __future__ import annotations

import html
import re
from typing import Any

import yaml
from django.urls import reverse

from openita import engine, frameworks
from openita.engine.rounding import published
from openita.engine.scoring import official
from openita.plans.results import plan_analysis
from openita.web.audit.models import Action, AuditEntry
from openita.web.frameworks import services
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.results.models import Assessment
from openita.web.results.selectors import result_of
from tests.web.conftest import World
from tests.web.test_frameworks_upload import (
    corrected,
    db_frameworks,
    framework_data,
    post_upload,
    yaml_text,
)
from tests.web.test_plans import drafted
from tests.web.test_views import client_for, saved

__all__ = ["db_frameworks"]  # the fixture, imported for pytest

WEIGHTS = (25, 35, 40)


def two_years(world: World) -> tuple[Assessment, Assessment]:
    """FY2564 by indicator, FY2565 item by item, as an officer types them: without NACC's
    published roll-ups (those would stand whatever the framework: official figures win)."""
    found = saved(world, 2564), saved(world, 2565)
    for a in found:
        a.scores = {
            k: v
            for k, v in a.scores.items()
            if k not in ("total", "IIT", "EIT", "OIT")
            and not (a.fiscal_year == 2565 and k.startswith("ind"))
        }
        a.save()
    return found


def total_on_page(client: Any, agency_id: int, year: int) -> str:
    page = client.get(reverse("results:detail", args=[agency_id, year])).content.decode()
    found = re.search(r"คะแนนรวม</span><span class=\"value\">([\d.]+)<", page)
    assert found, page[:2000]
    return found.group(1)


def rescore_changes(a: Assessment, fw: frameworks.Framework) -> dict[str, tuple[str, str]]:
    """What the preview must show for one result, computed here with the engine directly."""
    scores = {k: float(v) for k, v in a.scores.items()}
    old = official(engine.score(frameworks.get(a.framework_id), scores, fiscal_year=a.fiscal_year))
    new = official(engine.score(fw, scores, fiscal_year=a.fiscal_year))
    found = {}
    for code in ["total", *(t.code for t in fw.tools), *(i.code for i in fw.indicators)]:
        before, after = f"{published(old.scores[code]):.2f}", f"{published(new.scores[code]):.2f}"
        if before != after:
            found[code] = (before, after)
    if old.band.code != new.band.code:
        found["band"] = (old.band.code, new.band.code)
    return found


def reweighted_and_regrouped() -> bytes:
    """The next version with other tool weights, and IIT's first item moved to the second
    indicator: the total, IIT's indicators and (with them) IIT change."""
    data = framework_data()
    data["version"] = frameworks.get("ita-2565").version + 1
    for tool, weight in zip(data["tools"], WEIGHTS, strict=True):
        tool["weight"] = weight
    first, second = data["tools"][0]["indicators"][:2]
    second["items"].append(first["items"].pop(0))
    return yaml_text(data).encode()


def test_saved_results_keep_their_figures_until_rescored(world: World, db_frameworks: Any) -> None:
    a2564, a2565 = two_years(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    shown = {y: total_on_page(officer, world.a.pk, y) for y in (2564, 2565)}
    builtin = frameworks.get("ita-2565")
    assert post_upload(admin, reweighted_and_regrouped()).status_code == 302
    for a in (a2564, a2565):
        a.refresh_from_db()
        assert a.framework_id == f"ita-2565@{builtin.version}"  # kept on its version
        assert result_of(a).framework == builtin
    assert {y: total_on_page(officer, world.a.pk, y) for y in (2564, 2565)} == shown
    # the preview shows every figure that would change, and changes nothing
    new = frameworks.get("ita-2565")
    expected = {a.fiscal_year: rescore_changes(a, new) for a in (a2564, a2565)}
    # FY2565 is on file item by item; FY2564 by indicator (only its total moves)
    assert {"total", "IIT", "ind1", "ind2"} <= expected[2565].keys()
    assert set(expected[2564]) == {"total"}
    before_entries = AuditEntry.objects.count()
    page = admin.get(reverse("frameworks:rescore", args=["ita-2565"]))
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    for year, changes in expected.items():
        section = text[text.index(f"{world.a.name} · ปีงบประมาณ {year}") :]
        section = section[: section.index("</tbody>")]
        for code, (old, now) in changes.items():
            label = "คะแนนรวม" if code == "total" else code + " "
            assert re.search(
                rf"{label}[^<]*</th><td class=\"num\">{re.escape(old)}</td><td class=\"num\">"
                rf"{re.escape(now)}</td>",
                section,
            ), (year, code, old, now)
        assert "OIT" not in section and "ind9" not in section  # OIT does not change
    assert "ยืนยันคำนวณใหม่ 2 รายการ" in text
    assert AuditEntry.objects.count() == before_entries
    assert {y: total_on_page(officer, world.a.pk, y) for y in (2564, 2565)} == shown
    # confirm: applied once, an audit entry per result
    token = re.search(r'name="token" value="([^"]+)"', text)
    assert token
    apply = reverse("frameworks:rescore_apply", args=["ita-2565"])
    done = admin.post(apply, {"token": token.group(1)})
    assert done.status_code == 302
    for a in (a2564, a2565):
        a.refresh_from_db()
        assert a.framework_id == "ita-2565" and result_of(a).framework == new
        total = f"{published(result_of(a).total):.2f}"
        assert total_on_page(officer, world.a.pk, a.fiscal_year) == total
        assert total == expected[a.fiscal_year]["total"][1]
    entries = AuditEntry.objects.filter(action=Action.CHANGE, object_type="results.assessment")
    assert entries.count() == 2
    for entry in entries:
        year = 2564 if entry.object_id == str(a2564.pk) else 2565
        assert entry.agency == world.a and entry.actor == world.users["admin"]
        assert entry.before["total"] == expected[year]["total"][0]
        assert entry.after["total"] == expected[year]["total"][1]
        assert entry.after["framework"] == f"ita-2565@{new.version}"
    # a second submit changes nothing
    again = admin.post(apply, {"token": token.group(1)}, follow=True)
    assert "คำนวณใหม่ไปแล้ว" in again.content.decode()
    assert AuditEntry.objects.filter(action=Action.CHANGE).count() == 2
    assert (
        "ไม่มีผลการประเมินที่ยังใช้รุ่นเดิม"
        in admin.get(reverse("frameworks:rescore", args=["ita-2565"])).content.decode()
    )


def test_a_stale_preview_changes_nothing(world: World, db_frameworks: Any) -> None:
    _, a2565 = two_years(world)
    admin = client_for(world, "admin")
    post_upload(admin, corrected(weights=WEIGHTS))
    preview = services.rescore_preview(framework_id="ita-2565")
    assert len(preview.applicable) == 2
    # a newer version is stored after the preview
    post_upload(admin, corrected(version=preview.version + 1, weights=(20, 40, 40)))
    apply = reverse("frameworks:rescore_apply", args=["ita-2565"])
    got = admin.post(apply, {"token": preview.token}, follow=True)
    assert "ตัวอย่างนี้ใช้ไม่ได้แล้ว" in got.content.decode()
    assert not AuditEntry.objects.filter(action=Action.CHANGE).exists()
    assert Assessment.objects.filter(framework_id__startswith="ita-2565@").count() == 2
    # a result changed after the preview
    fresh = services.rescore_preview(framework_id="ita-2565")
    Assessment.objects.filter(pk=a2565.pk).update(scores={**a2565.scores, "o1": 0.0})
    got = admin.post(apply, {"token": fresh.token}, follow=True)
    assert "ตัวอย่างนี้ใช้ไม่ได้แล้ว" in got.content.decode()
    assert Assessment.objects.filter(framework_id__startswith="ita-2565@").count() == 2
    assert not AuditEntry.objects.filter(action=Action.CHANGE).exists()
    # a forged token
    got = admin.post(apply, {"token": "forged"}, follow=True)
    assert "ตัวอย่างนี้ใช้ไม่ได้แล้ว" in got.content.decode()


def test_a_result_the_new_version_cannot_score_stays_as_it_is(
    world: World, db_frameworks: Any
) -> None:
    _, a2565 = two_years(world)
    data = framework_data()
    data["version"] = frameworks.get("ita-2565").version + 1
    oit = data["tools"][2]["indicators"][0]
    group = oit["sub_indicators"][0] if oit.get("sub_indicators") else oit
    removed = group["items"].pop(0)["code"]  # an item the saved scores give
    assert removed in a2565.scores
    assert post_upload(client_for(world, "admin"), yaml_text(data).encode()).status_code == 302
    preview = services.rescore_preview(framework_id="ita-2565")
    refused = {r.assessment.fiscal_year for r in preview.refused}
    assert 2565 in refused
    text = client_for(world, "admin").get(reverse("frameworks:rescore", args=["ita-2565"]))
    assert removed in html.unescape(text.content.decode())
    if preview.token:
        services.rescore_apply(framework_id="ita-2565", token=preview.token, user=None)
    a2565.refresh_from_db()
    assert a2565.framework_id.startswith("ita-2565@")  # untouched


def test_new_results_after_an_upload_use_the_new_version(world: World, db_frameworks: Any) -> None:
    post_upload(client_for(world, "admin"), corrected(weights=WEIGHTS))
    a = saved(world, 2565)
    assert a.framework_id == "ita-2565"
    assert [t.weight for t in result_of(a).framework.tools] == list(WEIGHTS)


def test_yaml_dump_round_trips_the_builtin_framework() -> None:
    # the tests build corrected files by loading and dumping the built-in one
    data = framework_data()
    assert frameworks.parse(yaml_text(data), "x.yaml") == frameworks.get("ita-2565")
    assert yaml.safe_load(yaml_text(data)) == data


def test_scores_stored_as_whole_numbers_rescore_too(world: World, db_frameworks: Any) -> None:
    _, a2565 = two_years(world)
    whole = {k: (int(v) if float(v).is_integer() else v) for k, v in a2565.scores.items()}
    assert any(isinstance(v, int) for v in whole.values())
    Assessment.objects.filter(pk=a2565.pk).update(scores=whole)  # as JSON may give them back
    post_upload(client_for(world, "admin"), corrected(weights=WEIGHTS))
    preview = services.rescore_preview(framework_id="ita-2565")
    done = services.rescore_apply(framework_id="ita-2565", token=preview.token, user=None)
    assert done.applied == 2 and not done.already
    assert not Assessment.objects.filter(framework_id__startswith="ita-2565@").exists()


def test_plan_versions_keep_the_figures_they_were_written_with(
    world: World, db_frameworks: Any
) -> None:
    plan = drafted(world)  # FY2566, from the FY2564 and FY2565 results
    version = plan_selectors.current_version(plan)
    before = plan_analysis(plan_of(version.content))
    assert before is not None
    post_upload(client_for(world, "admin"), corrected(weights=WEIGHTS))
    version.refresh_from_db()
    content = plan_of(version.content)
    assert content.results is not None
    years = [content.results.current, *content.results.history]
    assert {y.framework or content.results.framework for y in years} == {
        f"ita-2565@{before.result.framework.version}"
    }
    after = plan_analysis(content)
    assert after is not None and after.result.total == before.result.total
    entry = AuditEntry.objects.get(object_type="frameworks.frameworkversion")
    assert entry.after["plan_versions_kept_on_previous_version"] == 1
    # everything else in the plan is as it was
    assert content.measures == plan_of(version.content).measures
