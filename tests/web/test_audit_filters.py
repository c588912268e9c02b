"""The audit log narrowed by date and person (and action), and exported as CSV: exactly the
entries the filters select, every page of them, spreadsheet-safe, Thai intact."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone

from openita.web.audit.models import Action, AuditEntry
from openita.web.audit.services import record
from tests.web.conftest import World
from tests.web.test_views import client_for


def logged(world: World) -> None:
    """Three entries by two people on three days, one with a formula-looking summary."""
    days = [
        dt.datetime(2023, 3, d, 10, 0, tzinfo=timezone.get_current_timezone()) for d in (1, 5, 9)
    ]
    people = [world.users["officer_a"], None, world.users["officer_a"]]
    summaries = ["สร้างแผนมาตรการ", '=HYPERLINK("http://x.invalid")', "แก้ไขแผนมาตรการ"]
    for day, who, summary in zip(days, people, summaries, strict=True):
        entry = record(
            actor=who,
            agency=world.a,
            action=Action.CHANGE,
            object_type="plans.measuresplan",
            object_id="1",
            summary=summary,
            actor_label="" if who else "นางสาวหัวหน้า ใจดี (ลิงก์ส่วนงาน)",
        )
        AuditEntry.objects.filter(pk=entry.pk).update(at=day)


def url(world: World) -> str:
    return reverse("audit:log", args=[world.a.pk])


def export_url(world: World) -> str:
    return reverse("audit:export", args=[world.a.pk])


def test_log_filters_by_person_and_dates(world: World) -> None:
    logged(world)
    client = client_for(world, "executive_a")
    page = client.get(url(world)).content.decode()
    assert 'name="person"' in page and "นางสาวหัวหน้า ใจดี (ลิงก์ส่วนงาน)" in page
    by_person = client.get(url(world), {"person": "officer_a"}).content.decode()
    assert "สร้างแผนมาตรการ" in by_person and "แก้ไขแผนมาตรการ" in by_person
    assert "HYPERLINK" not in by_person
    by_dates = client.get(url(world), {"since": "2023-03-02", "until": "2023-03-09"})
    shown = by_dates.content.decode()
    assert by_dates.status_code == 200
    assert "HYPERLINK" in shown and "แก้ไขแผนมาตรการ" in shown  # the last day is included
    assert "สร้างแผนมาตรการ" not in shown


def test_bad_dates_are_told_not_ignored(world: World) -> None:
    logged(world)
    client = client_for(world, "executive_a")
    response = client.get(url(world), {"since": "2023-03-09", "until": "2023-03-01"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น" in page and "สร้างแผนมาตรการ" not in page
    assert client.get(export_url(world), {"since": "not a date"}).status_code == 400


def test_csv_export_has_the_filtered_entries_spreadsheet_safe(world: World) -> None:
    logged(world)
    client = client_for(world, "executive_a")
    asked = {"since": "2023-03-02", "until": "2023-12-31"}
    page = client.get(url(world), asked).content.decode()
    assert f'href="{export_url(world)}?since=2023-03-02&amp;until=2023-12-31"' in page
    response = client.get(export_url(world), asked)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Thai as UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["เมื่อ", "ผู้ดำเนินการ", "การกระทำ"]
    assert [r[5] for r in rows[1:]] == ["แก้ไขแผนมาตรการ", '\'=HYPERLINK("http://x.invalid")']
    assert rows[1][0] == "2023-03-09 10:00:00" and rows[2][1] == "นางสาวหัวหน้า ใจดี (ลิงก์ส่วนงาน)"


def test_only_log_readers_export(world: World) -> None:
    logged(world)
    for role in ("officer_a", "viewer_a", "officer_b", "provincial"):
        assert client_for(world, role).get(export_url(world)).status_code == 404, role
    assert client_for(world, "admin").get(export_url(world)).status_code == 200
