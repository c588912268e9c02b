"""Submitting a plan or a round's progress report to the executive, and the decision: the
services (double submit, decide once, reasons, superseded requests, the approval lock), the
pages for every role, the notifications, the audit log, and the memo's approval block."""

from __future__ import annotations

import io
from typing import Any

import docx as python_docx
import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from openita.documents.model import Approval
from openita.plans.schema import Memo, Person, Progress, Signers
from openita.text import thai
from openita.web.approvals import demo as approvals_demo
from openita.web.approvals import selectors, services
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from tests.conftest import docx_plain
from tests.web.conftest import World
from tests.web.test_plans import READS_A, drafted, edited
from tests.web.test_views import ROLES, client_for

DECIDES_A = {"executive_a"}  # the site admin does not decide for the executive
SUBMITS_A = {"officer_a", "admin"}


def submit(world: World, plan: MeasuresPlan, subject: Subject = Subject.PLAN) -> ApprovalRequest:
    """Submit ``subject``; a round's report first gets what it needs (the plan approved, some
    progress in that round), as an officer would do."""
    if subject != Subject.PLAN:
        ready_for_round(world, plan, 6 if subject == Subject.PROGRESS_6 else 12)
    done = services.request_submit(plan=plan, subject=subject, user=world.users["officer_a"])
    return done.request


def ready_for_round(world: World, plan: MeasuresPlan, months: int) -> None:
    current = plan_selectors.current_version(plan)
    if selectors.identical_approval(current, Subject.PLAN) is None:
        decide(world, submit(world, plan))
    measures = plan_of(current.content).measures
    if not any(months in m.progress for m in measures):
        with_progress(world, plan, months, "ดำเนินการตามแผน")


def decide(world: World, request: ApprovalRequest, approve: bool = True, reason: str = "") -> Any:
    return services.request_decide(
        request=request, user=world.users["executive_a"], approve=approve, reason=reason
    )


def new_version(world: World, plan: MeasuresPlan, title: str = "มาตรการที่แก้แล้ว") -> PlanVersion:
    current = plan_selectors.current_version(plan)
    saved = plan_services.plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=edited(current, title=title),
        base_version=current.number,
    )
    assert saved.changed
    return saved.version


def with_signers(world: World, plan: MeasuresPlan) -> PlanVersion:
    current = plan_selectors.current_version(plan)
    content = plan_of(current.content)
    signers = Signers(
        officer=Person(name="นายหนึ่ง ใจดี", position="นิติกร"),
        executive=Person(name="นายสอง ใจงาม", position="นายกเทศมนตรี"),
    )
    agency = content.agency.model_copy(update={"signers": signers})
    return plan_services.plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=content.model_copy(update={"agency": agency}),
        base_version=current.number,
    ).version


def docx_text(data: bytes) -> str:
    document = python_docx.Document(io.BytesIO(data))
    cells = (c.text for t in document.tables for r in t.rows for c in r.cells)
    return docx_plain("\n".join([*(p.text for p in document.paragraphs), *cells]))


# --- services ---------------------------------------------------------------------------------


def test_submit_records_audits_and_mails_the_executives(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = drafted(world)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.request_submit(
            plan=plan,
            subject=Subject.PLAN,
            user=world.users["officer_a"],
            note="โปรดพิจารณา",
            link="http://testserver/x",
        )
    assert done.created
    request = done.request
    assert request.status == Status.SUBMITTED and request.version.number == 1
    assert request.note == "โปรดพิจารณา"
    entry = AuditEntry.objects.get(action=Action.SUBMIT)
    assert entry.agency == world.a and entry.object_id == str(request.pk)
    assert entry.after["subject"] == "plan" and entry.after["version"] == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["executive_a@example.invalid"]
    assert "http://testserver/x" in mail.outbox[0].body


def test_executives_without_an_address_are_skipped(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    executive = world.users["executive_a"]
    executive.email = ""
    executive.save()
    plan = drafted(world)
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, plan)
    assert mail.outbox == []


def test_double_submit_adds_nothing(world: World) -> None:
    plan = drafted(world)
    first = submit(world, plan)
    again = services.request_submit(plan=plan, subject=Subject.PLAN, user=world.users["admin"])
    assert not again.created and again.request.pk == first.pk
    assert ApprovalRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.SUBMIT).count() == 1
    # Another subject is another request.
    submit(world, plan, Subject.PROGRESS_6)
    assert ApprovalRequest.objects.count() == 2


