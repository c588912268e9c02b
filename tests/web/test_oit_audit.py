"""OIT in the web app, second half: the website crawl's proposals (confirm/reject), the
scheduled recheck with its once-only notices, and the auditor's review with one dispute round
whose confirmed scores flow into the year's results and analysis document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from openita import engine, frameworks
from openita.documents.html import render_html
from openita.oit.predict import predict
from openita.web.agencies.models import AgencySettings, Role
from openita.web.agencies.services import membership_grant
from openita.web.audit.models import AuditEntry
from openita.web.oit import recheck, review
from openita.web.oit.models import (
    BreakNotice,
    LinkCheck,
    OitChecklist,
    OitEntry,
    Proposal,
    ProposalState,
    ProvincialAuditor,
    Recheck,
    Stage,
)
from openita.web.results.models import Assessment
from openita.web.results.selectors import analysis_document, result_of
from openita.web.results.services import assessment_enter, entry_stamp
from tests.oit import agency_site
from tests.web.conftest import World, agency_pk

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
YEAR = 2569


@pytest.fixture
def website() -> Iterator[str]:
    with agency_site.serve() as base:
        yield base


@pytest.fixture
def immediate(settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Tasks run at once, when the request's transaction commits."""
    settings.TASKS = IMMEDIATE
    return django_capture_on_commit_callbacks


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: World, tail: str = "") -> str:
    return f"/agencies/{agency_pk(world.a)}/oit/{YEAR}/{tail}"


def _entry(world: World, code: str) -> OitEntry:
    return OitEntry.objects.get(checklist__agency=world.a, checklist__fiscal_year=YEAR, code=code)


def _save(client: Client, world: World, code: str, **fields: Any) -> Any:
    entry = _entry(world, code)
    data = {
        "urls": "\n".join(entry.url_list),
        "status": entry.status,
        "unit": entry.unit,
        "due": "",
        "note": entry.note,
        "revision": entry.revision,
        **fields,
    }
    return client.post(_url(world, f"{code}/"), data)


def _auditor(world: World) -> User:
    user = User.objects.create_user("auditor_a", "auditor@example.invalid", "pw-12345")
    membership_grant(user=user, agency=world.a, role=Role.AUDITOR)
    return user


def _items() -> list[str]:
    fw = frameworks.for_year(YEAR)
    assert fw is not None
    return [i.code for i in next(t for t in fw.tools if t.kind == "checklist").items]


def _oit(fw: frameworks.Framework, *passed: str) -> float:
    """The engine's OIT score when exactly these items pass (all-or-nothing items)."""
    return predict(fw, {c: True for c in passed}).oit


