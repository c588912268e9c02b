"""Records that stay true (issue 11): a decided request keeps its own decision and memo; only
what was approved is published; only the agency's executives decide; every admin page is
read-only or audited; a round's report needs an approved plan and some progress; open data
cells never run as formulas."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from openita.documents import pdf
from openita.web.agencies.models import Agency, Membership, Role
from openita.web.approvals import selectors, services
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.admin_base import AuditedAdmin
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.publishing import opendata
from openita.web.publishing import services as publishing
from openita.web.results.models import Assessment
from openita.web.ui.cells import safe_cell
from tests.web.conftest import World
from tests.web.test_approvals import decide, docx_text, submit, with_progress, with_signers
from tests.web.test_plans import drafted
from tests.web.test_views import client_for


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch: Any) -> None:
    monkeypatch.setattr(pdf, "render_pdf", lambda document: b"%PDF-1.7 stand-in\n")


def memo_of(client: Client, world: World, request: ApprovalRequest) -> str:
    address = reverse("approvals:memo", args=[world.a.pk, request.plan_id, request.pk, "docx"])
    response = client.get(address)
    assert response.status_code == 200
    return docx_text(response.content)


# --- a decided request is history --------------------------------------------------------------


def test_a_rejected_requests_memo_stays_rejected_after_the_same_version_is_approved(
    world: World,
) -> None:
    plan = drafted(world)
    with_signers(world, plan)
    rejected = submit(world, plan, Subject.PROGRESS_6)
    decide(world, rejected, approve=False, reason="ขอให้แนบหลักฐานการประชุม")
    again = submit(world, plan, Subject.PROGRESS_6)  # the same version, unchanged
    assert again.pk != rejected.pk and again.version == rejected.version
    decide(world, again)
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED and rejected.reason == "ขอให้แนบหลักฐานการประชุม"
    client = client_for(world, "officer_a")
    old = memo_of(client, world, rejected)
    assert "☑ ไม่เห็นชอบ" in old and "ขอให้แนบหลักฐานการประชุม" in old
    assert "☑ เห็นชอบและอนุมัติ" not in old
    new = memo_of(client, world, again)
    assert "☑ เห็นชอบและอนุมัติ" in new and "ขอให้แนบหลักฐานการประชุม" not in new
    # Each request's memo is its own decision.
    again.refresh_from_db()
    assert selectors.plan_with_decisions(rejected.version, rejected).memos[6].decision == "rejected"
    assert selectors.plan_with_decisions(again.version, again).memos[6].decision == "approved"


# --- only what was approved is published -------------------------------------------------------


def test_publishing_the_plan_leaves_out_a_rejected_rounds_progress(world: World) -> None:
    plan = drafted(world)
    # The officer records the 6-month progress before the plan is approved: the approved plan
    # version then carries progress, which the plan's approval does not cover.
    version = with_progress(world, plan, 6, "ผลที่ผู้บริหารไม่อนุมัติ")
    decide(world, submit(world, plan))
    report = submit(world, plan, Subject.PROGRESS_6)
    assert report.version == version
    decide(world, report, approve=False, reason="ผลยังไม่ครบ")
    assert publishing.approved_rounds(version, Subject.PLAN) == ()
    published = publishing.publication_publish(
        plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
    ).publication
    files = {f.kind: bytes(f.data) for f in published.files.all()}
    data = json.loads(files["json"])
    assert all(m["progress"] == {} for m in data["measures"])
    text = files["csv"].decode("utf-8-sig")
    assert "ผลที่ผู้บริหารไม่อนุมัติ" not in text
    assert "ผลที่ผู้บริหารไม่อนุมัติ" not in files["json"].decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(r["round6_status"] == "" and r["round6_percent"] == "" for r in rows)
    # Once the report is corrected and approved, its progress goes out with its own
    # publication, and not the 12-month round's, which nobody approved.
    corrected = with_progress(world, plan, 6, "ผลที่แก้แล้ว")
    with_progress(world, plan, 12, "รอบ 12 ยังไม่เสนอ")
    again = submit(world, plan, Subject.PROGRESS_6)
    decide(world, again)
    current = plan_selectors.current_version(plan)
    assert corrected.number < current.number
    assert publishing.approved_rounds(current, Subject.PLAN) == (6,)
    report_pub = publishing.publication_publish(
        plan=plan, version=current, subject=Subject.PROGRESS_6, user=world.users["officer_a"]
    ).publication
    data = json.loads(bytes(report_pub.files.get(kind="json").data))
    assert any(m["progress"].get("6", {}).get("done") == "ผลที่แก้แล้ว" for m in data["measures"])
    assert all("12" not in m["progress"] for m in data["measures"])


# --- who signs is who decided ------------------------------------------------------------------


def test_the_site_admin_cannot_decide_for_the_executive(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, "admin")
    page = client.get(reverse("approvals:detail", args=[world.a.pk, plan.pk, request.pk]))
    assert page.status_code == 200 and 'name="decision"' not in page.content.decode()
    address = reverse("approvals:decide", args=[world.a.pk, plan.pk, request.pk])
    assert client.post(address, {"decision": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED and request.decided_by is None
    # An admin who is also the agency's executive decides as that executive.
    Membership.objects.create(user=world.users["admin"], agency=world.a, role=Role.EXECUTIVE)
    assert client.post(address, {"decision": "approve"}).status_code == 302
    request.refresh_from_db()
    assert request.decided_by == world.users["admin"]


# --- every change of a record is in the audit log, admin included ------------------------------


def test_every_admin_page_of_the_app_is_read_only_or_audited(rf: Any, world: World) -> None:
    request = rf.get("/admin/")
    request.user = world.users["admin"]
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("openita."):
            continue
        checked += 1
        if isinstance(model_admin, AuditedAdmin):
            continue
        name = model.__name__
        assert not model_admin.has_add_permission(request), name
        assert not model_admin.has_change_permission(request), name
        assert not model_admin.has_delete_permission(request), name
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), name
    assert checked >= 12


def test_a_saved_result_cannot_be_changed_in_the_admin(world: World) -> None:
    from tests.web.test_plans import saved

    found = saved(world, 2565)
    assessment = Assessment.objects.get(pk=found.pk)
    client = client_for(world, "admin")
    address = reverse("admin:results_assessment_change", args=[assessment.pk])
    assert client.get(address).status_code == 200  # to look at
    response = client.post(address, {"fiscal_year": 2565, "scores": "{}"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.scores == found.scores
    assert (
        client.post(
            reverse("admin:results_assessment_delete", args=[assessment.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_admin_changes_to_an_agency_are_in_its_audit_log(world: World) -> None:
    client = client_for(world, "admin")
    address = reverse("admin:agencies_agency_change", args=[world.a.pk])
    before = AuditEntry.objects.count()
    form = {
        "name": "เทศบาลตำบลตัวอย่างใหม่",
        "kind": world.a.kind,
        "province": world.a.province,
        "district": "",
        "parent": "",
        **{
            f"{p}-{k}": "0"
            for p in ("units", "memberships")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = client.post(address, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == before + 1 and entry is not None
    assert entry.action == Action.CHANGE and entry.agency == world.a
    assert entry.actor == world.users["admin"] and "ทางหน้าผู้ดูแลระบบ" in entry.summary
    assert entry.before["name"] == "เทศบาลตำบลตัวอย่าง"
    assert entry.after["name"] == "เทศบาลตำบลตัวอย่างใหม่"
    # A role granted in the admin is recorded against the agency too.
    membership = reverse("admin:agencies_membership_add")
    response = client.post(
        membership, {"user": world.users["officer_b"].pk, "agency": world.a.pk, "role": "viewer"}
    )
    assert response.status_code == 302
    granted = AuditEntry.objects.order_by("-id").first()
    assert granted is not None and granted.action == Action.CREATE and granted.agency == world.a
    Agency.objects.get(pk=world.a.pk)


# --- a round's report is submitted when there is something approved to report on -------------


def test_a_rounds_report_needs_the_plan_approved_first(world: World) -> None:
    plan = drafted(world)
    with_progress(world, plan, 6, "ประชุมแล้ว")
    with pytest.raises(services.ApprovalRefused) as refused:
        services.request_submit(
            plan=plan, subject=Subject.PROGRESS_6, user=world.users["officer_a"]
        )
    assert "แผนมาตรการฉบับนี้ยังไม่ได้รับอนุมัติ" in str(refused.value)
    client = client_for(world, "officer_a")
    address = reverse("approvals:submit", args=[world.a.pk, plan.pk])
    response = client.post(address, {"subject": "progress6"})
    assert response.status_code == 409
    assert "โปรดเสนอแผนมาตรการก่อน" in response.content.decode()
    assert not ApprovalRequest.objects.exists()


def test_an_empty_rounds_report_is_not_submitted(world: World) -> None:
    plan = drafted(world)
    decide(world, submit(world, plan))
    client = client_for(world, "officer_a")
    address = reverse("approvals:submit", args=[world.a.pk, plan.pk])
    response = client.post(address, {"subject": "progress12"})
    assert response.status_code == 400
    assert "ยังไม่ได้บันทึกผลการดำเนินงานของมาตรการใดในรอบนี้" in response.content.decode()
    assert not ApprovalRequest.objects.filter(subject=Subject.PROGRESS_12).exists()
    # Something reported in the round, and the plan still approved: it goes.
    with_progress(world, plan, 12, "ดำเนินการครบแล้ว")
    assert client.post(address, {"subject": "progress12"}).status_code == 302
    assert ApprovalRequest.objects.filter(subject=Subject.PROGRESS_12).count() == 1


# --- open data that a spreadsheet opens safely --------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rline", "'\rline"),
        ("-5", "-5"),
        ("+3.5", "+3.5"),
        (-5, -5),
        (100, 100),
        ("ประชุม = ดี", "ประชุม = ดี"),
        ("", ""),
    ],
)
def test_safe_cell(given: Any, expected: Any) -> None:
    assert safe_cell(given) == expected


def test_open_data_csv_neutralises_formulas_and_json_keeps_the_text(world: World) -> None:
    plan = drafted(world)
    current = plan_selectors.current_version(plan)
    content = plan_of(current.content)
    first = content.measures[0].model_copy(
        update={"title": "=1+1 ประชุม", "steps": ["@SUM(A1)", "-ลงพื้นที่"], "unit": "+กองคลัง"}
    )
    changed = content.model_copy(update={"measures": [first, *content.measures[1:]]})
    version = plan_services.plan_save(
        plan=plan, user=world.users["officer_a"], content=changed, base_version=current.number
    ).version
    rows = list(
        csv.DictReader(io.StringIO(opendata.plan_csv(plan_of(version.content)).decode("utf-8-sig")))
    )
    assert rows[0]["title"] == "'=1+1 ประชุม" and rows[0]["unit"] == "'+กองคลัง"
    assert rows[0]["steps"] == "'@SUM(A1)\n-ลงพื้นที่"
    assert rows[0]["round6_percent"] in ("0", "")  # numbers stay numbers
    data = json.loads(
        opendata.plan_json(
            plan_of(version.content),
            subject="plan",
            version=version.number,
            approved_at=None,
            published_at=version.created_at,
        )
    )
    assert data["measures"][0]["title"] == "=1+1 ประชุม"
    assert data["measures"][0]["steps"] == ["@SUM(A1)", "-ลงพื้นที่"]


def test_the_plan_page_says_why_a_report_cannot_be_submitted_yet(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    address = reverse("plans:detail", args=[world.a.pk, plan.pk])
    page = client.get(address).content.decode()
    assert 'name="subject" value="plan"' in page
    assert 'value="progress6"' not in page and 'value="progress12"' not in page
    assert page.count("โปรดเสนอแผนมาตรการก่อน") == 2
    decide(world, submit(world, plan))
    with_progress(world, plan, 6, "ประชุมแล้ว")
    page = client.get(address).content.decode()
    assert 'value="progress6"' in page and 'value="progress12"' not in page
    assert "ยังไม่ได้บันทึกผลการดำเนินงานของมาตรการใดในรอบนี้" in page
