"""Publishing approved documents on the agency's public page: services, open data, the public
page and files (no login, URL guessing), and the publish/unpublish views for every role."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openita.documents import pdf
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing import services
from openita.web.publishing.models import Publication, PublishedFile
from tests.web.conftest import World
from tests.web.test_plans import drafted, edited
from tests.web.test_views import ROLES, client_for

PUBLISHERS_A = {"officer_a", "executive_a", "admin"}
FAKE_PDF = b"%PDF-1.7 fake for tests\n"


@pytest.fixture(autouse=True)
def _fast_pdf(request: pytest.FixtureRequest, monkeypatch: Any) -> None:
    """Chromium takes seconds per document; tests use a stand-in, except the real one."""
    if request.node.name != "test_real_pdf_is_frozen":
        monkeypatch.setattr(pdf, "render_pdf", lambda document: FAKE_PDF)


def approve(version: PlanVersion, world: World, subject: Subject = Subject.PLAN) -> ApprovalRequest:
    return ApprovalRequest.objects.create(
        plan=version.plan,
        version=version,
        subject=subject,
        status=Status.APPROVED,
        submitted_by=world.users["officer_a"],
        decided_by=world.users["executive_a"],
        decided_at=timezone.now(),
    )


def approved_plan(world: World) -> tuple[MeasuresPlan, PlanVersion]:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    approve(version, world)
    return plan, version


def published(world: World) -> Publication:
    plan, version = approved_plan(world)
    done = services.publication_publish(
        plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
    )
    return done.publication


def newer_version(plan: MeasuresPlan, world: World) -> PlanVersion:
    current = plan_selectors.current_version(plan)
    return plan_services.plan_save(
        plan=plan,
        user=world.users["officer_a"],
        content=edited(current, unit="กองช่าง"),
        base_version=current.number,
    ).version


def files_of(publication: Publication) -> dict[str, PublishedFile]:
    return {f.kind: f for f in publication.files.all()}


# --- services ---------------------------------------------------------------------------------


def test_only_an_approved_version_is_published(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    officer = world.users["officer_a"]
    with pytest.raises(services.PublishRefused, match="ยังไม่ได้รับอนุมัติ") as refused:
        services.publication_publish(plan=plan, version=version, subject=Subject.PLAN, user=officer)
    assert refused.value.status == 409
    approve(version, world, Subject.PROGRESS_6)  # approved for another subject only
    with pytest.raises(services.PublishRefused):
        services.publication_publish(plan=plan, version=version, subject=Subject.PLAN, user=officer)
    submitted = approve(version, world)
    submitted.status = Status.SUBMITTED
    submitted.save()
    with pytest.raises(services.PublishRefused):
        services.publication_publish(plan=plan, version=version, subject=Subject.PLAN, user=officer)
    assert not Publication.objects.exists() and not PublishedFile.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.PUBLISH).exists()


def test_publish_freezes_four_files_with_their_sha256(world: World) -> None:
    publication = published(world)
    files = files_of(publication)
    assert set(files) == {"pdf", "docx", "csv", "json"}
    assert files["pdf"].name == "ita-plan-2566-v1.pdf" and bytes(files["pdf"].data) == FAKE_PDF
    assert files["docx"].name == "ita-plan-2566-v1.docx"
    assert bytes(files["docx"].data)[:2] == b"PK"
    for f in files.values():
        data = bytes(f.data)
        assert f.sha256 == hashlib.sha256(data).hexdigest() and f.size == len(data)
        assert f.name.isascii()
    assert files["csv"].content_type.startswith("text/csv")
    assert publication.is_current and publication.published_by == world.users["officer_a"]
    assert publication.approval is not None
    entry = AuditEntry.objects.get(action=Action.PUBLISH)
    assert entry.agency == world.a and entry.object_id == str(publication.pk)
    assert entry.after["files"]["ita-plan-2566-v1.pdf"] == files["pdf"].sha256
    assert entry.before is None and "2566" in entry.summary


def test_publishing_twice_is_a_no_op(world: World) -> None:
    first = published(world)
    again = services.publication_publish(
        plan=first.plan, version=first.version, subject=Subject.PLAN, user=world.users["admin"]
    )
    assert not again.changed and again.publication == first
    assert Publication.objects.count() == 1 and PublishedFile.objects.count() == 4
    assert AuditEntry.objects.filter(action=Action.PUBLISH).count() == 1


def test_a_newer_approved_version_replaces_the_earlier(world: World) -> None:
    first = published(world)
    plan = first.plan
    v2 = newer_version(plan, world)
    with pytest.raises(services.PublishRefused):  # saved, not yet approved
        services.publication_publish(
            plan=plan, version=v2, subject=Subject.PLAN, user=world.users["executive_a"]
        )
    approve(v2, world)
    second = services.publication_publish(
        plan=plan, version=v2, subject=Subject.PLAN, user=world.users["executive_a"]
    ).publication
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert first.superseded_by == second and first.superseded_at is not None
    assert first.withdrawn_at is None
    assert files_of(second)["pdf"].name == "ita-plan-2566-v2.pdf"
    entry = AuditEntry.objects.filter(action=Action.PUBLISH).order_by("-id").first()
    assert entry is not None and entry.before["version"] == 1 and entry.after["version"] == 2
    # An older version does not go back over a newer one.
    with pytest.raises(services.PublishRefused, match="ใหม่กว่า"):
        services.publication_publish(
            plan=plan, version=first.version, subject=Subject.PLAN, user=world.users["officer_a"]
        )
    page = Client().get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    assert "ita-plan-2566-v2.pdf" in page and "ฉบับก่อนหน้า" in page
    assert page.index("ita-plan-2566-v2.pdf") < page.index("ita-plan-2566-v1.pdf")


def test_unpublish_needs_a_reason_and_is_recorded(world: World) -> None:
    publication = published(world)
    officer = world.users["officer_a"]
    with pytest.raises(services.PublishRefused, match="เหตุผล"):
        services.publication_unpublish(publication=publication, user=officer, reason="  ")
    assert services.publication_unpublish(
        publication=publication, user=officer, reason="พบข้อความผิด"
    )
    publication.refresh_from_db()
    assert publication.withdrawn_at is not None and publication.withdrawn_by == officer
    assert publication.withdrawn_reason == "พบข้อความผิด"
    assert not services.publication_unpublish(publication=publication, user=officer, reason="x")
    entry = AuditEntry.objects.get(action=Action.UNPUBLISH)
    assert entry.after == {"withdrawn": True, "version": 1, "reason": "พบข้อความผิด"}
    # After a withdrawal the same version can be published again.
    again = services.publication_publish(
        plan=publication.plan, version=publication.version, subject=Subject.PLAN, user=officer
    )
    assert again.changed and again.publication.pk != publication.pk


def test_only_officers_and_executives_publish(world: World) -> None:
    plan, version = approved_plan(world)
    for name in ("viewer_a", "provincial", "officer_b"):
        with pytest.raises(services.PublishRefused) as refused:
            services.publication_publish(
                plan=plan, version=version, subject=Subject.PLAN, user=world.users[name]
            )
        assert refused.value.status == 403
    assert not Publication.objects.exists()


def test_progress_report_is_published_under_its_own_name(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    approve(version, world, Subject.PROGRESS_6)
    publication = services.publication_publish(
        plan=plan, version=version, subject=Subject.PROGRESS_6, user=world.users["officer_a"]
    ).publication
    assert files_of(publication)["pdf"].name == "ita-progress-2566-6m-v1.pdf"
    data = json.loads(bytes(files_of(publication)["json"].data))
    assert data["subject"] == "progress6"


def test_no_chromium_refuses_and_keeps_nothing(world: World, monkeypatch: Any) -> None:
    def unavailable(document: Any) -> bytes:
        raise pdf.PdfUnavailable("no chromium")

    monkeypatch.setattr(pdf, "render_pdf", unavailable)
    plan, version = approved_plan(world)
    with pytest.raises(services.PublishRefused) as refused:
        services.publication_publish(
            plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
        )
    assert refused.value.status == 503 and "PDF" in str(refused.value)
    assert not Publication.objects.exists()


# --- open data --------------------------------------------------------------------------------


def test_csv_opens_in_excel_and_has_one_row_per_measure(world: World) -> None:
    publication = published(world)
    raw = bytes(files_of(publication)["csv"].data)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    content = plan_of(publication.version.content)
    assert len(rows) == len(content.measures)
    first, measure = rows[0], content.measures[0]
    assert first["measure_id"] == measure.id and first["title"] == measure.title
    assert re.search(r"[\u0E00-\u0E7F]", first["title"])  # Thai intact
    assert first["steps"].split("\n") == measure.steps
    assert first["deadline"] == measure.deadline.isoformat()
    assert str(measure.deadline.year + 543) in first["deadline_be"]
    assert first["addresses"] == "; ".join(measure.addresses)
    statuses = ("not_started", "in_progress", "done", "dropped", "not_reported", "")
    assert first["round6_status"] in statuses
    assert {"round12_percent", "round6_done", "round12_outcome"} <= set(first)


def test_json_matches_the_plan(world: World) -> None:
    publication = published(world)
    data = json.loads(bytes(files_of(publication)["json"].data).decode("utf-8"))
    content = plan_of(publication.version.content)
    assert data["format"] == "openita-open-plan/1"
    assert data["fiscal_year"] == 2566 and data["version"] == 1 and data["subject"] == "plan"
    assert data["agency"]["name"] == world.a.name
    assert [m["id"] for m in data["measures"]] == [m.id for m in content.measures]
    assert [m["title"] for m in data["measures"]] == [m.title for m in content.measures]
    assert data["measures"][0]["steps"] == content.measures[0].steps
    assert data["approved_at"] and data["published_at"]


# --- the public page and files ----------------------------------------------------------------


def test_public_page_needs_no_login_and_shown_sha256_match_downloads(world: World) -> None:
    published(world)
    client = Client()
    response = client.get(reverse("publishing:public", args=[world.a.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.a.name in page and "2566" in page and "sha256sum" in page
    links = re.findall(r'href="(/p/\d+/\d+/[^"]+)"', page)
    shown = re.findall(r"<code>([0-9a-f]{64})</code>", page)
    assert len(links) == len(shown) == 4
    for link, sha in zip(links, shown, strict=True):
        got = client.get(link)
        assert got.status_code == 200
        body = got.content
        assert hashlib.sha256(body).hexdigest() == sha
        assert got["ETag"] == f'"{sha}"' and got["Cache-Control"] == "public, no-cache"
        assert link.split("/")[-1] in got["Content-Disposition"]
        again = client.get(link, HTTP_IF_NONE_MATCH=f'"{sha}"')
        assert again.status_code == 304 and again.content == b""
        assert client.head(link).status_code == 200


def test_public_page_in_english(world: World) -> None:
    published(world)
    client = Client()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    assert "Open data" in page and "Fiscal year" in page


def test_an_agency_without_publications_says_so(world: World) -> None:
    drafted(world)  # a plan, never approved nor published
    page = Client().get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    assert "ยังไม่มีเอกสารที่เผยแพร่" in page and "/p/" not in page.split("<main")[1].split("verify")[0]


def test_guessed_public_urls_give_404_or_410(world: World) -> None:
    publication = published(world)
    name = "ita-plan-2566-v1.pdf"
    client = Client()
    assert client.get(reverse("publishing:public", args=[424242])).status_code == 404
    for agency, pid, fname in (
        (world.b.pk, publication.pk, name),  # another agency's address
        (world.a.pk, publication.pk + 1, name),  # no such publication
        (world.a.pk, publication.pk, "ita-plan-2566-v2.pdf"),  # no such file
        (424242, publication.pk, name),
    ):
        url = reverse("publishing:file", args=[agency, pid, fname])
        assert client.get(url).status_code == 404, url
    services.publication_unpublish(
        publication=publication, user=world.users["officer_a"], reason="แก้ไขข้อความ"
    )
    gone = client.get(reverse("publishing:file", args=[world.a.pk, publication.pk, name]))
    assert gone.status_code == 410 and "ยกเลิกการเผยแพร่แล้ว" in gone.content.decode()
    page = client.get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    assert f"/p/{world.a.pk}/{publication.pk}/" not in page


def test_unpublished_approved_version_is_not_reachable(world: World) -> None:
    published(world)
    plan = MeasuresPlan.objects.get()
    v2 = newer_version(plan, world)
    approve(v2, world)  # approved, not published: nothing of it is public
    page = Client().get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    assert "v2" not in page and "กองช่าง" not in page


# --- views, for every role --------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_publish_view_by_role(world: World, role: str | None) -> None:
    plan, version = approved_plan(world)
    url = reverse("publishing:publish", args=[world.a.pk, plan.pk])
    response = client_for(world, role).post(url, {"subject": "plan", "version": version.number})
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in PUBLISHERS_A:
        assert response.status_code == 302
        assert response["Location"].endswith(f"/plans/{plan.pk}/#publishing")
    else:
        assert response.status_code == 404
    assert Publication.objects.exists() == (role in PUBLISHERS_A)


def test_publish_view_double_submit_and_bad_input(world: World) -> None:
    plan, _ = approved_plan(world)
    client = client_for(world, "officer_a")
    url = reverse("publishing:publish", args=[world.a.pk, plan.pk])
    first = client.post(url, {"subject": "plan", "version": 1}, follow=True)
    assert first.status_code == 200 and "เผยแพร่แผนมาตรการ ฉบับที่ 1 แล้ว" in first.content.decode()
    again = client.post(url, {"subject": "plan", "version": 1}, follow=True)
    assert again.status_code == 200 and "เผยแพร่ไว้แล้ว" in again.content.decode()
    assert Publication.objects.count() == 1
    bad = client.post(url, {"subject": "nonsense", "version": 1})
    assert bad.status_code == 400 and "ไม่ระบุเรื่อง" in bad.content.decode()
    unapproved = client.post(url, {"subject": "progress6", "version": 1})
    assert unapproved.status_code == 409 and "ยังไม่ได้รับอนุมัติ" in unapproved.content.decode()
    assert client.post(url, {"subject": "plan", "version": 99}).status_code == 404
    other = MeasuresPlan.objects.create(agency=world.b, fiscal_year=2566)
    other_url = reverse("publishing:publish", args=[world.a.pk, other.pk])
    assert client.post(other_url, {"subject": "plan", "version": 1}).status_code == 404


@pytest.mark.parametrize("role", [None, *ROLES])
def test_unpublish_view_by_role(world: World, role: str | None) -> None:
    publication = published(world)
    url = reverse("publishing:unpublish", args=[world.a.pk, publication.pk])
    response = client_for(world, role).post(url, {"reason": "เอกสารผิดฉบับ"})
    publication.refresh_from_db()
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in PUBLISHERS_A:
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert (publication.withdrawn_at is not None) == (role in PUBLISHERS_A)
    assert AuditEntry.objects.filter(action=Action.UNPUBLISH).exists() == (role in PUBLISHERS_A)


def test_unpublish_view_without_reason_is_400(world: World) -> None:
    publication = published(world)
    client = client_for(world, "executive_a")
    url = reverse("publishing:unpublish", args=[world.a.pk, publication.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "เหตุผล" in response.content.decode()
    publication.refresh_from_db()
    assert publication.is_current
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("role", ["officer_a", "executive_a", "viewer_a", "provincial", "admin"])
def test_plan_page_publishing_section(world: World, role: str) -> None:
    plan, _ = approved_plan(world)
    page = client_for(world, role).get(reverse("plans:detail", args=[world.a.pk, plan.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and 'id="publishing"' in text
    assert reverse("publishing:public", args=[world.a.pk]) in text
    publish_url = reverse("publishing:publish", args=[world.a.pk, plan.pk])
    assert (publish_url in text) == (role in PUBLISHERS_A)


def test_plan_page_lists_current_and_history(world: World) -> None:
    publication = published(world)
    services.publication_unpublish(
        publication=publication, user=world.users["officer_a"], reason="ทดสอบยกเลิก"
    )
    page = client_for(world, "officer_a").get(
        reverse("plans:detail", args=[world.a.pk, publication.plan.pk])
    )
    text = page.content.decode()
    assert "ประวัติการเผยแพร่" in text and "ทดสอบยกเลิก" in text
    assert 'for="unpublish-plan"' not in text  # nothing current to withdraw
    assert "เผยแพร่ฉบับที่ 1" in text  # the approved version can be published again


def test_agency_page_links_to_the_public_page(world: World) -> None:
    page = client_for(world, "viewer_a").get(reverse("agency", args=[world.a.pk]))
    assert reverse("publishing:public", args=[world.a.pk]) in page.content.decode()


# --- demo and real documents ------------------------------------------------------------------


def test_demo_publishes_once(db: None) -> None:
    from openita.web.demo import load_demo

    load_demo()
    load_demo()
    publication = Publication.objects.get()
    assert publication.is_current and publication.plan.fiscal_year == 2566
    assert ApprovalRequest.objects.filter(status=Status.APPROVED, subject="plan").count() == 1


def test_real_pdf_is_frozen(world: World) -> None:
    try:
        publication = published(world)
    except services.PublishRefused as exc:
        if exc.status != 503:
            raise
        pytest.skip("this machine cannot make PDFs")
    data = bytes(files_of(publication)["pdf"].data)
    assert data.startswith(b"%PDF")
    got = Client().get(
        reverse("publishing:file", args=[world.a.pk, publication.pk, "ita-plan-2566-v1.pdf"])
    )
    assert got.content == data and got["Content-Type"] == "application/pdf"
