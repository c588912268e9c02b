"""The OIT checklist in the web app: open a year (carried over), edit items, check the links
against a fixture site on 127.0.0.1, the predicted score, exports, access."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from openita import engine, frameworks
from openita.oit.linkfile import read_links
from openita.oit.predict import predict
from openita.web.audit.models import AuditEntry
from openita.web.jobs.models import JobRun
from openita.web.oit import services
from openita.web.oit.models import LinkCheck, OitChecklist, OitEntry
from openita.web.results.models import Assessment
from tests.oit.site import serve
from tests.web.conftest import World, agency_pk

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def site() -> Iterator[str]:
    with serve() as base:
        yield base


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _open(client: Client, world: World, year: int) -> Any:
    return client.post(f"/agencies/{agency_pk(world.a)}/oit/", {"fiscal_year": year})


def _entry(world: World, year: int, code: str) -> OitEntry:
    return OitEntry.objects.get(checklist__agency=world.a, checklist__fiscal_year=year, code=code)


def _save(client: Client, world: World, year: int, code: str, **fields: Any) -> Any:
    entry = _entry(world, year, code)
    data = {
        "urls": "",
        "status": "not_started",
        "unit": "",
        "due": "",
        "note": "",
        "revision": entry.revision,
        **fields,
    }
    return client.post(f"/agencies/{agency_pk(world.a)}/oit/{year}/{code}/", data)


def test_open_a_year_from_its_framework(world: World) -> None:
    officer = _client(world, "officer_a")
    response = _open(officer, world, 2569)
    assert response.status_code == 302
    checklist = OitChecklist.objects.get(agency=world.a, fiscal_year=2569)
    fw = frameworks.for_year(2569)
    assert fw is not None and checklist.framework_id == fw.id
    oit = next(t for t in fw.tools if t.kind == "checklist")
    assert sorted(checklist.entries.values_list("code", flat=True)) == sorted(
        i.code for i in oit.items
    )
    page = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" in html  # O25 of FY2569
    assert "ยังไม่ทราบชื่อข้อ" in html  # unknown titles are said to be unknown, not invented
    assert "หลักเกณฑ์ฉบับชั่วคราว" in html
    assert AuditEntry.objects.filter(agency=world.a, object_type="oit.oitchecklist").count() == 1
    # Opening again changes nothing.
    assert _open(officer, world, 2569).status_code == 302
    assert OitChecklist.objects.filter(agency=world.a).count() == 1


def test_a_year_without_framework_is_refused(world: World) -> None:
    response = _open(_client(world, "officer_a"), world, 2600)
    assert response.status_code == 400
    assert "ยังไม่มีหลักเกณฑ์การประเมินของปีงบประมาณ 2600" in response.content.decode()
    assert not OitChecklist.objects.exists()


def test_next_year_carries_links_through_the_mapping(world: World) -> None:
    officer = _client(world, "officer_a")
    _open(officer, world, 2568)
    first = _save(officer, world, 2568, "o1", urls="https://example.go.th/structure",
                  unit="สำนักปลัด", status="ready")  # fmt: skip
    assert first.status_code == 302
    _open(officer, world, 2569)
    carried = _entry(world, 2569, "o1")
    assert carried.url_list == ["https://example.go.th/structure"]
    assert carried.unit == "สำนักปลัด"
    assert carried.status == "not_started"  # to be checked again, never assumed ready
    assert carried.carried == "o1"
    # What the mapping file says of each FY2569 item is what the checklist shows.
    from openita.frameworks import mappings

    mapping = mappings.get("ita-2568", "ita-2569")
    continued = {
        n for o in frameworks.get("ita-2568").items for n in mappings.carry(mapping, o.code)
    }
    for entry in OitChecklist.objects.get(agency=world.a, fiscal_year=2569).entries.all():
        assert (entry.carried == "new") == (entry.code not in continued)


def test_bad_links_are_refused_with_the_reason(world: World) -> None:
    officer = _client(world, "officer_a")
    _open(officer, world, 2569)
    response = _save(officer, world, 2569, "o4", urls="www.example.go.th/news", status="ready")
    assert response.status_code == 400
    html = response.content.decode()
    assert "ลิงก์ www.example.go.th/news ไม่ได้ขึ้นต้นด้วย http:// หรือ https://" in html
    assert 'href="#id_urls"' in html  # the summary at the top links to the field
    assert _entry(world, 2569, "o4").urls == ""
    no_link = _save(officer, world, 2569, "o4", status="ready")
    assert no_link.status_code == 400
    assert "ข้อที่พร้อมต้องมีลิงก์อย่างน้อยหนึ่งลิงก์" in no_link.content.decode()


def test_a_stale_save_is_refused(world: World) -> None:
    officer = _client(world, "officer_a")
    _open(officer, world, 2569)
    entry = _entry(world, 2569, "o4")
    old_revision = entry.revision
    assert _save(officer, world, 2569, "o4", urls="https://a.go.th/1").status_code == 302
    stale = officer.post(
        f"/agencies/{agency_pk(world.a)}/oit/2569/o4/",
        {"urls": "https://a.go.th/2", "status": "not_started", "revision": old_revision},
    )
    assert stale.status_code == 409
    assert _entry(world, 2569, "o4").url_list == ["https://a.go.th/1"]


def test_link_check_and_prediction(
    world: World, site: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    officer = _client(world, "officer_a")
    _open(officer, world, 2569)
    fw = frameworks.get(OitChecklist.objects.get(agency=world.a).framework_id)
    # Every item ready with a good page, but o5's second link is broken.
    for entry in OitChecklist.objects.get(agency=world.a).entries.all():
        urls = f"{site}/files/plan.pdf"
        if entry.code == "o5":
            urls += f"\n{site}/gone"
        assert _save(officer, world, 2569, entry.code, urls=urls, status="ready").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"/agencies/{agency_pk(world.a)}/oit/2569/check/")
    assert response.status_code == 302
    checks = LinkCheck.objects.filter(entry__checklist__agency=world.a)
    assert checks.count() == len(fw.items) - 30 - 15 + 1  # one per link: OIT items, plus o5's
    # ... through the jobs app (done once, listed on the jobs page of the agency's officers).
    (run,) = JobRun.objects.filter(kind="oit_links", agency=world.a)
    assert run.units.get(key=str(run.arguments["checklist_id"])).state == "done"
    broken = checks.get(ok=False)
    assert (broken.url, broken.status, broken.problem) == (f"{site}/gone", 404, "http_error")
    page = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/").content.decode()
    assert "เซิร์ฟเวอร์ตอบว่าเกิดข้อผิดพลาด" in page and "HTTP 404" in page
    # o5 counts as missing while its link is broken; the rest are all there.
    oit = next(t for t in fw.tools if t.kind == "checklist")
    expected = predict(fw, {i.code: i.code != "o5" for i in oit.items})
    from openita.web.oit.selectors import checklist_page

    got = checklist_page(OitChecklist.objects.get(agency=world.a))
    assert got.prediction.oit == pytest.approx(expected.oit)
    assert [w.code for w in got.prediction.missing] == ["o5"]
    assert got.broken == 1


def test_prediction_uses_the_latest_survey_results(world: World) -> None:
    Assessment.objects.create(
        agency=world.a, fiscal_year=2568, framework_id="ita-2568",
        scores={"IIT": 92.0, "EIT": 84.0, "OIT": 90.0},
    )  # fmt: skip
    checklist = services.open_checklist(world.a, 2569, world.users["officer_a"])
    entries = list(checklist.entries.all())
    for entry in entries[:20]:
        entry.urls, entry.status = "https://example.go.th/x", "ready"
        entry.save()
    from openita.web.oit.selectors import checklist_page

    page = checklist_page(checklist)
    fw = frameworks.get(checklist.framework_id)
    given = {e.code: 100.0 if e.status == "ready" else 0.0 for e in entries}
    expected = engine.score(fw, {"IIT": 92.0, "EIT": 84.0, **given})
    assert page.survey_year == 2568
    assert page.prediction.total == pytest.approx(expected.total)
    assert page.prediction.of_total


def test_export_reads_back_and_is_safe(world: World, tmp_path: Path) -> None:
    officer = _client(world, "officer_a")
    _open(officer, world, 2569)
    _save(officer, world, 2569, "o1", urls="https://example.go.th/a https://example.go.th/b")
    response = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/export.csv")
    assert response.status_code == 200
    path = tmp_path / "oit.csv"
    path.write_bytes(response.content)
    fw = frameworks.get(OitChecklist.objects.get(agency=world.a).framework_id)
    links = read_links(path, fw, year=2569)  # what `openita oit check` reads
    assert [(link.code, link.url) for link in links] == [
        ("o1", "https://example.go.th/a"),
        ("o1", "https://example.go.th/b"),
    ]
    xlsx = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    text = pdf_text(pdf.content)
    assert "รายการข้อมูลการเปิดเผยข้อมูลสาธารณะ (OIT)" in text
    assert "https://example.go.th/a" in text and "โครงสร้าง หน้าที่และอำนาจ" in text
    docx = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/export.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def pdf_text(data: bytes) -> str:
    import subprocess

    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return " ".join(done.stdout.decode("utf-8").split())


def test_access(world: World) -> None:
    services.open_checklist(world.a, 2569, world.users["officer_a"])
    base = f"/agencies/{agency_pk(world.a)}/oit/"
    assert _client(world, "officer_b").get(base + "2569/").status_code == 404
    viewer = _client(world, "viewer_a")
    assert viewer.get(base + "2569/").status_code == 200
    assert viewer.get(base + "2569/o1/").status_code == 404  # editing is for editors
    assert viewer.post(base + "2569/check/").status_code == 404
    assert _client(world, "provincial").get(base + "2569/").status_code == 200
    assert Client().get(base + "2569/").status_code == 302  # to the login page


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_the_check_runs_on_the_database_queue(world: World, site: str, settings: Any) -> None:
    """The default backend queues the check in the database; a worker (`openita worker`,
    Django's db_worker) takes it and stores the results."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    officer = _client(world, "officer_a")
    _open(officer, world, 2569)
    _save(officer, world, 2569, "o4", urls=f"{site}/files/plan.pdf {site}/gone", status="ready")
    officer.post(f"/agencies/{agency_pk(world.a)}/oit/2569/check/")
    assert not LinkCheck.objects.exists()  # queued, not run in the request
    page = officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/").content.decode()
    assert "กำลังตรวจลิงก์" in page
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert sorted(LinkCheck.objects.values_list("ok", flat=True)) == [False, True]
    assert (
        "กำลังตรวจลิงก์"
        not in officer.get(f"/agencies/{agency_pk(world.a)}/oit/2569/").content.decode()
    )