def test_concurrent_submit_race_returns_the_winner(world: World, monkeypatch: Any) -> None:
    plan = drafted(world)
    winner = ApprovalRequest.objects.create(
        plan=plan, version=plan_selectors.current_version(plan), subject=Subject.PLAN
    )
    real = selectors.open_request
    calls = {"n": 0}

    def not_yet(plan: MeasuresPlan, subject: Subject) -> ApprovalRequest | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(plan, subject)  # the other one commits now

    monkeypatch.setattr(selectors, "open_request", not_yet)
    done = services.request_submit(plan=plan, subject=Subject.PLAN, user=world.users["officer_a"])
    assert not done.created and done.request.pk == winner.pk
    assert ApprovalRequest.objects.count() == 1


def test_the_constraint_allows_one_open_request_per_subject(world: World) -> None:
    plan = drafted(world)
    submit(world, plan)
    with pytest.raises(IntegrityError):
        ApprovalRequest.objects.create(
            plan=plan, version=plan_selectors.current_version(plan), subject=Subject.PLAN
        )


def test_approve(world: World, django_capture_on_commit_callbacks: Any) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    with django_capture_on_commit_callbacks(execute=True):
        decided = decide(world, request)
    assert decided.status == Status.APPROVED
    assert decided.decided_by == world.users["executive_a"] and decided.decided_at is not None
    version = plan_selectors.current_version(plan)
    assert selectors.approval_of(version, Subject.PLAN) == decided
    assert selectors.latest_approved(plan, Subject.PLAN) == decided
    entry = AuditEntry.objects.get(action=Action.APPROVE)
    assert entry.before["status"] == "submitted" and entry.after["status"] == "approved"
    assert [m.to for m in mail.outbox] == [["officer_a@example.invalid"]]
    assert "อนุมัติแล้ว" in mail.outbox[0].subject


