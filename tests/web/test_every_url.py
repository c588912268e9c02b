"""Every agency URL of the app, found from the URL configuration itself (so a new view is
covered the day it is added): an officer of another agency gets 404 for agency A's things,
with GET and with POST, and changes nothing; anonymous visitors are sent to log in."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from openita.documents import pdf
from openita.web.agencies.models import AgencyFile, AgencySettings, FileKind
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import AuditEntry
from openita.web.evidence.models import EvidenceFile
from openita.web.oit.services import open_checklist
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.models import PlanVersion
from openita.web.publishing import services as publishing
from openita.web.surveys import services as survey_services
from openita.web.surveys.models import Response, Verdict
from openita.web.unitlinks.models import UnitLink
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for

PUBLIC_PREFIXES = ("p/", "unit/", "accounts/", "i18n/", "admin/")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def agency_routes() -> list[str]:
    return sorted(
        r for r in routes() if "<int:agency_id>" in r and not r.startswith(PUBLIC_PREFIXES)
    )


def test_the_app_has_the_agency_routes_we_expect() -> None:
    found = agency_routes()
    assert len(found) >= 40  # results, plans, settings, approvals, publishing, evidence, ...
    for part in ("approvals", "publishing", "evidence", "links", "settings", "audit", "enter"):
        assert any(part in r for r in found), part


@pytest.fixture
def things(world: World, monkeypatch: Any) -> dict[str, Any]:
    """One of everything agency A has, to put its ids into the URLs."""
    monkeypatch.setattr(pdf, "render_pdf", lambda document: b"%PDF-1.7 stand-in\n")
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    ApprovalRequest.objects.create(
        plan=plan,
        version=version,
        subject=Subject.PLAN,
        status=Status.APPROVED,
        submitted_by=world.users["officer_a"],
        decided_by=world.users["executive_a"],
        decided_at=timezone.now(),
    )
    round_request = ApprovalRequest.objects.create(  # a round's report has a memo
        plan=plan,
        version=version,
        subject=Subject.PROGRESS_6,
        submitted_by=world.users["officer_a"],
    )
    publication = publishing.publication_publish(
        plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
    ).publication
    data = b"%PDF-1.4 evidence"
    evidence = EvidenceFile.objects.create(
        agency=world.a,
        plan=plan,
        months=6,
        measure_id="M1",
        name="หลักฐาน.pdf",
        stored_name="evidence.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        uploaded_by_label="officer_a",
    )
    link = UnitLink.objects.create(
        agency=world.a,
        plan=plan,
        months=6,
        unit="สำนักปลัด",
        person_name="หัวหน้าส่วน",
        token_hash="0" * 64,
        expires_at=timezone.now() + timedelta(days=30),
    )
    unit = world.a.units.create(name="กองคลัง")
    AgencySettings.objects.create(  # the memo needs its signers
        agency=world.a,
        signers={
            "officer": {"name": "นางสาวตัวอย่าง ใจดี", "position": "นิติกร"},
            "reviewers": [],
            "executive": {"name": "นายตัวอย่าง รักดี", "position": "นายกเทศมนตรี"},
        },
    )
    png = b"\x89PNG\r\n\x1a\n"
    AgencyFile.objects.create(
        agency=world.a, kind=FileKind.EMBLEM, name="emblem.png", data=png, size=len(png),
        sha256=hashlib.sha256(png).hexdigest(),
    )  # fmt: skip
    checklist = open_checklist(world.a, 2565, world.users["officer_a"])  # OIT of 2565
    proposal = checklist.proposals.create(code="o1", url="https://example.invalid/", score=3)
    campaign = survey_services.campaign_create(
        agency=world.a, fiscal_year=2569, tool="EIT", opens=timezone.localdate(),
        closes=timezone.localdate() + timedelta(days=30), user=world.users["officer_a"],
    )  # fmt: skip
    held = Response.objects.create(
        campaign=campaign, answers={}, day=timezone.localdate(), verdict=Verdict.HELD
    )
    return {
        "agency_id": world.a.pk,
        "plan_id": plan.pk,
        "year": 2565,
        "number": version.number,
        "fmt": "pdf",
        "months": 6,
        "kind": "progress",
        "request_id": round_request.pk,
        "publication_id": publication.pk,
        "file_id": evidence.pk,
        "link_id": link.pk,
        "unit_id": unit.pk,
        "code": "o1",
        "membership_id": world.a.memberships.get(user=world.users["viewer_a"]).pk,
        "proposal_id": proposal.pk,
        "campaign_id": campaign.pk,
        "response_id": held.pk,
        "fiscal_year": 2569,
    }


def url_of(route: str, values: dict[str, Any]) -> str:
    def fill(found: re.Match[str]) -> str:
        name = found.group(2)
        assert name in values, f"{route}: no test value for <{name}>; add one to things()"
        value = values[name]
        if name == "kind" and "settings/files" in route:
            value = "emblem"
        if name == "fmt" and "template." in route:
            value = "xlsx"
        return str(value)

    return "/" + PARAM.sub(fill, route)


def state() -> tuple[int, int, int, int]:
    return (
        PlanVersion.objects.count(),
        ApprovalRequest.objects.count(),
        EvidenceFile.objects.count(),
        AuditEntry.objects.count(),
    )


def test_another_agencys_officer_gets_404_everywhere(world: World, things: dict) -> None:
    client = client_for(world, "officer_b")
    before = state()
    seen = []
    for route in agency_routes():
        url = url_of(route, things)
        answers = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
        assert 404 in answers.values(), (url, answers)
        assert set(answers.values()) <= {404, 405}, (url, answers)
        seen.append(url)
    assert state() == before  # nothing was changed or even logged
    assert len(seen) == len(agency_routes())


def test_anonymous_visitors_are_sent_to_log_in(world: World, things: dict) -> None:
    client = client_for(world, None)
    for route in agency_routes():
        url = url_of(route, things)
        got = client.get(url)
        assert got.status_code in (302, 405), (url, got.status_code)
        if got.status_code == 302:
            assert got["Location"].startswith("/accounts/login/"), url


def test_the_right_agency_answers_the_same_urls(world: World, things: dict) -> None:
    # The same URLs work for someone allowed everywhere (so the 404s above are about access,
    # not about URLs the test built wrongly): GET pages answer, downloads download.
    client = client_for(world, "admin")
    for route in agency_routes():
        url = url_of(route, things)
        got = client.get(url)
        assert got.status_code in (200, 302, 405), (url, got.status_code)


class _Fields(HTMLParser):
    """Form fields of a page and the ids its labels point at."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if found.get("for"):
                self.label_for.add(str(found["for"]))
        elif tag in ("input", "select", "textarea"):
            kind = (found.get("type") or "text").lower()
            if tag == "input" and kind in ("hidden", "submit", "button", "reset", "image"):
                return
            self.fields.append({**found, "tag": tag, "wrapped": "1" if self._in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._in_label:
            self._in_label -= 1


def test_every_form_field_of_every_page_has_a_label(world: World, things: dict) -> None:
    # For screen readers and voice control: a field is named by a <label for>, by the label it
    # sits in, or by aria-label / aria-labelledby.
    client = client_for(world, "admin")
    unlabelled = []
    pages = fields = 0
    for route in agency_routes():
        got = client.get(url_of(route, things))
        if got.status_code != 200 or "text/html" not in got.get("Content-Type", ""):
            continue
        pages += 1
        parser = _Fields()
        parser.feed(got.content.decode())
        fields += len(parser.fields)
        for field in parser.fields:
            named = (
                field.get("wrapped")
                or field.get("aria-label")
                or field.get("aria-labelledby")
                or (field.get("id") and field["id"] in parser.label_for)
            )
            if not named:
                unlabelled.append((route, field.get("tag"), field.get("name")))
    assert pages >= 15 and fields >= 50  # the pages and their forms were really read
    assert unlabelled == []


def test_the_label_check_finds_an_unlabelled_field() -> None:
    parser = _Fields()
    parser.feed('<label for="a">A</label><input id="a"><label>B <input></label><input id="c">')
    named = [f for f in parser.fields if f.get("wrapped") or f.get("id") in parser.label_for]
    assert len(parser.fields) == 3 and len(named) == 2
