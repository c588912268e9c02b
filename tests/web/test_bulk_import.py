"""Bulk import on the web and on the command line: a preview that names every bad row and saves
nothing, then one transaction, once, refused when stale; who may; stored figures; audit."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openita.cli.main import cli
from openita.web.agencies.models import Agency
from openita.web.agencies.services import national_viewer_grant, provincial_viewer_grant
from openita.web.audit.models import AuditEntry
from openita.web.bulkimport import services
from openita.web.bulkimport.models import BulkUpload
from openita.web.results.models import Assessment
from tests.importers.bulk_files import row, to_csv, to_xlsx
from tests.importers.test_bulk import KNOWN, bad_file
from tests.web.conftest import World
from tests.web.test_views import client_for

URL = "/bulk-import/"


def clean_rows(world: World) -> list[dict[str, str]]:
    return [
        row(1, "", world.a.name, "ตัวอย่าง", "เทศบาลตำบล", 2568, 90),  # on file, by name
        row(2, "", world.b.name, "ตัวอย่าง", "อบต.", 2567, 80),
        row(3, "5001", "อบต.ใหม่", "เชียงราย", "อบต.", 2568, 70, district="แม่สาย"),
        row(4, "5001", "อบต.ใหม่", "เชียงราย", "อบต.", 2567, 75),
    ]


def post(client, data: bytes, name: str = "ผล.csv", create: bool = False):  # type: ignore[no-untyped-def]
    fields = {"file": SimpleUploadedFile(name, data)}
    if create:
        fields["create_agencies"] = "on"  # type: ignore[assignment]
    return client.post(URL, fields)


def counts() -> tuple[int, int, int]:
    return Assessment.objects.count(), Agency.objects.count(), AuditEntry.objects.count()


def known_agencies() -> None:
    """The agencies the pure tests know (tests/importers/test_bulk.py KNOWN), on file."""
    for a in KNOWN.by_name.values():
        Agency.objects.create(name=a.name, code=a.code, province=a.province,
                              district=a.district, kind=a.kind)  # fmt: skip


def test_a_file_with_bad_rows_imports_nothing_and_names_every_row(world: World) -> None:
    known_agencies()
    client = client_for(world, "admin")
    text, expect = bad_file()
    before = counts()
    got = post(client, text.encode("cp874"))
    assert got.status_code == 400
    page = got.content.decode()
    for line in expect:
        assert f'<td class="num">{line}</td>' in page, line
    assert '<td class="num">2</td>' not in page  # the good line
    assert "ไม่พบหน่วยงาน" in page and "อยู่นอกช่วง 0–100" in page
    assert "ต่างเกินการปัดเศษ" in page and "หน่วยงานและปีเดียวกับแถว 2" in page
    assert 'name="upload"' not in page  # nothing to confirm
    assert counts() == before
    assert not BulkUpload.objects.exists()


def test_preview_then_one_import_with_agencies_created_and_figures_stored(world: World) -> None:
    client = client_for(world, "admin")
    before = counts()
    got = post(client, to_xlsx(clean_rows(world)), "ผล.xlsx", create=True)
    assert got.status_code == 200, got.content.decode()[:2000]
    page = got.content.decode()
    assert "อบต.ใหม่" in page and "แม่สาย" in page
    assert counts() == before  # a preview saves no result and no agency
    upload = BulkUpload.objects.get()
    done = client.post(reverse("bulkimport:confirm"), {"upload": upload.pk}, follow=True)
    assert "นำเข้าแล้ว" in done.content.decode()
    new = Agency.objects.get(code="5001")
    assert (new.name, new.province, new.district, new.kind) == (
        "อบต.ใหม่",
        "เชียงราย",
        "แม่สาย",
        "sao",
    )
    saved = Assessment.objects.get(agency=world.a, fiscal_year=2568)
    cells = clean_rows(world)[0]
    assert saved.total == Decimal(cells["คะแนนรวม"])
    assert saved.rating == cells["ระดับ"]
    assert saved.figures["IIT"] == float(cells["IIT"]) and saved.figures_key
    assert saved.scores["ind1"] == float(cells["ind1"])
    assert Assessment.objects.filter(agency=new).count() == 2
    logged = AuditEntry.objects.filter(object_type="results.assessment")
    assert logged.count() == 4 and logged.filter(agency=world.a).count() == 1
    assert AuditEntry.objects.filter(object_type="agencies.agency", agency=new).exists()
    after = counts()
    # a second submit of the same preview does nothing again
    again = client.post(reverse("bulkimport:confirm"), {"upload": upload.pk}, follow=True)
    assert "นำเข้าไปแล้ว" in again.content.decode()
    assert counts() == after


def test_agencies_are_not_created_unless_ticked(world: World) -> None:
    client = client_for(world, "admin")
    got = post(client, to_csv(clean_rows(world)).encode())
    assert got.status_code == 400
    assert "ไม่พบรหัสหน่วยงาน 5001" in got.content.decode()
    assert not Agency.objects.filter(code="5001").exists()


def test_a_stale_preview_is_refused_and_nothing_is_imported(world: World) -> None:
    client = client_for(world, "admin")
    rows = clean_rows(world)[:2]
    post(client, to_csv(rows).encode())
    upload = BulkUpload.objects.get()
    # someone saves agency A's 2568 results after the preview
    Assessment.objects.create(agency=world.a, fiscal_year=2568, framework_id="ita-2568",
                              scores={"IIT": 50.0, "EIT": 50.0, "OIT": 50.0})  # fmt: skip
    before = counts()
    got = client.post(reverse("bulkimport:confirm"), {"upload": upload.pk}, follow=True)
    assert "ใช้นำเข้าไม่ได้แล้ว" in got.content.decode()
    assert counts() == before
    assert Assessment.objects.get(agency=world.a, fiscal_year=2568).scores["IIT"] == 50.0


def test_a_result_on_file_is_replaced_and_the_change_logged(world: World) -> None:
    Assessment.objects.create(agency=world.a, fiscal_year=2568, framework_id="ita-2568",
                              scores={"IIT": 50.0, "EIT": 50.0, "OIT": 50.0})  # fmt: skip
    client = client_for(world, "admin")
    got = post(client, to_csv(clean_rows(world)[:1]).encode())
    assert got.status_code == 200 and "ผลเดิมที่จะถูกแทนที่ 1" in got.content.decode()
    client.post(reverse("bulkimport:confirm"), {"upload": BulkUpload.objects.get().pk})
    saved = Assessment.objects.get(agency=world.a, fiscal_year=2568)
    assert saved.scores["IIT"] != 50.0 and saved.total is not None and saved.total > 80
    entry = AuditEntry.objects.get(object_type="results.assessment", agency=world.a)
    assert entry.action == "change" and entry.before["IIT"] == 50.0


def test_who_may_import(world: World) -> None:
    data = to_csv(clean_rows(world)[:2]).encode()
    for role in ("officer_a", "executive_a", "viewer_a", "officer_b"):
        assert client_for(world, role).get(URL).status_code == 403, role
        assert post(client_for(world, role), data).status_code == 403, role
    assert client_for(world, None).get(URL).status_code == 302
    national = User.objects.create_user("national", "n@example.invalid", "pw-12345")
    national_viewer_grant(user=national)
    national_client = Client()
    national_client.force_login(national)
    assert national_client.get(URL).status_code == 200  # every province
    assert post(national_client, to_csv(clean_rows(world)).encode(), create=True).status_code == 200
    provincial = client_for(world, "provincial")  # the province ตัวอย่าง
    assert provincial.get(URL).status_code == 200
    assert post(provincial, data).status_code == 200
    other = clean_rows(world)[2:3]  # Chiang Rai: not theirs, even to create
    refused = post(provincial, to_csv(other).encode(), create=True)
    assert refused.status_code == 400 and "อยู่นอกจังหวัดที่ท่านนำเข้าได้" in refused.content.decode()


def test_someone_elses_preview_cannot_be_confirmed(world: World) -> None:
    provincial_viewer_grant(user=world.users["officer_b"], province="ตัวอย่าง")
    post(client_for(world, "admin"), to_csv(clean_rows(world)[:1]).encode())
    upload = BulkUpload.objects.get()
    before = counts()
    client_for(world, "officer_b").post(reverse("bulkimport:confirm"), {"upload": upload.pk})
    assert counts() == before


@pytest.fixture
def files(tmp_path: Path, world: World) -> dict[str, Path]:
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv(clean_rows(world)).encode("cp874"))
    bad = tmp_path / "bad.csv"
    bad.write_text(bad_file()[0], encoding="utf-8-sig")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    return {"good": good, "bad": bad, "broken": broken}


def test_the_command_line(files: dict[str, Path], world: World) -> None:
    known_agencies()
    runner = CliRunner()
    before = counts()
    bad = runner.invoke(cli, ["import-results", str(files["bad"]), "--json"])
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["good_rows"] == 1 and report["bad_rows"] == len(bad_file()[1])
    assert {"line", "column", "value", "reason", "message"} <= set(report["problems"][0])
    assert runner.invoke(cli, ["import-results", str(files["broken"])]).exit_code == 2
    assert runner.invoke(cli, ["import-results", "/nonexistent.csv"]).exit_code == 2
    refused = runner.invoke(cli, ["import-results", str(files["good"])])
    assert refused.exit_code == 1 and "5001" in refused.stderr
    dry = runner.invoke(
        cli, ["import-results", str(files["good"]), "--create-agencies", "--dry-run"]
    )
    assert dry.exit_code == 0 and "dry run" in dry.stdout
    assert counts() == before
    done = runner.invoke(cli, ["import-results", str(files["good"]), "--create-agencies"])
    assert done.exit_code == 0, done.output
    assert "4 new results" in done.stdout and "1 agencies created" in done.stdout
    assert Assessment.objects.count() == before[0] + 4
    again = runner.invoke(cli, ["import-results", str(files["good"]), "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout)["imported"]["unchanged"] == 4
    assert Assessment.objects.count() == before[0] + 4


def test_an_agency_created_meanwhile_makes_the_preview_stale(world: World) -> None:
    client = client_for(world, "admin")
    post(client, to_csv(clean_rows(world)).encode(), create=True)
    Agency.objects.create(name="อื่น", code="5001", province="เชียงราย", kind="sao")
    before = counts()
    got = client.post(reverse("bulkimport:confirm"), {"upload": BulkUpload.objects.get().pk})
    assert got.status_code == 302 and counts() == before


def test_a_preview_expires_after_a_day(world: World) -> None:
    client = client_for(world, "admin")
    post(client, to_csv(clean_rows(world)[:1]).encode())
    old = timezone.now() - timedelta(hours=services.PREVIEW_HOURS + 1)
    BulkUpload.objects.update(created=old)
    before = counts()
    client.post(reverse("bulkimport:confirm"), {"upload": BulkUpload.objects.get().pk})
    assert counts() == before
    post(client, to_csv(clean_rows(world)[1:2]).encode())  # a new preview drops the old one
    assert BulkUpload.objects.count() == 1