def test_reject_needs_a_reason(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    with pytest.raises(services.ApprovalRefused) as refused:
        decide(world, request, approve=False, reason="  ")
    assert refused.value.status == 400 and "เหตุผล" in str(refused.value)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    decided = decide(world, request, approve=False, reason="ขอให้เพิ่มมาตรการด้าน OIT")
    assert decided.status == Status.REJECTED and decided.reason == "ขอให้เพิ่มมาตรการด้าน OIT"
    assert AuditEntry.objects.filter(action=Action.REJECT).count() == 1
    assert selectors.approval_of(request.version, Subject.PLAN) is None
    # After a rejection the officer may submit again.
    assert submit(world, plan).pk != request.pk


def test_deciding_twice_is_refused(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    decide(world, request)
    with pytest.raises(services.ApprovalRefused) as refused:
        decide(world, request, approve=False, reason="เปลี่ยนใจ")
    assert refused.value.status == 409
    assert "อนุมัติแล้ว" in str(refused.value) and "executive_a" in str(refused.value)
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.reason == ""
    assert AuditEntry.objects.filter(action__in=[Action.APPROVE, Action.REJECT]).count() == 1


def test_only_executives_decide(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    # The site admin is not the agency's executive: the memo would print the executive's name
    # under a decision the admin took.
    for name in ("officer_a", "viewer_a", "provincial", "officer_b", "admin"):
        with pytest.raises(services.ApprovalRefused) as refused:
            services.request_decide(request=request, user=world.users[name], approve=True)
        assert refused.value.status == 403
    assert services.request_decide(request=request, user=world.users["executive_a"], approve=True)


def test_withdraw(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    with pytest.raises(services.ApprovalRefused) as refused:
        services.request_withdraw(request=request, user=world.users["executive_a"])
    assert refused.value.status == 403
    withdrawn = services.request_withdraw(request=request, user=world.users["officer_a"])
    assert withdrawn.status == Status.WITHDRAWN
    entry = AuditEntry.objects.get(
        object_type="approvals.approvalrequest", object_id=str(request.pk), action=Action.CHANGE
    )
    assert entry.after["status"] == "withdrawn"
    with pytest.raises(services.ApprovalRefused) as refused:
        decide(world, request)
    assert refused.value.status == 409 and "ถอน" in str(refused.value)


def test_a_new_version_after_approval_is_not_approved(world: World) -> None:
    plan = drafted(world)
    decide(world, submit(world, plan))
    new_version(world, plan)
    new_version(world, plan, title="แก้อีกครั้ง")
    current = plan_selectors.current_version(plan)
    assert current.number == 3
    assert selectors.approval_of(current, Subject.PLAN) is None
    assert selectors.latest_approved(plan, Subject.PLAN).version.number == 1  # type: ignore[union-attr]
    state = selectors.states_of(plan, current)[0]
    assert state.stale and not state.current_approved and state.can_submit
    assert "ฉบับที่ 1 อนุมัติเมื่อ" in state.summary
    assert "ฉบับปัจจุบัน (ฉบับที่ 3) มีการเปลี่ยนแปลงที่ยังไม่ได้อนุมัติ" in state.summary
    # The approved version itself is unchanged: versions are never edited in place.
    assert plan_selectors.version_of(plan, 1).content != current.content
    again = submit(world, plan)
    assert again.version == current


def test_an_open_request_is_superseded_by_a_new_version(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    version = new_version(world, plan)
    request.refresh_from_db()
    assert request.status == Status.SUPERSEDED
    entry = AuditEntry.objects.get(
        object_type="approvals.approvalrequest", object_id=str(request.pk), action=Action.CHANGE
    )
    assert entry.after["status"] == "superseded" and entry.actor == world.users["officer_a"]
    with pytest.raises(services.ApprovalRefused) as refused:
        decide(world, request)
    assert refused.value.status == 409 and "ฉบับใหม่" in str(refused.value)
    state = selectors.states_of(plan, version)[0]
    assert state.superseded == request and state.can_submit
    fresh = submit(world, plan)
    assert fresh.version == version and fresh.status == Status.SUBMITTED


def test_other_subjects_of_the_same_version_are_kept(world: World) -> None:
    """Superseding closes only requests of older versions; an unchanged save adds nothing."""
    plan = drafted(world)
    request = submit(world, plan, Subject.PROGRESS_6)
    version = plan_selectors.current_version(plan)
    plan_services.plan_save(
        plan=plan, user=None, content=plan_of(version.content), base_version=version.number
    )  # identical: no new version
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


def test_a_version_identical_to_an_approved_one_is_not_submitted_again(world: World) -> None:
    plan = drafted(world)
    first = plan_selectors.current_version(plan)
    decide(world, submit(world, plan))
    with pytest.raises(services.ApprovalRefused) as refused:
        submit(world, plan)
    assert "ฉบับที่ 1" in str(refused.value) and refused.value.status == 409
    new_version(world, plan)
    plan_services.plan_save(
        plan=plan, user=None, content=plan_of(first.content), base_version=2
    )  # back to version 1's content, as version 3
    with pytest.raises(services.ApprovalRefused) as refused:
        submit(world, plan)
    assert "ฉบับที่ 1 ซึ่งมีเนื้อหาเดียวกันได้รับอนุมัติแล้ว" in str(refused.value)
    assert ApprovalRequest.objects.count() == 1


def test_awaiting_decision_is_for_deciders_only(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    assert selectors.awaiting_decision(world.users["executive_a"], world.a) == [request]
    assert selectors.awaiting_decision(world.users["admin"], world.a) == []
    for name in ("officer_a", "viewer_a", "provincial"):
        assert selectors.awaiting_decision(world.users[name], world.a) == []


# --- the memo's approval block ----------------------------------------------------------------


def test_the_memo_carries_the_recorded_decision(world: World) -> None:
    plan = drafted(world)
    version = with_signers(world, plan)
    content = plan_of(version.content)
    typed = content.model_copy(
        update={"memos": {6: Memo(reference="12", decision="approved", reason="พิมพ์เอง")}}
    )
    version = plan_services.plan_save(
        plan=plan, user=None, content=typed, base_version=version.number
    ).version
    # Nothing decided: what the officer typed does not show.
    blank = selectors.plan_with_decisions(version)
    assert blank.memos[6].decision is None and blank.memos[6].reason == ""
    assert blank.memos[6].reference == "12"  # the rest of the memo is kept
    request = submit(world, plan, Subject.PROGRESS_6)
    version = request.version  # with the round's progress
    decide(world, request, approve=False, reason="ขอให้แนบหลักฐาน")
    shown = selectors.plan_with_decisions(version)
    assert shown.memos[6].decision == "rejected" and shown.memos[6].reason == "ขอให้แนบหลักฐาน"
    assert shown.memos[6].decided == timezone.localdate()
    assert shown.memos[12].decision is None
    document = plan_selectors.round_document(version, 6, "memo", timezone.localdate())
    block = next(b for b in document.blocks if isinstance(b, Approval))
    assert block.decision == "rejected" and block.reason == "ขอให้แนบหลักฐาน"
    assert block.signature.positions[-1] == f"วันที่ {thai.format_date(timezone.localdate())}"


@pytest.mark.parametrize("approve", [True, False])
def test_memo_download_shows_the_decision(world: World, approve: bool) -> None:
    plan = drafted(world)
    with_signers(world, plan)
    client = client_for(world, "viewer_a")
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "memo", "docx"])
    before = docx_text(client.get(address).content)
    assert "☐ เห็นชอบและอนุมัติ" in before and "☐ ไม่เห็นชอบ เนื่องจาก" in before
    request = submit(world, plan, Subject.PROGRESS_6)
    decide(world, request, approve=approve, reason="" if approve else "ขอให้แนบหลักฐาน")
    response = client.get(address)
    assert response.status_code == 200
    text = docx_text(response.content)
    today = thai.format_date(timezone.localdate())
    if approve:
        assert "☑ เห็นชอบและอนุมัติ" in text and "☐ ไม่เห็นชอบ" in text
    else:
        assert "☐ เห็นชอบและอนุมัติ" in text
        assert "☑ ไม่เห็นชอบ เนื่องจาก ขอให้แนบหลักฐาน" in text
    assert f"วันที่ {today}" in text
    # The request's own memo download gives the same decision, of the request's version.
    own = client.get(reverse("approvals:memo", args=[world.a.pk, plan.pk, request.pk, "docx"]))
    assert own.status_code == 200
    assert ("☑ เห็นชอบและอนุมัติ" in docx_text(own.content)) == approve
    # The 12-month memo of the same version has no decision.
    other = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 12, "memo", "docx"])
    assert "☑" not in docx_text(client.get(other).content)


def test_request_memo_without_signers_explains(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan, Subject.PROGRESS_6)
    client = client_for(world, "officer_a")
    response = client.get(reverse("approvals:memo", args=[world.a.pk, plan.pk, request.pk, "docx"]))
    assert response.status_code == 400
    assert "ยังไม่ได้ระบุผู้ลงนาม" in response.content.decode()
    plan_request = ApprovalRequest.objects.get(subject=Subject.PLAN)
    response = client.get(
        reverse("approvals:memo", args=[world.a.pk, plan.pk, plan_request.pk, "docx"])
    )
    assert response.status_code == 404  # the plan itself has no round memo


# --- pages ------------------------------------------------------------------------------------


def urls(world: World, plan: MeasuresPlan, request: ApprovalRequest) -> list[str]:
    a = world.a.pk
    return [
        reverse("approvals:index", args=[a, plan.pk]),
        reverse("approvals:detail", args=[a, plan.pk, request.pk]),
    ]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_reading_requests_per_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, role)
    for address in urls(world, plan, request):
        response = client.get(address)
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in READS_A:
            assert response.status_code == 200, address
            page = response.content.decode()
            assert "รอพิจารณา" in page or "รอผู้บริหารพิจารณา" in page
            decide_url = reverse("approvals:decide", args=[world.a.pk, plan.pk, request.pk])
            if address.endswith(f"/{request.pk}/"):
                assert (decide_url in page) == (role in DECIDES_A)
        else:
            assert response.status_code == 404, address


@pytest.mark.parametrize("role", ["officer_b", "viewer_a"])
def test_guessed_ids_give_404(world: World, role: str) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, role)
    b = world.b.pk
    for address in [
        reverse("approvals:index", args=[b, plan.pk]),  # agency b, plan of a
        reverse("approvals:detail", args=[b, plan.pk, request.pk]),
        reverse("approvals:detail", args=[world.a.pk, plan.pk, request.pk + 100]),
        reverse("approvals:index", args=[world.a.pk, plan.pk + 100]),
    ]:
        assert client.get(address).status_code == 404, address


