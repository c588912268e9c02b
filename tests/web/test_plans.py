"""Measures plans: drafting, versions, stale edits, the diff, and every page for every role."""

from __future__ import annotations

import io
from typing import Any

import docx as python_docx
import pytest
from django.test import Client
from django.urls import reverse

from openita.web.agencies.models import Unit
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from tests.conftest import docx_plain
from tests.web.conftest import World
from tests.web.test_views import ROLES, client_for, saved

READS_A = {"officer_a", "executive_a", "viewer_a", "provincial", "admin"}
WRITES_A = {"officer_a", "admin"}
EIT_UNDER_85 = {"e1", "e2", "e3", "e5", "e6", "e7", "e9", "e10", "e11", "e12", "e14", "e15"}


def drafted(world: World) -> MeasuresPlan:
    saved(world, 2564)
    saved(world, 2565)
    return services.plan_draft(agency=world.a, fiscal_year=2566, user=world.users["officer_a"])


def edited(version: PlanVersion, **changes: Any) -> Any:
    plan = plan_of(version.content)
    measures = [m.model_copy(update=changes) if m.id == "M1" else m for m in plan.measures]
    return plan.model_copy(update={"measures": measures})


# --- services ---------------------------------------------------------------------------------


def test_draft_covers_the_weak_items(world: World) -> None:
    Unit.objects.create(agency=world.a, name="กองคลัง")
    plan = drafted(world)
    version = selectors.current_version(plan)
    assert version.number == 1 and version.created_by == world.users["officer_a"]
    content = plan_of(version.content)
    addressed = {c for m in content.measures for c in m.addresses}
    assert {"i7", "o12", "o20"} | EIT_UNDER_85 <= addressed
    assert content.agency.name == world.a.name and content.agency.units == ["กองคลัง"]
    assert content.agency.province == "ตัวอย่าง" and content.fiscal_year == 2566
    assert content.results is not None and content.results.current.fiscal_year == 2565
    assert [y.fiscal_year for y in content.results.history] == [2564]


def test_draft_refuses_without_results_or_twice(world: World) -> None:
    with pytest.raises(services.PlanRefused, match="2565"):
        services.plan_draft(agency=world.a, fiscal_year=2566, user=None)
    drafted(world)
    with pytest.raises(services.PlanRefused, match="2566"):
        services.plan_draft(agency=world.a, fiscal_year=2566, user=None)
    assert MeasuresPlan.objects.count() == 1


def test_save_creates_versions_and_refuses_stale_edits(world: World) -> None:
    plan = drafted(world)
    first = selectors.current_version(plan)
    officer, admin = world.users["officer_a"], world.users["admin"]
    one = services.plan_save(
        plan=plan, user=admin, content=edited(first, unit="กองช่าง"), base_version=1, note="x"
    )
    assert one.changed and one.version.number == 2 and one.version.note == "x"
    with pytest.raises(services.StaleEdit) as stale:
        services.plan_save(
            plan=plan, user=officer, content=edited(first, unit="กองคลัง"), base_version=1
        )
    assert stale.value.newer.number == 2 and stale.value.author == "admin"
    assert "admin" in str(stale.value)
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    assert plan_of(selectors.current_version(plan).content).measures[0].unit == "กองช่าง"


def test_identical_content_adds_no_version(world: World) -> None:
    plan = drafted(world)
    first = selectors.current_version(plan)
    same = services.plan_save(plan=plan, user=None, content=plan_of(first.content), base_version=1)
    assert not same.changed and same.version == first
    content = edited(first, title="มาตรการใหม่")
    services.plan_save(plan=plan, user=None, content=content, base_version=1)
    again = services.plan_save(plan=plan, user=None, content=content, base_version=1)
    assert not again.changed and again.version.number == 2
    assert PlanVersion.objects.filter(plan=plan).count() == 2


# --- selectors --------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_fields(world: World) -> None:
    plan = drafted(world)
    first = selectors.current_version(plan)
    content = plan_of(first.content)
    m1 = content.measures[0].model_copy(update={"title": "ชื่อใหม่", "rounds": [12]})
    new = content.measures[2].model_copy(update={"id": "M99"})
    measures = [m1, *content.measures[2:], new]  # M2 removed
    changed = content.model_copy(update={"measures": measures, "foreword": "คำนำใหม่"})
    second = services.plan_save(plan=plan, user=None, content=changed, base_version=1).version
    diff = selectors.plan_diff(first, second)
    assert [m.id for m in diff.added] == ["M99"]
    assert [m.id for m in diff.removed] == ["M2"]
    (change,) = diff.changed
    assert change.id == "M1"
    assert {f.name: (f.before, f.after) for f in change.fields} == {
        "มาตรการ": (content.measures[0].title, "ชื่อใหม่"),
        "รอบการรายงาน": ("6, 12", "12"),
    }
    assert diff.foreword is not None and diff.foreword.after == "คำนำใหม่"
    assert selectors.plan_diff(first, first).empty


