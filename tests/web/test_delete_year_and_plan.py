"""Deleting a wrongly uploaded year or a wrongly drafted plan: the button asks first, the
deletion is in the audit log (with what was deleted), and what was approved or published
is refused with the reason."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for, saved


def year_url(world: World, year: int) -> str:
    return reverse("results:delete", args=[world.a.pk, year])


def plan_url(world: World, plan: MeasuresPlan) -> str:
    return reverse("plans:delete", args=[world.a.pk, plan.pk])


def test_deleting_a_year_asks_first_and_keeps_it_in_the_log(world: World) -> None:
    saved(world, 2565)
    officer = client_for(world, "officer_a")
    detail = officer.get(reverse("results:detail", args=[world.a.pk, 2565])).content.decode()
    assert f'action="{year_url(world, 2565)}"' in detail
    asked = officer.post(year_url(world, 2565))
    assert asked.status_code == 200 and 'name="confirm" value="1"' in asked.content.decode()
    assert Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()
    scores = Assessment.objects.get(agency=world.a, fiscal_year=2565).scores
    assert officer.post(year_url(world, 2565), {"confirm": "1"}).status_code == 302
    assert not Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()
    entry = AuditEntry.objects.filter(agency=world.a, action=Action.DELETE).latest("id")
    assert "2565" in entry.summary and entry.before["scores"] == scores
    assert entry.actor == world.users["officer_a"]


def test_only_editors_of_the_agency_delete(world: World) -> None:
    saved(world, 2565)
    for role in ("viewer_a", "executive_a", "officer_b", "provincial"):
        response = client_for(world, role).post(year_url(world, 2565), {"confirm": "1"})
        assert response.status_code == 404, role
    assert Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()


def test_a_year_behind_an_approved_plan_is_refused_with_the_reason(world: World) -> None:
    plan = drafted(world)  # from the 2565 results
    ApprovalRequest.objects.create(
        plan=plan,
        version=plan_selectors.current_version(plan),
        subject=Subject.PLAN,
        status=Status.APPROVED,
        submitted_by=world.users["officer_a"],
        decided_by=world.users["executive_a"],
        decided_at=timezone.now(),
    )
    officer = client_for(world, "officer_a")
    refused = officer.post(year_url(world, 2565), {"confirm": "1"})
    assert refused.status_code == 409
    assert "แผนมาตรการปี 2566 ที่ร่างจากผลนี้ได้รับอนุมัติแล้ว" in refused.content.decode()
    assert Assessment.objects.filter(agency=world.a, fiscal_year=2565).exists()
    # ... and so is the approved plan itself
    refused = officer.post(plan_url(world, plan), {"confirm": "1"})
    assert refused.status_code == 409 and "อนุมัติ" in refused.content.decode()
    assert MeasuresPlan.objects.filter(pk=plan.pk).exists()


def test_deleting_a_drafted_plan_then_drafting_again(world: World) -> None:
    plan = drafted(world)
    ApprovalRequest.objects.create(  # an old, withdrawn request holds a version
        plan=plan,
        version=plan_selectors.current_version(plan),
        subject=Subject.PLAN,
        status=Status.WITHDRAWN,
        submitted_by=world.users["officer_a"],
    )
    officer = client_for(world, "officer_a")
    asked = officer.post(plan_url(world, plan))
    assert asked.status_code == 200 and MeasuresPlan.objects.filter(pk=plan.pk).exists()
    done = officer.post(plan_url(world, plan), {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("plans:index", args=[world.a.pk])
    assert not MeasuresPlan.objects.filter(pk=plan.pk).exists()
    assert not PlanVersion.objects.filter(plan_id=plan.pk).exists()
    entry = AuditEntry.objects.filter(agency=world.a, action=Action.DELETE).latest("id")
    assert "2566" in entry.summary and entry.before["measures"][0].startswith("M1 ")
    index = officer.get(reverse("plans:index", args=[world.a.pk])).content.decode()
    assert 'name="fiscal_year" value="2566"' in index  # it can be drafted again


def test_a_plan_awaiting_a_decision_is_refused(world: World) -> None:
    plan = drafted(world)
    ApprovalRequest.objects.create(
        plan=plan,
        version=plan_selectors.current_version(plan),
        subject=Subject.PLAN,
        submitted_by=world.users["officer_a"],
    )
    refused = client_for(world, "officer_a").post(plan_url(world, plan), {"confirm": "1"})
    assert refused.status_code == 409 and "ถอนเรื่องก่อน" in refused.content.decode()
    assert MeasuresPlan.objects.filter(pk=plan.pk).exists()
