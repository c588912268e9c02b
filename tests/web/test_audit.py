"""The audit log: services record who/what/before/after; only executives (and auditors,
superusers) of the agency read it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openita.web.agencies.models import Role
from openita.web.agencies.services import membership_grant
from openita.web.audit.models import Action, AuditEntry
from openita.web.audit.selectors import changes_of
from openita.web.audit.services import record
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.results.services import changed_scores
from tests.web.conftest import World
from tests.web.test_plans import drafted, edited
from tests.web.test_views import ROLES, client_for, saved

LOG_READERS = {"executive_a", "admin"}


def entries(world: World, action: Action | None = None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(agency=world.a)
    if action is not None:
        found = found.filter(action=action)
    return list(found.order_by("at", "id"))


def test_results_saves_are_logged_with_only_the_changed_codes(world: World) -> None:
    saved(world, 2565)
    saved(world, 2565)  # the same file again: nothing changes, nothing is logged
    [created] = [e for e in entries(world) if e.object_type == "results.assessment"]
    assert created.action == Action.CREATE and "2565" in created.summary
    assert created.before is None
    assert created.after is not None and len(created.after) > 20  # every figure given
    assessment = world.a.assessments.get(fiscal_year=2565)
    assert created.object_id == str(assessment.pk)
    assert created.after == {k: v for k, v in sorted(assessment.scores.items())}


def test_the_agency_itself_is_logged_when_created(world: World) -> None:
    [made] = [e for e in entries(world) if e.object_type == "agencies.agency"]
    assert made.action == Action.CREATE and made.after["province"] == "ตัวอย่าง"


@pytest.mark.parametrize(
    ("before", "after", "old", "new"),
    [
        ({"i1": 90.0, "i2": 80.0}, {"i1": 90.0, "i2": 81.0}, {"i2": 80.0}, {"i2": 81.0}),
        ({"i1": 90.0}, {"i1": 90.0, "o1": 100.0}, {"o1": None}, {"o1": 100.0}),
        ({"i1": 90.0, "o1": 0.0}, {"i1": 90.0}, {"o1": 0.0}, {"o1": None}),
        ({"i1": 90.0}, {"i1": 90.0}, {}, {}),
    ],
)
def test_changed_scores(before: dict, after: dict, old: dict, new: dict) -> None:
    assert changed_scores(before, after) == (old, new)


def test_plan_draft_and_saves_are_logged_with_their_versions(world: World) -> None:
    plan = drafted(world)
    officer = world.users["officer_a"]
    version = plan.versions.get(number=1)
    plan_services.plan_save(
        plan=plan, user=officer, content=edited(version, unit="กองคลัง"), base_version=1
    )
    # A double submit of the same content adds neither a version nor an entry.
    plan_services.plan_save(
        plan=plan, user=officer, content=edited(version, unit="กองคลัง"), base_version=1
    )
    logged = [e for e in entries(world) if e.object_type == "plans.measuresplan"]
    assert [(e.action, e.after) for e in logged] == [
        (Action.CREATE, {"version": 1, "measures": len(plan_of(version.content).measures)}),
        (Action.CHANGE, {"version": 2}),
    ]
    assert logged[1].before == {"version": 1}
    assert logged[1].actor == officer and logged[1].actor_label == "officer_a"


def test_a_save_without_an_account_names_the_person(world: World) -> None:
    plan = drafted(world)
    version = plan.versions.get(number=1)
    plan_services.plan_save(
        plan=plan,
        user=None,
        content=edited(version, unit="กองช่าง"),
        base_version=1,
        actor_label="นายช่าง ตัวอย่าง (ลิงก์ส่วนงาน)",
    )
    last = entries(world, Action.CHANGE)[-1]
    assert last.actor is None and last.actor_label == "นายช่าง ตัวอย่าง (ลิงก์ส่วนงาน)"


def test_role_changes_are_logged_once(world: World) -> None:
    user = world.users["viewer_a"]
    membership_grant(user=user, agency=world.a, role=Role.VIEWER)  # unchanged: no entry
    membership_grant(user=user, agency=world.a, role=Role.OFFICER, actor=world.users["admin"])
    changed = [e for e in entries(world) if e.object_type == "agencies.membership"]
    assert changed[-1].before == {"role": "viewer"} and changed[-1].after == {"role": "officer"}
    assert changed[-1].actor_label == "admin"
    assert sum(1 for e in changed if e.before == {"role": "viewer"}) == 1


def test_changes_are_shown_field_by_field_in_words() -> None:
    entry = AuditEntry(before={"unit": "สำนักปลัด", "n": 1}, after={"unit": "กองคลัง", "m": [1]})
    shown = [(c.field, c.before, c.after) for c in changes_of(entry)]
    assert shown == [("ส่วนงาน", "สำนักปลัด", "กองคลัง"), ("n", "1", "-"), ("m", "-", "1")]


@pytest.mark.parametrize("role", [*ROLES, None])
def test_who_reads_the_log(world: World, role: str | None) -> None:
    record(
        actor=world.users["officer_a"],
        agency=world.a,
        action=Action.PUBLISH,
        summary="เผยแพร่แผนทดสอบ",
        after={"sha256": "ab" * 32},
    )
    url = reverse("audit:log", args=[world.a.pk])
    response = client_for(world, role).get(url)
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if role in LOG_READERS:
        assert response.status_code == 200
        page = response.content.decode()
        assert "เผยแพร่แผนทดสอบ" in page and "officer_a" in page and "ab" * 32 in page
    else:
        assert response.status_code == 404
    agency_page = client_for(world, role).get(reverse("agency", args=[world.a.pk]))
    assert (url in agency_page.content.decode()) == (role in LOG_READERS)


def test_the_log_filters_by_action_and_pages(world: World) -> None:
    for n in range(55):
        record(actor=None, agency=world.a, action=Action.CHANGE, summary=f"แก้ไขครั้งที่ {n}")
    record(actor=None, agency=world.a, action=Action.APPROVE, summary="อนุมัติแผน")
    record(actor=None, agency=world.b, action=Action.APPROVE, summary="ของหน่วยงานอื่น")
    client = client_for(world, "executive_a")
    url = reverse("audit:log", args=[world.a.pk])
    approved = client.get(url, {"action": "approve"}).content.decode()
    assert "อนุมัติแผน" in approved and "แก้ไขครั้งที่" not in approved
    assert "ของหน่วยงานอื่น" not in approved
    first = client.get(url).content.decode()
    assert "อนุมัติแผน" in first and "แก้ไขครั้งที่ 54" in first and "แก้ไขครั้งที่ 4<" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "แก้ไขครั้งที่ 4<" in second and "แก้ไขครั้งที่ 0<" in second
    # An unknown action or page is not an error: the whole log, the last page.
    assert client.get(url, {"action": "x", "page": "99"}).status_code == 200