def test_demo_agency_prepares_and_is_audited(world: World, website: str, immediate: Any) -> None:
    """The issue's whole story for FY2569, end to end."""
    officer = _client(world.users["officer_a"])
    AgencySettings.objects.create(agency=world.a, website=website)
    assert officer.post(f"/agencies/{agency_pk(world.a)}/oit/", {"fiscal_year": YEAR}).status_code
    checklist = OitChecklist.objects.get(agency=world.a, fiscal_year=YEAR)

    # 1. The crawl of the agency's website (from its settings) proposes pages, with reasons.
    with immediate(execute=True):
        assert officer.post(_url(world, "crawl/"), {"website": ""}).status_code == 302
    checklist.refresh_from_db()
    assert checklist.crawl_start == website and checklist.crawl_finished is not None
    o1 = Proposal.objects.get(checklist=checklist, code="o1", url=f"{website}/about/structure")
    assert any("O1" in why for why in o1.reasons)
    page = officer.get(_url(world)).content.decode()
    assert "/about/structure" in page and "ระบุรหัสข้อ O1" in page
    assert not any("/private/" in p.url for p in Proposal.objects.filter(checklist=checklist))

    # 2. The officer confirms one (it joins the item's links) and rejects another (kept).
    assert (
        officer.post(_url(world, f"proposals/{o1.pk}/"), {"action": "confirm"}).status_code == 302
    )
    assert _entry(world, "o1").url_list == [o1.url]
    wrong = Proposal.objects.filter(checklist=checklist, state=ProposalState.PROPOSED).exclude(
        code="o1"
    )[0]
    officer.post(_url(world, f"proposals/{wrong.pk}/"), {"action": "reject"})
    wrong.refresh_from_db()
    assert wrong.state == ProposalState.REJECTED
    assert AuditEntry.objects.filter(agency=world.a, summary__contains="ยืนยันหน้าเว็บ").exists()
    assert officer.post(_url(world, f"proposals/{o1.pk}/"), {"action": "bogus"}).status_code == 400
    # A second crawl proposes neither again (the rejected one stays rejected).
    before = Proposal.objects.filter(checklist=checklist).count()
    with immediate(execute=True):
        officer.post(_url(world, "crawl/"), {"website": website})
    assert Proposal.objects.filter(checklist=checklist, code=wrong.code, url=wrong.url).count() == 1
    assert not Proposal.objects.filter(checklist=checklist, code="o1", url=o1.url).exclude(pk=o1.pk)
    assert Proposal.objects.filter(checklist=checklist).count() == before

    # 3. Items made ready; one link is broken, and the link checker finds it.
    _save(officer, world, "o1", status="ready")
    _save(officer, world, "o3", urls=f"{website}/files/contact.pdf", status="ready")
    _save(officer, world, "o5", urls=f"{website}/plans/2569-gone", status="ready")
    with immediate(execute=True):
        assert officer.post(_url(world, "check/")).status_code == 302
    broken = LinkCheck.objects.get(entry=_entry(world, "o5"))
    assert not broken.ok and broken.status == 404
    assert LinkCheck.objects.get(entry=_entry(world, "o3")).ok

    # 4. The predicted OIT score counts o1 and o3, not o5 (broken); fixing o5 adds its worth.
    from openita.web.oit.selectors import checklist_page

    # The structure page does not name the year: the checker says so (it does not count).
    assert LinkCheck.objects.get(entry=_entry(world, "o1")).problem == "no_year"
    fw = frameworks.get(checklist.framework_id)
    predicted = checklist_page(checklist).prediction
    assert predicted.ready == 1 and predicted.oit == pytest.approx(_oit(fw, "o3"))
    worth = {w.code: w.points for w in predicted.missing}
    _save(officer, world, "o5", urls=f"{website}/files/plan-2566-2570.pdf", status="ready")
    with immediate(execute=True):
        officer.post(_url(world, "check/"))
    after = checklist_page(checklist).prediction
    assert after.oit == pytest.approx(predicted.oit + worth["o5"], abs=0.01)
    assert after.oit == pytest.approx(_oit(fw, "o3", "o5"))

    # The year's survey results are in (IIT and EIT), with the OIT as the agency gave it.
    framework_id = checklist.framework_id
    assessment_enter(
        agency=world.a,
        fiscal_year=YEAR,
        framework_id=framework_id,
        scores={"IIT": 88.0, "EIT": 82.0, "OIT": 90.0},
        based_on=entry_stamp(None),
        user=None,
    )

    before_review = officer.get(f"/agencies/{agency_pk(world.a)}/results/{YEAR}/").content
    assert "คะแนน OIT: หน่วยงานประเมินตนเอง" in before_review.decode()

    # 5. The auditor's preliminary verdicts: o1, o3, o5 pass, the rest fail.
    auditor = _client(_auditor(world))
    marks = {f"p-{c}": "pass" if c in ("o1", "o3", "o5") else "fail" for c in _items()}
    marks |= {f"c-{c}": "ไม่พบข้อมูลตามองค์ประกอบ" for c in _items() if marks[f"p-{c}"] == "fail"}
    # The officer cannot give verdicts.
    assert officer.post(_url(world, "review/"), {"action": "save", **marks}).status_code == 404
    assert auditor.post(_url(world, "review/"), {"action": "send", **marks}).status_code == 302
    checklist.refresh_from_db()
    assert checklist.stage == Stage.DISPUTE
    assert review.preliminary_score(checklist) == pytest.approx(_oit(fw, "o1", "o3", "o5"))

    # 6. The one dispute round: the agency answers o2; the auditor changes it to pass.
    answer = {"action": "answers", "a-o2": "เผยแพร่ข้อมูลผู้บริหารแล้วที่หน้าเกี่ยวกับเรา"}
    assert officer.post(_url(world, "review/"), answer).status_code == 302
    bad = officer.post(_url(world, "review/"), {"action": "answers", "a-o1": "x"})
    assert bad.status_code == 400 and "ชี้แจงได้เฉพาะข้อที่ไม่ผ่าน" in bad.content.decode()
    confirm = {"action": "confirm", "f-o2": "pass", "fc-o2": "ตรวจพบตามคำชี้แจง"}
    assert auditor.post(_url(world, "review/"), confirm).status_code == 302
    checklist.refresh_from_db()
    assert checklist.stage == Stage.CONFIRMED and checklist.results_written is not None
    assert review.final_score(checklist) == pytest.approx(_oit(fw, "o1", "o2", "o3", "o5"))
    # No second round: preliminary verdicts are closed now.
    late = auditor.post(_url(world, "review/"), {"action": "save", **marks})
    assert late.status_code == 400

    # 7. The confirmed item scores are in the year's results; IIT and EIT kept as they were.
    assessment = Assessment.objects.get(agency=world.a, fiscal_year=YEAR)
    assert assessment.scores["IIT"] == 88.0 and assessment.scores["EIT"] == 82.0
    assert "OIT" not in assessment.scores
    assert {c: assessment.scores[c] for c in ("o1", "o2", "o3", "o4", "o5")} == {
        "o1": 100.0, "o2": 100.0, "o3": 100.0, "o4": 0.0, "o5": 100.0,
    }  # fmt: skip
    result = result_of(assessment)
    assert result.scores["OIT"] == pytest.approx(_oit(fw, "o1", "o2", "o3", "o5"))
    expected = engine.score(fw, {"IIT": 88.0, "EIT": 82.0, **review.oit_figures(checklist)})
    assert result.total == pytest.approx(expected.total)
    assert "ยืนยันโดยผู้ตรวจประเมิน" in assessment.source_name
    assert review.oit_source(world.a, YEAR) == review.SOURCE_MARK
    html = render_html(analysis_document(assessment), fonts="none")
    assert f"{result.scores['OIT']:.2f}" in html
    results_page = officer.get(f"/agencies/{agency_pk(world.a)}/results/{YEAR}/")
    assert f"{result.scores['OIT']:.2f}" in results_page.content.decode()
    assert "คะแนน OIT: ยืนยันโดยผู้ตรวจประเมิน" in results_page.content.decode()
    # Every verdict is in the audit log.
    verdicts = AuditEntry.objects.filter(agency=world.a, object_type="oit.verdict")
    assert verdicts.filter(summary__contains="ผลตรวจเบื้องต้น").count() == len(_items())
    assert verdicts.filter(summary__contains="ชี้แจง").count() == 1
    assert verdicts.filter(summary__contains="(ยืนยัน)").count() >= 1


