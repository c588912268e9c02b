"""The home page: a provincial office sees each of its agencies' status at a glance (results,
plan, rounds, publishing); an executive sees what awaits a decision."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openita.web.agencies.models import AgencyKind
from openita.web.agencies.services import agency_create
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.services import plan_save
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for


def row_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_provincial_list_shows_each_agencys_status(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    content = plan_of(version.content)
    first = content.measures[0]
    done = first.model_copy(
        update={"progress": {6: {"status": "done", "percent": 100, "done": "เสร็จแล้ว"}}}
    )
    plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": [done, *content.measures[1:]]}),
        base_version=version.number,
    )
    ApprovalRequest.objects.create(
        plan=plan,
        version=plan_selectors.current_version(plan),
        subject=Subject.PLAN,
        submitted_by=world.users["officer_a"],
    )
    page = client_for(world, "provincial").get(reverse("home")).content.decode()
    a, b = row_of(page, world.a.name), row_of(page, world.b.name)
    reporting = sum(1 for m in content.measures if 6 in m.rounds)
    assert "2565" in a and "2566" in a and "ฉบับที่ 2" in a and "รอพิจารณา" in a
    assert f"เสร็จ 1/{reporting}" in a and "ยังไม่เผยแพร่" in a
    assert "ยังไม่มีผลการประเมิน" in b and "ยังไม่มีแผน" in b
    assert world.c.name not in page  # another province


def test_home_queries_do_not_grow_with_agencies(world: World) -> None:
    drafted(world)
    client = client_for(world, "admin")  # sees all three agencies
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(6):
        agency_create(name=f"เทศบาลตำบลที่ {n}", kind=AgencyKind.TAMBON, province="ตัวอย่าง")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


def test_executive_home_lists_what_awaits_a_decision(world: World) -> None:
    plan = drafted(world)
    request = ApprovalRequest.objects.create(
        plan=plan,
        version=plan_selectors.current_version(plan),
        subject=Subject.PLAN,
        submitted_by=world.users["officer_a"],
    )
    page = client_for(world, "executive_a").get(reverse("home")).content.decode()
    detail = reverse("approvals:detail", args=[world.a.pk, plan.pk, request.pk])
    assert "รอการพิจารณาของท่าน" in page and f'href="{detail}"' in page
    assert (
        "รอการพิจารณาของท่าน"
        not in client_for(world, "officer_a").get(reverse("home")).content.decode()
    )
    ApprovalRequest.objects.filter(pk=request.pk).update(status=Status.APPROVED)
    page = client_for(world, "executive_a").get(reverse("home")).content.decode()
    assert "รอการพิจารณาของท่าน" not in page and "อนุมัติแล้ว" in row_of(page, world.a.name)


def test_a_plan_changed_since_its_approval_says_so(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    ApprovalRequest.objects.create(
        plan=plan,
        version=version,
        subject=Subject.PLAN,
        status=Status.APPROVED,
        submitted_by=world.users["officer_a"],
    )
    client = client_for(world, "executive_a")
    assert "อนุมัติแล้ว" in row_of(client.get(reverse("home")).content.decode(), world.a.name)
    content = plan_of(version.content)
    first = content.measures[0].model_copy(update={"title": "ชื่อใหม่หลังอนุมัติ"})
    plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": [first, *content.measures[1:]]}),
        base_version=version.number,
    )
    row = row_of(client.get(reverse("home")).content.decode(), world.a.name)
    assert "แก้ไขหลังอนุมัติ" in row and "อนุมัติแล้ว" not in row
