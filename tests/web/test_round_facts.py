"""Round pages and downloads tell the facts: the 12-month round starts from the 6-month one
(carried forward until updated), an empty round and a memo without date or number say so, and
the result page shows where published figures differ from the recomputed ones."""

from __future__ import annotations

import datetime as dt
import io

import docx as python_docx
from django.urls import reverse

from openita.plans.schema import Person, Signers
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_progress import form_data, index_of, url
from tests.web.test_views import client_for


def _six_month_filled(world: World) -> MeasuresPlan:
    """M1 done and M2 in progress in the 6-month round; the 12-month round untouched."""
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    n1, n2 = index_of(data, "M1"), index_of(data, "M2")
    data.update({f"p-{n1}-status": "done", f"p-{n1}-percent": "100"})
    data.update({f"p-{n1}-done": "จัดประชุมชี้แจงแล้ว"})
    data.update({f"p-{n2}-status": "in_progress", f"p-{n2}-percent": "40"})
    assert client.post(url(world, plan), data).status_code == 302
    return plan


def _form_12(client, world: World, plan: MeasuresPlan) -> dict:
    response = client.get(url(world, plan, 12))
    form, formset = response.context["form"], response.context["formset"]
    data = {"base_version": form.initial["base_version"]}
    for key, value in formset.management_form.initial.items():
        data[f"p-{key}"] = value
    for sub in formset.forms:
        for name, value in (sub.initial or {}).items():
            data[f"{sub.prefix}-{name}"] = value
    return data


def test_twelve_month_page_carries_the_six_month_round(world: World) -> None:
    plan = _six_month_filled(world)
    client = client_for(world, "officer_a")
    response = client.get(url(world, plan, 12))
    assert response.status_code == 200
    rows = {r.measure.id: r for r in response.context["round"].rows}
    assert rows["M1"].carried and rows["M1"].source == 6
    assert rows["M1"].progress.status == "done" and not rows["M1"].overdue
    assert rows["M2"].progress.status == "in_progress" and rows["M2"].carried
    page = response.content.decode()
    assert 'id="round-carried"' in page and "ยกมาจากรอบ 6 เดือน" in page
    assert 'id="round-empty"' not in page
    counts = {c.status: c.count for c in response.context["round"].counts}
    assert counts["done"] >= 1 and counts["not_started"] == 0  # nothing "not started"
    initial = {f.initial["id"]: f.initial for f in response.context["formset"].forms}
    assert initial["M1"]["status"] == "done" and initial["M1"]["done"] == "จัดประชุมชี้แจงแล้ว"


def test_saving_round_12_keeps_untouched_measures_carried(world: World) -> None:
    plan = _six_month_filled(world)
    client = client_for(world, "officer_a")
    data = _form_12(client, world, plan)
    n2 = index_of(data, "M2")
    data.update({f"p-{n2}-status": "done", f"p-{n2}-percent": "100"})
    assert client.post(url(world, plan, 12), data).status_code == 302
    content = plan_of(selectors.current_version(plan).content)
    by_id = {m.id: m for m in content.measures}
    assert 12 not in by_id["M1"].progress  # still carried from round 6
    assert by_id["M2"].progress[12].status == "done"
    rows = {r.measure.id: r for r in selectors.round_of(content, 12).rows}
    assert rows["M1"].carried and rows["M2"].state == "entered"


def test_empty_round_and_memo_blanks_are_said(world: World) -> None:
    plan = drafted(world)
    page = client_for(world, "viewer_a").get(url(world, plan, 6)).content.decode()
    assert 'id="round-empty"' in page and 'id="memo-blank"' in page
    assert "ยังไม่ได้รายงานผล" in page
    english = client_for(world, "viewer_a")
    english.cookies["django_language"] = "en"
    page = english.get(url(world, plan, 6)).content.decode()
    assert "Nothing has been entered for the 6-month round yet" in page
    assert "leaves both blank to fill in by hand" in page