def test_provincial_auditor_audits_only_its_province(world: World) -> None:
    from openita.web.oit.services import open_checklist

    user = User.objects.create_user("prov_auditor", "p@example.invalid", "pw-12345")
    ProvincialAuditor.objects.create(user=user, province=world.b.province)
    open_checklist(world.b, YEAR, None)  # type: ignore[arg-type]
    open_checklist(world.c, YEAR, None)  # type: ignore[arg-type]
    client = _client(user)
    assert client.get(f"/agencies/{agency_pk(world.b)}/oit/{YEAR}/review/").status_code == 200
    assert client.get(f"/agencies/{agency_pk(world.c)}/oit/{YEAR}/review/").status_code == 404
    listing = client.get("/oit-audit/").content.decode()
    assert world.b.name in listing and world.c.name not in listing
    # Provincial viewers read but do not audit.
    viewer = _client(world.users["provincial"])
    page = viewer.get(f"/agencies/{agency_pk(world.b)}/oit/{YEAR}/review/")
    assert page.status_code == 200 and 'name="action" value="save"' not in page.content.decode()
    assert (
        viewer.post(
            f"/agencies/{agency_pk(world.b)}/oit/{YEAR}/review/", {"action": "save"}
        ).status_code
        == 404
    )


def test_crawl_without_a_website_says_so(world: World, immediate: Any) -> None:
    officer = _client(world.users["officer_a"])
    officer.post(f"/agencies/{agency_pk(world.a)}/oit/", {"fiscal_year": YEAR})
    response = officer.post(_url(world, "crawl/"), {"website": ""})
    assert response.status_code == 400
    assert "ยังไม่ได้ระบุเว็บไซต์ของหน่วยงาน" in response.content.decode()
    bad = officer.post(_url(world, "crawl/"), {"website": "http://exa mple"})
    assert bad.status_code == 400 and "ใช้ไม่ได้" in bad.content.decode()
    assert not Proposal.objects.exists()


def test_scheduled_recheck_tells_each_breakage_once(
    world: World, website: str, settings: Any
) -> None:
    officer = _client(world.users["officer_a"])
    officer.post(f"/agencies/{agency_pk(world.a)}/oit/", {"fiscal_year": YEAR})
    _save(officer, world, "o3", urls=f"{website}/files/contact.pdf", status="ready")
    assert officer.post(_url(world, "schedule/"), {"recheck": "daily"}).status_code == 302
    assert officer.post(_url(world, "schedule/"), {"recheck": "hourly"}).status_code == 400
    checklist = OitChecklist.objects.get(agency=world.a, fiscal_year=YEAR)
    assert checklist.recheck == Recheck.DAILY
    now = timezone.now()
    # A dry run lists it and does nothing.
    dry = recheck.run_recheck(now=now, dry_run=True)
    assert [c.pk for c in dry.checked] == [checklist.pk] and not LinkCheck.objects.exists()
    first = recheck.run_recheck(now=now)
    assert len(first.checked) == 1 and LinkCheck.objects.get().ok and not mail.outbox
    # Not due again within the day.
    assert not recheck.run_recheck(now=now + dt.timedelta(hours=5)).checked
    # The page disappears: the next day's run tells the officer, once.
    agency_site.Handler.gone.add("/files/contact.pdf")
    second = recheck.run_recheck(now=now + dt.timedelta(days=1))
    assert len(second.notices) == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["officer_a@example.invalid"]
    assert "O3" in mail.outbox[0].subject and f"{website}/files/contact.pdf" in mail.outbox[0].body
    third = recheck.run_recheck(now=now + dt.timedelta(days=2))
    assert len(third.checked) == 1 and not third.notices and len(mail.outbox) == 1
    assert BreakNotice.objects.count() == 1
    assert AuditEntry.objects.filter(agency=world.a, object_type="oit.breaknotice").count() == 1
    # The management command runs the same (nothing due now).
    call_command("oit_recheck", "--dry-run")