# --- pages ------------------------------------------------------------------------------------


def read_urls(world: World, plan: MeasuresPlan) -> list[str]:
    a, p = world.a.pk, plan.pk
    return [
        reverse("agency", args=[a]),
        reverse("plans:index", args=[a]),
        reverse("plans:detail", args=[a, p]),
        reverse("plans:diff", args=[a, p]) + "?a=1&b=1",
        reverse("plans:download", args=[a, p, 1, "docx"]),
    ]


def form_data(client: Client, world: World, plan: MeasuresPlan) -> dict[str, Any]:
    """The edit form as the page fills it (every field, as a browser would post it)."""
    response = client.get(reverse("plans:edit", args=[world.a.pk, plan.pk]))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    data: dict[str, Any] = {
        "base_version": form.initial["base_version"],
        "foreword": form.initial["foreword"],
        "note": "",
    }
    for key, value in formset.management_form.initial.items():
        data[f"m-{key}"] = value
    for sub in formset.forms:
        for name, value in (sub.initial or {}).items():
            if name == "deadline":
                value = value.isoformat()
            data[f"{sub.prefix}-{name}"] = value
    return data


@pytest.mark.parametrize("role", [None, *ROLES])
def test_reading_plans_of_agency_a(world: World, role: str | None) -> None:
    plan = drafted(world)
    client = client_for(world, role)
    for url in read_urls(world, plan):
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in READS_A:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, url
    page = client.get(reverse("plans:detail", args=[world.a.pk, plan.pk]))
    if role in READS_A:
        text = page.content.decode()
        assert "M1" in text and "2566" in text and "officer_a" in text
        edit = reverse("plans:edit", args=[world.a.pk, plan.pk])
        assert (edit in text) == (role in WRITES_A)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_editing_plans_of_agency_a(world: World, role: str | None) -> None:
    plan = drafted(world)
    data = form_data(client_for(world, "officer_a"), world, plan)
    data["m-0-title"] = "มาตรการที่แก้แล้ว"
    client = client_for(world, role)
    edit = reverse("plans:edit", args=[world.a.pk, plan.pk])
    get, post = client.get(edit), client.post(edit, data)
    draft = client.post(reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2567})
    if role is None:
        assert get.status_code == post.status_code == draft.status_code == 302
        assert "/accounts/login/" in post["Location"]
    elif role in WRITES_A:
        assert get.status_code == 200 and post.status_code == 302
        assert draft.status_code == 302  # refused with a message: no results for 2566
    else:
        assert get.status_code == post.status_code == draft.status_code == 404
    expected = 2 if role in WRITES_A else 1
    assert PlanVersion.objects.filter(plan=plan).count() == expected


@pytest.mark.parametrize("role", ["officer_a", "viewer_a", "provincial"])
def test_guessed_plan_urls_give_404(world: World, role: str) -> None:
    plan = drafted(world)
    saved_b = MeasuresPlan.objects.create(agency=world.b, fiscal_year=2566)
    other = MeasuresPlan.objects.create(agency=world.c, fiscal_year=2566)
    client = client_for(world, role)
    a = world.a.pk
    for agency, plan_id in ((world.c.pk, other.pk), (424242, plan.pk), (a, other.pk), (a, 999)):
        for url in (
            reverse("plans:index", args=[agency]),
            reverse("plans:detail", args=[agency, plan_id]),
            reverse("plans:edit", args=[agency, plan_id]),
            reverse("plans:diff", args=[agency, plan_id]),
            reverse("plans:download", args=[agency, plan_id, 1, "docx"]),
        ):
            if agency == a and url.endswith("/plans/"):
                continue
            assert client.get(url).status_code == 404, url
    # agency A's id with agency B's plan (same province: the provincial viewer reads both)
    assert client.get(reverse("plans:detail", args=[a, saved_b.pk])).status_code == 404
    assert client.get(reverse("plans:diff", args=[a, plan.pk]) + "?a=1&b=7").status_code == 404
    assert client.get(reverse("plans:download", args=[a, plan.pk, 1, "exe"])).status_code == 404


def test_draft_through_the_page(world: World) -> None:
    saved(world, 2565)
    client = client_for(world, "officer_a")
    page = client.get(reverse("agency", args=[world.a.pk])).content.decode()
    assert "ร่างแผนจากผลการประเมิน" in page and 'value="2566"' in page
    response = client.post(reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2566})
    plan = MeasuresPlan.objects.get(agency=world.a)
    assert response["Location"] == reverse("plans:detail", args=[world.a.pk, plan.pk])
    again = client.post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2566}, follow=True
    )
    assert "มีแผนมาตรการปีงบประมาณ 2566 อยู่แล้ว" in again.content.decode()
    none = client.post(
        reverse("plans:draft", args=[world.a.pk]), {"fiscal_year": 2570}, follow=True
    )
    assert "ยังไม่มีผลการประเมินปีงบประมาณ 2569" in none.content.decode()
    assert MeasuresPlan.objects.count() == 1