@pytest.mark.parametrize("role", [None, *ROLES])
def test_submitting_per_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    client = client_for(world, role)
    address = reverse("approvals:submit", args=[world.a.pk, plan.pk])
    response = client.post(address, {"subject": "plan", "note": "ขอเสนอ"})
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in SUBMITS_A:
        assert response.status_code == 302
        assert response["Location"] == reverse("plans:detail", args=[world.a.pk, plan.pk])
        page = client.get(response["Location"]).content.decode()
        assert "ต่อผู้บริหารแล้ว" in page and "รอผู้บริหารพิจารณา" in page
    else:
        assert response.status_code == 404
    assert ApprovalRequest.objects.count() == (1 if role in SUBMITS_A else 0)


def test_double_submit_by_the_page_adds_nothing(world: World) -> None:
    plan = drafted(world)
    ready_for_round(world, plan, 6)
    client = client_for(world, "officer_a")
    address = reverse("approvals:submit", args=[world.a.pk, plan.pk])
    client.post(address, {"subject": "progress6"})
    response = client.post(address, {"subject": "progress6"}, follow=True)
    assert "อยู่ระหว่างรอพิจารณาอยู่แล้ว" in response.content.decode()
    assert ApprovalRequest.objects.filter(subject=Subject.PROGRESS_6).count() == 1