def test_memo_download_leaves_date_and_number_blank(world: World) -> None:
    plan = drafted(world)
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    signers = Signers(
        officer=Person(name="นายหนึ่ง ใจดี", position="นิติกร"),
        executive=Person(name="นายสอง ใจงาม", position="นายกเทศมนตรี"),
    )
    agency = content.agency.model_copy(update={"signers": signers})
    services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"agency": agency}),
        base_version=version.number,
    )
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 12, "memo", "docx"])
    response = client_for(world, "viewer_a").get(address)
    assert response.status_code == 200
    document = python_docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "...................." in text
    today = dt.date.today()
    assert str(today.year + 543) not in text  # not today's date
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_result_page_shows_published_against_recomputed(world: World) -> None:
    # A result whose published total (85.29) is not what its published indicators give (85.27).
    indicators = [86.95, 77.31, 82.37, 76.87, 79.40, 98.19, 76.45, 87.27, 87.00, 87.50]
    scores = {f"ind{n}": v for n, v in enumerate(indicators, 1)} | {"total": 85.29}
    Assessment.objects.create(
        agency=world.a, fiscal_year=2564, framework_id="ita-2565", scores=scores
    )
    page = client_for(world, "officer_a").get(reverse("results:detail", args=[world.a.pk, 2564]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="figures-differ"' in html
    assert "85.29" in html and "85.27" in html
    assert "หน้านี้และเอกสารแสดงตัวเลขที่เผยแพร่" in html


def test_evidence_for_a_carried_round_keeps_the_carried_status() -> None:
    from pathlib import Path

    from openita.plans import load_plan
    from openita.web.evidence.services import with_names

    plan = load_plan(
        Path(__file__).resolve().parents[2] / "openita/examples/bansong-plan-2566.yaml"
    )
    m1 = plan.measures[0]
    assert m1.progress[6].status == "done" and 12 not in m1.progress
    after = with_names(plan, 12, {m1.id: ["หลักฐาน.pdf"]}, dt.date(2023, 9, 1))
    twelve = after.measures[0].progress[12]
    assert twelve.status == "done" and twelve.done == m1.progress[6].done
    assert twelve.evidence[-1] == "หลักฐาน.pdf"


def test_officer_sets_the_memo_date_and_number(world: World) -> None:
    plan = drafted(world)
    address = reverse("plans:memo_settings", args=[world.a.pk, plan.pk, 12])
    viewer = client_for(world, "viewer_a")
    assert 'id="memo-settings"' not in viewer.get(url(world, plan, 12)).content.decode()
    assert viewer.post(address, {"base_version": 1, "date": "2023-10-05"}).status_code == 404
    officer = client_for(world, "officer_a")
    page = officer.get(url(world, plan, 12)).content.decode()
    assert 'id="memo-settings"' in page and 'id="memo-blank"' in page
    bad = officer.post(address, {"base_version": 1, "date": "5/10/2566", "reference": "12"})
    assert bad.status_code == 400 and "วันที่ไม่ถูกต้อง" in bad.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1  # nothing stored
    ok = officer.post(address, {"base_version": 1, "date": "2023-10-05", "reference": "๔๕๖"})
    assert ok.status_code == 302
    content = plan_of(selectors.current_version(plan).content)
    assert content.memos[12].date == dt.date(2023, 10, 5) and content.memos[12].reference == "๔๕๖"
    page = officer.get(url(world, plan, 12)).content.decode()
    assert 'id="memo-blank"' not in page
    stale = officer.post(address, {"base_version": 1, "date": "2023-10-06", "reference": "1"})
    assert stale.status_code == 409  # version 2 was saved after version 1
    assert plan_of(selectors.current_version(plan).content).memos[12].reference == "๔๕๖"


def test_twelve_month_approval_covers_the_carried_six_month_progress() -> None:
    from openita.web.approvals.models import Subject
    from openita.web.approvals.selectors import covered

    content = {
        "measures": [{"id": "M1", "progress": {"6": {"status": "in_progress"}}}],
        "memos": {"12": {"reference": "1"}},
    }
    changed_six = {"measures": [{"id": "M1", "progress": {"6": {"status": "done"}}}]}
    twelve, six = Subject.PROGRESS_12, Subject.PROGRESS_6
    assert covered(content, twelve) != covered(changed_six, twelve)  # the report would change
    with_twelve = {
        "measures": [
            {"id": "M1", "progress": {"6": {"status": "in_progress"}, "12": {"status": "done"}}}
        ]
    }
    assert covered(content, six) == covered(with_twelve, six)  # 12 never stales the 6 report
    assert "memos" not in covered(content, twelve)


def test_new_plan_fields_survive_a_stored_version() -> None:
    from pathlib import Path

    from openita.plans import load_plan
    from openita.plans.schema import Meeting
    from openita.web.plans.content import content_of

    plan = load_plan(
        Path(__file__).resolve().parents[2] / "openita/examples/bansong-plan-2566.yaml"
    )
    m1 = plan.measures[0].model_copy(update={"suggestion": "ก", "monitoring": "ข"})
    plan = plan.model_copy(
        update={
            "measures": [m1, *plan.measures[1:]],
            "meeting": Meeting(body="คณะทำงาน", date=dt.date(2023, 1, 5)),
            "recommendations": ["ค"],
            "round_forewords": {12: "คำนำรอบสิบสองเดือน"},
        }
    )
    assert plan_of(content_of(plan)) == plan
