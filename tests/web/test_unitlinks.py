"""Unit links: made by officers only (token shown once, hash stored), the link's page shows
and changes only its unit's measures in its round (even against a crafted POST), stale edits,
expired, revoked and unknown links, evidence files through the link, and the audit log."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openita.web.audit.models import AuditEntry
from openita.web.evidence.models import EvidenceFile
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.unitlinks import demo
from openita.web.unitlinks import services as link_services
from openita.web.unitlinks.models import UnitLink
from openita.web.unitlinks.selectors import links_of
from tests.web.conftest import World
from tests.web.test_evidence import EXE, PDF
from tests.web.test_plans import WRITES_A, drafted
from tests.web.test_views import ROLES, client_for

FINANCE = "กองคลัง"
OFFICE = "สำนักปลัด"


def with_units(world: World) -> MeasuresPlan:
    """A drafted plan whose M1 and M2 are the finance division's, the rest the office's; all
    report at 6 and 12 months."""
    plan = drafted(world)
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    measures = [
        m.model_copy(
            update={"unit": FINANCE if m.id in ("M1", "M2") else OFFICE, "rounds": [6, 12]}
        )
        for m in content.measures
    ]
    services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": measures}),
        base_version=version.number,
    )
    return plan


def issue(world: World, plan: MeasuresPlan, **kwargs: Any) -> link_services.Issued:
    options: dict[str, Any] = {
        "plan": plan,
        "months": 6,
        "unit": FINANCE,
        "person_name": "นางสาวตัวอย่าง ใจดี",
        "email": "head@example.invalid",
        "expires": None,
        "user": world.users["officer_a"],
    }
    return link_services.link_create(**{**options, **kwargs})


def page_url(token: str) -> str:
    return reverse("unitlinks:page", args=[token])


def form_data(client: Client, token: str) -> dict[str, Any]:
    response = client.get(page_url(token))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    data: dict[str, Any] = {"base_version": form.initial["base_version"]}
    for key, value in formset.management_form.initial.items():
        data[f"p-{key}"] = value
    for sub in formset.forms:
        for name, value in (sub.initial or {}).items():
            data[f"{sub.prefix}-{name}"] = value
    return data


def progress(plan: MeasuresPlan, measure: str, months: int = 6) -> Any:
    content = plan_of(selectors.current_version(plan).content)
    m = next(m for m in content.measures if m.id == measure)
    return m.progress.get(months)  # type: ignore[call-overload]


# --- making and listing links ---------------------------------------------------------------


def manage_url(world: World, plan: MeasuresPlan, months: int = 6) -> str:
    return reverse("unitlinks:manage", args=[world.a.pk, plan.pk, months])


@pytest.mark.parametrize("role", [None, *ROLES])
def test_manage_page_per_role(world: World, role: str | None) -> None:
    plan = with_units(world)
    client = client_for(world, role)
    data = {"unit": FINANCE, "person_name": "หัวหน้ากองคลัง", "email": "h@example.invalid"}
    get, post = client.get(manage_url(world, plan)), client.post(manage_url(world, plan), data)
    if role is None:
        assert get.status_code == 302 and post.status_code == 302
        assert "/accounts/login/" in get["Location"]
    elif role in WRITES_A:
        assert get.status_code == 200 and post.status_code == 302
    else:
        assert get.status_code == 404 and post.status_code == 404
    assert UnitLink.objects.count() == (1 if role in WRITES_A else 0)


def test_link_is_shown_once_and_only_its_hash_is_kept(world: World) -> None:
    plan = with_units(world)
    client = client_for(world, "officer_a")
    data = {
        "unit": FINANCE,
        "person_name": "หัวหน้ากองคลัง",
        "email": "head@example.invalid",
        "send": "on",
    }
    response = client.post(manage_url(world, plan), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    found = re.search(r"http://testserver/unit/([A-Za-z0-9_-]{40,})/", text)
    assert found, text
    token = found.group(1)
    link = UnitLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(UnitLink.objects.values_list().get())
    # the round ended long ago, so the default is 30 days from today
    assert timezone.localtime(link.expires_at).date() == timezone.localdate() + dt.timedelta(30)
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    assert mail.outbox[0].to == ["head@example.invalid"]
    # the next visit lists the link (with no use yet) but no longer shows the URL
    again = client.get(manage_url(world, plan)).content.decode()
    assert token not in again and "หัวหน้ากองคลัง" in again
    entry = AuditEntry.objects.get(object_type="unitlinks.unitlink")
    assert entry.after["unit"] == FINANCE and token not in str(entry.after)


def test_bad_link_forms_are_refused(world: World) -> None:
    plan = with_units(world)
    client = client_for(world, "officer_a")
    url = manage_url(world, plan)
    assert client.post(url, {"unit": "กองอื่น", "person_name": "ก ข"}).status_code == 400
    send_no_mail = {"unit": FINANCE, "person_name": "ก ข", "send": "on"}
    assert client.post(url, send_no_mail).status_code == 400
    past = {"unit": FINANCE, "person_name": "ก ข", "expires": "2020-01-01"}
    response = client.post(url, past)
    assert response.status_code == 400 and "วันหมดอายุ" in response.content.decode()
    assert client.get(manage_url(world, plan, 9)).status_code == 404
    assert not UnitLink.objects.exists()


def test_revoke_and_expiry(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    anonymous = Client()
    assert anonymous.get(page_url(issued.token)).status_code == 200
    revoke = reverse("unitlinks:revoke", args=[world.a.pk, plan.pk, 6, issued.link.pk])
    assert client_for(world, "viewer_a").post(revoke).status_code == 404
    assert client_for(world, "officer_b").post(revoke).status_code == 404
    asked = client_for(world, "officer_a").post(revoke)  # the list's button asks first
    assert asked.status_code == 200 and "ยืนยันยกเลิกลิงก์" in asked.content.decode()
    assert UnitLink.objects.get(pk=issued.link.pk).revoked_at is None
    assert client_for(world, "officer_a").post(revoke, {"confirm": "1"}).status_code == 302
    gone = anonymous.get(page_url(issued.token))
    assert gone.status_code == 410 and "ถูกยกเลิกแล้ว" in gone.content.decode()
    assert anonymous.post(page_url(issued.token), {}).status_code == 410
    assert issued.link.pk not in [link.pk for link in links_of(plan, 6)]
    # expired
    other = issue(world, plan)
    UnitLink.objects.filter(pk=other.link.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = anonymous.get(page_url(other.token))
    assert expired.status_code == 410 and "หมดอายุ" in expired.content.decode()
    # unknown tokens
    for token in ("x", other.token[:-1] + ("A" if other.token[-1] != "A" else "B"), "a" * 300):
        assert anonymous.get(page_url(token)).status_code == 404


def test_default_expiry_is_30_days_after_the_round() -> None:
    plan = type("P", (), {"fiscal_year": 2566})()
    today = dt.date(2023, 1, 10)
    assert link_services.default_expiry(plan, 6, today) == dt.date(2023, 4, 30)  # type: ignore[arg-type]
    assert link_services.default_expiry(plan, 12, today) == dt.date(2023, 10, 30)  # type: ignore[arg-type]
    late = dt.date(2023, 6, 1)
    assert link_services.default_expiry(plan, 6, late) == dt.date(2023, 7, 1)  # type: ignore[arg-type]


# --- the link's own page --------------------------------------------------------------------


def test_link_page_shows_and_saves_only_its_units_measures(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    page = client.get(page_url(issued.token))
    ids = [str(f["id"].value()) for f in page.context["formset"].forms]
    assert ids == ["M1", "M2"]
    assert 'name="p-0-files"' in page.content.decode()
    data = form_data(client, issued.token)
    data.update({"p-0-status": "in_progress", "p-0-percent": 40, "p-0-done": "จัดประชุมแล้ว"})
    data["p-0-files"] = [SimpleUploadedFile("รายงานการประชุม.pdf", PDF)]
    response = client.post(page_url(issued.token), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    saved = selectors.current_version(plan)
    assert saved.created_by is None and "นางสาวตัวอย่าง ใจดี" in saved.note and FINANCE in saved.note
    p = progress(plan, "M1")
    assert p.status == "in_progress" and p.percent == 40 and p.done == "จัดประชุมแล้ว"
    assert p.evidence == ["รายงานการประชุม.pdf"]
    stored = EvidenceFile.objects.get()
    assert stored.uploaded_by is None and stored.uploaded_by_label.endswith("(ลิงก์ส่วนงาน)")
    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert "นางสาวตัวอย่าง ใจดี (ลิงก์ส่วนงาน)" in labels
    plan_entry = AuditEntry.objects.filter(object_type="plans.measuresplan").first()
    assert plan_entry is not None and plan_entry.actor_label == "นางสาวตัวอย่าง ใจดี (ลิงก์ส่วนงาน)"
    assert UnitLink.objects.get().last_used_at is not None
    # the link downloads its own unit's file
    download = client.get(reverse("unitlinks:download", args=[issued.token, stored.pk]))
    assert (
        download.status_code == 200
        and hashlib.sha256(download.content).hexdigest() == stored.sha256
    )
    # but not a file of another unit's measure
    officer = client_for(world, "officer_a")
    officer.post(
        reverse("evidence:upload", args=[world.a.pk, plan.pk, 6]),
        {"measure": "M3", "files": [SimpleUploadedFile("อื่น.pdf", PDF + b"%3\n")]},
    )
    other = EvidenceFile.objects.get(measure_id="M3")
    assert (
        client.get(reverse("unitlinks:download", args=[issued.token, other.pk])).status_code == 404
    )
    assert "อื่น.pdf" not in client.get(page_url(issued.token)).content.decode()


def test_crafted_post_for_another_units_measure_is_refused(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    data = form_data(client, issued.token)
    before = PlanVersion.objects.filter(plan=plan).count()
    # turn the second form into M3 (the office's measure) and mark it done
    data.update({"p-1-id": "M3", "p-1-status": "done", "p-1-percent": 100})
    response = client.post(page_url(issued.token), data)
    assert response.status_code == 400
    assert "M3" in response.content.decode()
    # or add a third form for it
    data = form_data(client, issued.token)
    data.update({"p-TOTAL_FORMS": 3, "p-2-id": "M3", "p-2-status": "done", "p-2-percent": 100})
    assert client.post(page_url(issued.token), data).status_code == 400
    # a file for M3 through a crafted form is refused too
    data = form_data(client, issued.token)
    data.update({"p-1-id": "M3", "p-1-files": [SimpleUploadedFile("x.pdf", PDF)]})
    assert client.post(page_url(issued.token), data).status_code == 400
    assert PlanVersion.objects.filter(plan=plan).count() == before
    assert progress(plan, "M3") is None
    assert not EvidenceFile.objects.exists()


def test_stale_edit_through_the_link_keeps_the_input(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    data = form_data(client, issued.token)
    # the officer saves meanwhile
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    services.plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=content.model_copy(update={"foreword": "คำนำใหม่"}),
        base_version=version.number,
    )
    data.update({"p-0-status": "in_progress", "p-0-done": "ข้อความของหัวหน้า"})
    data["p-0-files"] = [SimpleUploadedFile("หลักฐาน.pdf", PDF)]
    response = client.post(page_url(issued.token), data)
    assert response.status_code == 409
    text = response.content.decode()
    assert "มีผู้อื่นบันทึกแผนนี้ก่อนคุณ" in text and "ข้อความของหัวหน้า" in text
    assert not EvidenceFile.objects.exists()  # nothing kept, files included
    newer = selectors.current_version(plan).number
    assert response.context["form"]["base_version"].value() == str(newer)
    # saving again builds on the newer version and keeps the officer's change
    data["base_version"] = newer
    data.pop("p-0-files")
    assert client.post(page_url(issued.token), data).status_code == 302
    current = plan_of(selectors.current_version(plan).content)
    assert current.foreword == "คำนำใหม่" and progress(plan, "M1").done == "ข้อความของหัวหน้า"


def test_link_page_refuses_bad_input_and_files(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    data = form_data(client, issued.token)
    data.update({"p-0-status": "dropped", "p-0-reason": ""})
    response = client.post(page_url(issued.token), data)
    assert response.status_code == 400 and "ใส่เหตุผลเมื่อยกเลิกมาตรการ" in response.content.decode()
    data = form_data(client, issued.token)
    data["p-0-files"] = [SimpleUploadedFile("setup.pdf", EXE)]
    response = client.post(page_url(issued.token), data)
    assert response.status_code == 400 and "setup.pdf" in response.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    assert not EvidenceFile.objects.exists()


def test_demo_has_a_working_unit_link_and_a_file(world: World) -> None:
    """``unitlinks.demo.load`` (called from the demo loader) on a drafted plan, twice."""
    plan = with_units(world)
    officer = world.users["officer_a"]
    assert demo.load(agency=world.a, officer=officer) == demo.DEMO_PATH
    assert demo.load(agency=world.a, officer=officer) == demo.DEMO_PATH
    assert UnitLink.objects.count() == 1 and EvidenceFile.objects.count() == 1
    assert Client().get(demo.DEMO_PATH).status_code == 200
    stored = EvidenceFile.objects.get()
    assert stored.months == 12 and bytes(stored.data).startswith(b"%PDF-")
    assert stored.name in progress(plan, stored.measure_id, 12).evidence
    assert demo.load(agency=world.b, officer=officer) is None  # no plan there


def test_link_save_keeps_the_files_named(world: World) -> None:
    plan = with_units(world)
    issued = issue(world, plan)
    client = Client()
    data = form_data(client, issued.token)
    data["p-0-files"] = [SimpleUploadedFile("ภาพกิจกรรม.pdf", PDF)]
    assert client.post(page_url(issued.token), data).status_code == 302
    data = form_data(client, issued.token)
    assert data["p-0-evidence"] == "ภาพกิจกรรม.pdf"
    data.update({"p-0-evidence": "https://example.org/news", "p-0-status": "in_progress"})
    assert client.post(page_url(issued.token), data).status_code == 302
    assert progress(plan, "M1").evidence == ["https://example.org/news", "ภาพกิจกรรม.pdf"]