def test_bad_submit_gives_400_and_already_approved_409(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    address = reverse("approvals:submit", args=[world.a.pk, plan.pk])
    response = client.post(address, {"subject": "everything"})
    assert response.status_code == 400 and "โปรดเลือกเรื่องที่จะเสนอ" in response.content.decode()
    decide(world, submit(world, plan))
    response = client.post(address, {"subject": "plan"})
    assert response.status_code == 409
    assert "ไม่ต้องเสนออีก" in response.content.decode()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_deciding_per_role(
    world: World, role: str | None, django_capture_on_commit_callbacks: Any
) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, role)
    address = reverse("approvals:decide", args=[world.a.pk, plan.pk, request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(address, {"decision": "approve"})
    request.refresh_from_db()
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in DECIDES_A:
        assert response.status_code == 302
        assert request.status == Status.APPROVED and request.decided_by == world.users[role]
        assert "http://testserver/agencies/" in mail.outbox[0].body
    else:
        assert response.status_code == 404
    if role not in DECIDES_A:
        assert request.status == Status.SUBMITTED


def test_deciding_twice_or_without_a_reason_by_the_page(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, "executive_a")
    address = reverse("approvals:decide", args=[world.a.pk, plan.pk, request.pk])
    response = client.post(address, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "โปรดระบุเหตุผลที่ไม่อนุมัติ" in page and 'role="alert"' in page
    assert client.post(address, {}).status_code == 400
    assert client.post(address, {"decision": "approve"}).status_code == 302
    response = client.post(address, {"decision": "reject", "reason": "ไม่ถูกต้อง"})
    assert response.status_code == 409
    assert "เรื่องนี้ได้รับอนุมัติแล้วโดย executive_a" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.APPROVED


def test_deciding_a_superseded_request_by_the_page_gives_409(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    new_version(world, plan)
    client = client_for(world, "executive_a")
    address = reverse("approvals:decide", args=[world.a.pk, plan.pk, request.pk])
    response = client.post(address, {"decision": "approve"})
    assert response.status_code == 409
    assert "มีแผนฉบับใหม่แทนแล้ว" in response.content.decode()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_withdrawing_per_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, role)
    address = reverse("approvals:withdraw", args=[world.a.pk, plan.pk, request.pk])
    response = client.post(address)
    request.refresh_from_db()
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in SUBMITS_A:  # the submitter, and superusers
        assert response.status_code == 302 and request.status == Status.WITHDRAWN
    else:
        assert response.status_code == 404 and request.status == Status.SUBMITTED


def test_withdrawing_twice_gives_409(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, "officer_a")
    address = reverse("approvals:withdraw", args=[world.a.pk, plan.pk, request.pk])
    assert client.post(address).status_code == 302
    response = client.post(address)
    assert response.status_code == 409 and "ถอนแล้ว" in response.content.decode()


def test_plan_page_shows_the_approval_and_what_is_not_approved(world: World) -> None:
    plan = drafted(world)
    detail = reverse("plans:detail", args=[world.a.pk, plan.pk])
    page = client_for(world, "officer_a").get(detail).content.decode()
    assert "การเสนอผู้บริหารพิจารณา" in page and "ยังไม่ได้เสนอผู้บริหาร" in page
    assert reverse("approvals:submit", args=[world.a.pk, plan.pk]) in page
    decide(world, submit(world, plan))
    page = client_for(world, "viewer_a").get(detail).content.decode()
    assert "ฉบับที่ 1 อนุมัติแล้วเมื่อ" in page and "executive_a" in page
    assert reverse("approvals:submit", args=[world.a.pk, plan.pk]) not in page
    new_version(world, plan)
    new_version(world, plan, title="แก้อีกครั้ง")
    page = client_for(world, "officer_a").get(detail).content.decode()
    assert "ฉบับที่ 1 อนุมัติเมื่อ" in page
    assert "แต่ฉบับปัจจุบัน (ฉบับที่ 3) มีการเปลี่ยนแปลงที่ยังไม่ได้อนุมัติ" in page
    assert "เสนออีกครั้ง" in page and "?a=1&amp;b=3" in page


def test_agency_page_lists_what_awaits_the_executive(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan, Subject.PROGRESS_6)
    link = reverse("approvals:detail", args=[world.a.pk, plan.pk, request.pk])
    for role in ("executive_a", "admin", "officer_a", "viewer_a", "provincial"):
        page = client_for(world, role).get(reverse("agency", args=[world.a.pk])).content.decode()
        assert ("รอการพิจารณาของท่าน (1)" in page) == (role in DECIDES_A), role
        assert (link in page) == (role in DECIDES_A), role


def test_detail_page_in_english(world: World) -> None:
    plan = drafted(world)
    request = submit(world, plan)
    client = client_for(world, "executive_a")
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("approvals:detail", args=[world.a.pk, plan.pk, request.pk]))
    text = page.content.decode()
    assert "Awaiting decision" in text and "Record the decision" in text


# --- demo -------------------------------------------------------------------------------------


def test_demo_is_approved_and_awaiting_and_safe_to_run_twice(world: World) -> None:
    from tests.web.test_views import saved

    saved(world, 2564)
    saved(world, 2565)
    officer, executive = world.users["officer_a"], world.users["executive_a"]
    plan = approvals_demo.load(agency=world.a, officer=officer, executive=executive)
    assert plan is not None
    approvals_demo.load(agency=world.a, officer=officer, executive=executive)
    current = plan_selectors.current_version(plan)
    approved = selectors.latest_approved(plan, Subject.PLAN)
    assert approved is not None and approved.decided_by == executive
    assert approved.version.number == 1 and current.number == 2  # progress recorded after it
    waiting = selectors.open_request(plan, Subject.PROGRESS_6)
    assert waiting is not None and waiting.version == current
    assert ApprovalRequest.objects.count() == 2
    assert any(6 in m.progress for m in plan_of(current.content).measures)


def test_progress_page_shows_its_round_only(world: World) -> None:
    plan = drafted(world)
    with_progress(world, plan, 6, "ประชุมชี้แจงแล้ว")  # something to report in round 6
    # The 12-month report carries the 6-month progress, so it is approved after it.
    approved = decide(world, submit(world, plan, Subject.PROGRESS_12)).version.number
    address = reverse("plans:progress", args=[world.a.pk, plan.pk, 6])
    page = client_for(world, "officer_a").get(address).content.decode()
    assert "รายงานผลรอบ 6 เดือน" in page and "ยังไม่ได้เสนอผู้บริหาร" in page
    assert 'name="subject" value="progress6"' in page
    assert 'value="progress12"' not in page and 'value="plan"' not in page
    address = reverse("plans:progress", args=[world.a.pk, plan.pk, 12])
    page = client_for(world, "viewer_a").get(address).content.decode()
    assert f"ฉบับที่ {approved} อนุมัติแล้วเมื่อ" in page and 'name="subject"' not in page


# --- what an approval covers: recording a round's progress is not a change to the plan ---------


def with_progress(world: World, plan: MeasuresPlan, months: int, done: str) -> PlanVersion:
    """A new version where measure M1 has progress in the round ``months``."""
    current = plan_selectors.current_version(plan)
    content = plan_of(current.content)
    measures = []
    for m in content.measures:
        if m.id == "M1":
            progress = {**m.progress, months: Progress(status="in_progress", percent=30, done=done)}
            m = m.model_copy(update={"progress": progress})
        measures.append(m)
    return plan_services.plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=content.model_copy(update={"measures": measures}),
        base_version=current.number,
    ).version


def state_of(plan: MeasuresPlan, subject: Subject) -> selectors.SubjectState:
    current = plan_selectors.current_version(plan)
    return next(s for s in selectors.states_of(plan, current) if s.subject == subject)


def test_progress_does_not_make_the_plan_approval_stale_but_a_plan_change_does(
    world: World,
) -> None:
    plan = drafted(world)
    decide(world, submit(world, plan))
    with_progress(world, plan, 6, "ประชุมชี้แจงแล้ว")
    state = state_of(plan, Subject.PLAN)
    assert state.current_approved and not state.stale and not state.can_submit
    assert "อนุมัติแล้ว" in state.summary
    new_version(world, plan)  # a measure's title changes: that is the plan itself
    state = state_of(plan, Subject.PLAN)
    assert state.stale and state.can_submit and "ยังไม่ได้อนุมัติ" in state.summary


def test_a_waiting_round_report_stays_open_when_the_other_round_changes(world: World) -> None:
    plan = drafted(world)
    with_progress(world, plan, 6, "ประชุมชี้แจงแล้ว")
    waiting = submit(world, plan, Subject.PROGRESS_6)
    with_progress(world, plan, 12, "เริ่มรอบ 12 เดือน")  # the other round: still the same report
    waiting.refresh_from_db()
    assert waiting.status == Status.SUBMITTED
    decide(world, waiting)
    # The memo of the current version (with 12-month progress) carries the 6-month decision.
    memo = selectors.plan_with_decisions(plan_selectors.current_version(plan)).memos[6]
    assert memo.decision == "approved" and memo.decided is not None
    with_progress(world, plan, 6, "แก้ผลการดำเนินการรอบ 6 เดือน")  # the report itself changes
    assert state_of(plan, Subject.PROGRESS_6).stale
    again = selectors.plan_with_decisions(plan_selectors.current_version(plan)).memos[6]
    assert again.decision is None  # a changed report has no decision yet


def test_covered_keeps_only_what_the_subject_is_about() -> None:
    content = {
        "foreword": "ก",
        "memos": {"6": {"decision": "approved"}},
        "measures": [{"id": "M1", "progress": {"6": {"done": "x"}, "12": {"done": "y"}}}],
    }
    assert selectors.covered(content, Subject.PLAN) == {
        "foreword": "ก",
        "measures": [{"id": "M1", "progress": {}}],
    }
    six = selectors.covered(content, Subject.PROGRESS_6)
    assert six["measures"][0]["progress"] == {"6": {"done": "x"}} and "memos" not in six