def test_edit_adds_removes_and_changes_measures(world: World) -> None:
    plan = drafted(world)
    Unit.objects.create(agency=world.a, name="กองช่าง")
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    count = int(data["m-TOTAL_FORMS"])
    data.update(
        {
            "foreword": "คำนำของเราเอง",
            "note": "ปรับตามที่ประชุม",
            "m-0-unit": "กองช่าง",
            "m-0-deadline": "2023-03-31",
            "m-0-rounds": ["12"],
            "m-0-steps": "ขั้นแรก\n\nขั้นที่สอง\n",
            "m-1-DELETE": "on",
            f"m-{count - 1}-title": "มาตรการที่เพิ่มใหม่",
            f"m-{count - 1}-steps": "ทำสิ่งใหม่",
            f"m-{count - 1}-unit": "กองช่าง",
            f"m-{count - 1}-deadline": "2023-09-30",
            f"m-{count - 1}-rounds": ["6", "12"],
        }
    )
    response = client.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), data)
    assert response.status_code == 302
    version = selectors.current_version(plan)
    assert version.number == 2 and version.note == "ปรับตามที่ประชุม"
    content = plan_of(version.content)
    m1 = content.measures[0]
    assert (m1.unit, m1.deadline.isoformat(), m1.rounds) == ("กองช่าง", "2023-03-31", [12])
    assert m1.steps == ["ขั้นแรก", "ขั้นที่สอง"] and m1.addresses  # addresses kept
    assert "M2" not in {m.id for m in content.measures}
    new = content.measures[-1]
    assert new.title == "มาตรการที่เพิ่มใหม่" and new.id not in {"M1", "M2"}
    assert content.foreword == "คำนำของเราเอง"
    page = client.get(reverse("plans:diff", args=[world.a.pk, plan.pk])).content.decode()
    assert "มาตรการที่เพิ่ม" in page and "มาตรการที่ลบออก" in page and "กองช่าง" in page


def test_bad_input_is_shown_and_nothing_is_saved(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    data.update({"m-0-steps": "  \n", "m-0-deadline": "2030-01-01", "m-0-rounds": []})
    response = client.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "ใส่ขั้นตอนอย่างน้อยหนึ่งบรรทัด" in page
    assert "กำหนดแล้วเสร็จต้องอยู่ในปีงบประมาณ 2566" in page
    assert "เลือกรอบการรายงานอย่างน้อยหนึ่งรอบ" in page
    total = int(data["m-TOTAL_FORMS"]) - 1
    every = {f"m-{n}-DELETE": "on" for n in range(total)}
    response = client.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), data | every)
    assert "แผนต้องมีมาตรการอย่างน้อยหนึ่งมาตรการ" in response.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_stale_edit_through_the_page(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = form_data(officer, world, plan), form_data(admin, world, plan)
    theirs["m-0-title"] = "ฉบับของผู้ดูแล"
    assert admin.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), theirs).status_code == 302
    mine["m-0-title"] = "ข้อความที่ยังไม่ได้บันทึกของฉัน"
    response = officer.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "มีผู้อื่นบันทึกแผนนี้ก่อนคุณ" in page and "admin" in page and "ฉบับที่ 2" in page
    assert "ข้อความที่ยังไม่ได้บันทึกของฉัน" in page  # the input is kept
    assert 'name="base_version" value="2"' in page
    current = plan_of(selectors.current_version(plan).content)
    assert current.measures[0].title == "ฉบับของผู้ดูแล"  # nothing overwritten
    # Saving again, after being told, builds on version 2 deliberately.
    mine["base_version"] = 2
    assert officer.post(reverse("plans:edit", args=[world.a.pk, plan.pk]), mine).status_code == 302
    assert selectors.current_version(plan).number == 3


def test_double_submit_saves_once(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    data["m-0-title"] = "ส่งสองครั้ง"
    url = reverse("plans:edit", args=[world.a.pk, plan.pk])
    assert client.post(url, data).status_code == 302
    second = client.post(url, data, follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in second.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_docx_download_of_a_version(world: World) -> None:
    plan = drafted(world)
    response = client_for(world, "viewer_a").get(
        reverse("plans:download", args=[world.a.pk, plan.pk, 1, "docx"])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ita-plan-2566-v1.docx"'
    document = python_docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    text = docx_plain(text)
    first = plan_of(plan.versions.order_by("number").first().content).measures[0]
    assert world.a.name in text and first.title in text and "M1" not in text  # numbered 1.1