def test_confirmed_year_without_results_waits(world: World) -> None:
    from openita.web.oit.services import open_checklist

    checklist = open_checklist(world.a, YEAR, None)  # type: ignore[arg-type]
    user = _auditor(world)
    marks = {c: review.Marking("pass" if c == "o1" else "fail", "") for c in _items()}
    review.save_preliminary(checklist, marks, user)
    review.send_preliminary(checklist, user)
    review.confirm(checklist, {}, user)
    checklist.refresh_from_db()
    assert checklist.stage == Stage.CONFIRMED and checklist.results_written is None
    assert not Assessment.objects.filter(agency=world.a, fiscal_year=YEAR).exists()
    assessment_enter(
        agency=world.a,
        fiscal_year=YEAR,
        framework_id=checklist.framework_id,
        scores={"IIT": 80.0, "EIT": 80.0, "OIT": 70.0},
        based_on="",
        user=None,
    )
    auditor = _client(user)
    assert auditor.post(_url(world, "review/"), {"action": "write"}).status_code == 302
    scores = Assessment.objects.get(agency=world.a, fiscal_year=YEAR).scores
    assert scores["o1"] == 100.0 and scores["o2"] == 0.0 and "OIT" not in scores


@pytest.mark.django_db
def test_demo_has_a_prepared_fy2569_checklist() -> None:
    from openita.web.demo import load_demo

    load_demo()
    load_demo()
    checklist = OitChecklist.objects.get(agency__name="เทศบาลตำบลตัวอย่าง", fiscal_year=YEAR)
    filled = checklist.entries.exclude(urls="")
    assert filled.count() == 8 and checklist.entries.filter(status="ready").count() == 4
    assert all(u.startswith("https://www.example.go.th/") for e in filled for u in e.url_list)
    assert not LinkCheck.objects.exists() and checklist.recheck == Recheck.OFF


def test_recheck_command_line(tmp_path: Any) -> None:
    """``openita oit recheck --dry-run`` on a fresh data directory: migrates, lists, exit 0."""
    import os
    import subprocess
    import sys

    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)},
        "OPENITA_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "openita.cli.main", "oit", "recheck", "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "0 checklist(s) due, 0 notice(s) sent" in done.stdout


def test_merged_scores_keep_the_surveys_and_replace_every_oit_figure() -> None:
    fw = frameworks.for_year(YEAR)
    assert fw is not None
    given = {"i1": 90.0, "ind6": 80.0, "EIT": 81.0, "ind9": 70.0, "OIT": 75.0, "total": 88.1}
    merged = review.merged_scores(fw, given, {"o1": 100.0, "o2": 0.0})
    assert merged == {"i1": 90.0, "ind6": 80.0, "EIT": 81.0, "o1": 100.0, "o2": 0.0}


def test_auditor_reviews_but_does_not_edit_the_checklist(world: World) -> None:
    from openita.web.oit.services import open_checklist

    open_checklist(world.a, YEAR, None)  # type: ignore[arg-type]
    auditor = _client(_auditor(world))
    assert auditor.get(_url(world, "review/")).status_code == 200
    assert auditor.get(_url(world, "o1/")).status_code == 404
    assert auditor.post(_url(world, "crawl/"), {"website": "https://x.example"}).status_code == 404
    # Answers are the agency's, not the auditor's.
    assert auditor.post(_url(world, "review/"), {"action": "answers"}).status_code == 404
    # Sending before every item has a verdict is refused, naming the items.
    marks = {"action": "send", "p-o1": "pass"}
    response = auditor.post(_url(world, "review/"), marks)
    assert response.status_code == 400 and "ยังไม่ได้ตรวจข้อ O2" in response.content.decode()
    assert OitChecklist.objects.get(agency=world.a, fiscal_year=YEAR).stage == Stage.PRELIMINARY
