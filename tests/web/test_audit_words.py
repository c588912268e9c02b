"""The audit log in words (issue 11): field names, not keys; labels, not codes; no JSON."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from openita.documents import pdf
from openita.web.approvals.models import Subject
from openita.web.audit.models import AuditEntry
from openita.web.audit.selectors import changes_of
from openita.web.audit.words import shown
from openita.web.publishing import services as publishing
from tests.web.conftest import World
from tests.web.test_approvals import decide, submit
from tests.web.test_plans import drafted
from tests.web.test_views import client_for


def test_values_in_words() -> None:
    assert shown("submitted", "status") == "รอพิจารณา"
    assert shown("in_progress", "status") == "อยู่ระหว่างดำเนินการ"
    assert shown("progress6", "subject") == "รายงานผลรอบ 6 เดือน"
    assert shown("executive", "role") == "ผู้บริหาร"
    assert shown("2023-09-30", "due") == "30 กันยายน 2566"
    assert shown(2_500_000, "size") == "2.4 MB"
    assert shown([6, 12], "rounds") == "6, 12"
    assert shown(True) == "ใช่" and shown(None) == "-"
    person = {"officer": {"name": "นายหนึ่ง", "position": "นิติกร"}}
    assert shown(person, "signers") == "เจ้าหน้าที่: ชื่อ: นายหนึ่ง; ตำแหน่ง: นิติกร"


def test_only_what_changed_is_listed() -> None:
    entry = AuditEntry(
        before={"subject": "plan", "version": 2, "status": "submitted", "reason": ""},
        after={"subject": "plan", "version": 2, "status": "rejected", "reason": "ไม่ครบ"},
    )
    rows = [(c.field, c.before, c.after) for c in changes_of(entry)]
    assert rows == [("สถานะ", "รอพิจารณา", "ไม่อนุมัติ"), ("เหตุผล", "-", "ไม่ครบ")]


def test_the_log_page_after_a_cycle_has_no_raw_codes_or_json(
    world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", lambda document: b"%PDF-1.7 stand-in\n")
    plan = drafted(world)
    request = submit(world, plan)
    decide(world, request)
    report = submit(world, plan, Subject.PROGRESS_6)
    decide(world, report, approve=False, reason="ขอหลักฐาน")
    publishing.publication_publish(
        plan=plan, version=request.version, subject=Subject.PLAN, user=world.users["officer_a"]
    )
    page = client_for(world, "executive_a").get(reverse("audit:log", args=[world.a.pk]))
    html = page.content.decode()
    table = html[html.index('<table class="audit"') : html.index("</table>")]
    cells = re.sub(r"<[^>]+>", " ", table)
    for raw in ("submitted", "approved", "rejected", "progress6", "{", "}", '"', "version"):
        assert raw not in cells, raw
    assert "รอพิจารณา" in cells and "อนุมัติแล้ว" in cells and "ฉบับที่" in cells


def test_the_version_diff_shows_progress_in_words(world: World) -> None:
    from openita.web.plans import selectors as plan_selectors
    from tests.web.test_approvals import with_progress

    plan = drafted(world)
    first = plan_selectors.current_version(plan)
    second = with_progress(world, plan, 6, "ประชุมชี้แจงแล้ว")
    diff = plan_selectors.plan_diff(first, second)
    fields = {f.name: (f.before, f.after) for m in diff.changed for f in m.fields}
    # progress compared per round and field, each in words (never a status code)
    assert fields["รอบ 6 เดือน: สถานะ"] == ("ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ")
    assert fields["รอบ 6 เดือน: ร้อยละความคืบหน้า"] == ("0%", "30%")
    assert fields["รอบ 6 เดือน: ผลการดำเนินการ"] == ("-", "ประชุมชี้แจงแล้ว")
    page = client_for(world, "officer_a").get(
        reverse("plans:diff", args=[world.a.pk, plan.pk]),
        {"a": first.number, "b": second.number},
    )
    html = page.content.decode()
    # the changed words are marked: <ins>อยู่ระหว่าง</ins>ดำเนินการ
    assert "<ins>อยู่ระหว่าง</ins>ดำเนินการ" in html and "<ins>30</ins>%" in html
    assert "in_progress" not in html


def test_the_framework_choice_has_distinct_labels(world: World) -> None:
    from openita.web.results.selectors import framework_choices

    labels = [label for _, label in framework_choices()]
    assert len(set(labels)) == len(labels) >= 2
    assert any(x == "ita-2565 · ปีงบประมาณ 2563–2565 · ตรวจกับเอกสารทางการแล้ว" for x in labels)
    page = client_for(world, "officer_a").get(reverse("results:upload", args=[world.a.pk]))
    assert "ita-2568 · ปีงบประมาณ 2568 · ข้อมูลเบื้องต้น รอตรวจสอบ" in page.content.decode()
