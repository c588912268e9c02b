"""Progress rounds of a plan: the page per role, overdue measures, saving progress as a new
version (stale edits, bad input, double submits), and the round's documents."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx as python_docx
import pytest
from django.test import Client
from django.urls import reverse

from openita.documents import pdf
from openita.plans.schema import Person, Signers
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from tests.conftest import docx_plain
from tests.web.conftest import World
from tests.web.test_plans import READS_A, WRITES_A, drafted
from tests.web.test_views import ROLES, client_for


def with_deadlines(plan: MeasuresPlan) -> MeasuresPlan:
    """M1 due before the 6-month round ends (31 Mar 2023), M2 after it; both report at 6."""
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    due = {"M1": dt.date(2023, 1, 31), "M2": dt.date(2023, 9, 30)}
    measures = [
        m.model_copy(update={"deadline": due[m.id], "rounds": [6, 12]}) if m.id in due else m
        for m in content.measures
    ]
    services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": measures}),
        base_version=version.number,
    )
    return plan


def url(world: World, plan: MeasuresPlan, months: int = 6) -> str:
    return reverse("plans:progress", args=[world.a.pk, plan.pk, months])


def form_data(client: Client, world: World, plan: MeasuresPlan) -> dict[str, Any]:
    """The progress form as the page fills it."""
    response = client.get(url(world, plan))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    data: dict[str, Any] = {"base_version": form.initial["base_version"]}
    for key, value in formset.management_form.initial.items():
        data[f"p-{key}"] = value
    for sub in formset.forms:
        for name, value in (sub.initial or {}).items():
            data[f"{sub.prefix}-{name}"] = value
    return data


def index_of(data: dict[str, Any], measure_id: str) -> int:
    return next(
        int(k.split("-")[1]) for k, v in data.items() if k.endswith("-id") and v == measure_id
    )


@pytest.mark.parametrize("role", [None, *ROLES])
def test_round_page_per_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    client = client_for(world, role)
    for months in (6, 12):
        response = client.get(url(world, plan, months))
        if role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in READS_A:
            assert response.status_code == 200
            page = response.content.decode()
            # nothing entered yet: numbered as the documents number them, and "not reported"
            assert "<strong>1.1</strong>" in page and "ยังไม่ได้รายงานผล" in page
            assert ('name="p-TOTAL_FORMS"' in page) == (role in WRITES_A)
        else:
            assert response.status_code == 404
    post = client.post(url(world, plan), {"base_version": 1})
    if role is None:
        assert post.status_code == 302
    elif role not in WRITES_A:
        assert post.status_code == 404
    assert PlanVersion.objects.filter(plan=plan).count() == 1


@pytest.mark.parametrize("role", ["officer_a", "viewer_a", "provincial"])
def test_guessed_round_urls_give_404(world: World, role: str) -> None:
    plan = drafted(world)
    saved_b = MeasuresPlan.objects.create(agency=world.b, fiscal_year=2566)
    other = MeasuresPlan.objects.create(agency=world.c, fiscal_year=2566)
    client = client_for(world, role)
    a = world.a.pk
    for agency, plan_id, months in (
        (world.c.pk, other.pk, 6),
        (424242, plan.pk, 6),
        (a, other.pk, 6),
        (a, saved_b.pk, 12),
        (a, 999, 6),
        (a, plan.pk, 9),
    ):
        for address in (
            reverse("plans:progress", args=[agency, plan_id, months]),
            reverse("plans:progress_download", args=[agency, plan_id, months, "progress", "docx"]),
        ):
            assert client.get(address).status_code == 404, address
    bad = reverse("plans:progress_download", args=[a, plan.pk, 6, "other", "docx"])
    assert client.get(bad).status_code == 404


def test_detail_links_to_both_rounds(world: World) -> None:
    plan = drafted(world)
    page = client_for(world, "viewer_a").get(reverse("plans:detail", args=[world.a.pk, plan.pk]))
    text = page.content.decode()
    assert url(world, plan, 6) in text and url(world, plan, 12) in text


def test_overdue_badge(world: World) -> None:
    plan = with_deadlines(drafted(world))
    # nothing reported yet: due, not reported, but not called overdue (nor counted so)
    response = client_for(world, "viewer_a").get(url(world, plan))
    rows = {r.measure.id: r for r in response.context["round"].rows}
    assert rows["M1"].late_unreported and not rows["M1"].overdue
    assert not rows["M2"].late_unreported and response.context["round"].overdue == 0
    assert "ครบกำหนดแล้ว ยังไม่ได้รายงานผล" in response.content.decode()
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    for measure_id in ("M1", "M2"):
        n = index_of(data, measure_id)
        data.update({f"p-{n}-status": "in_progress", f"p-{n}-percent": "20"})
    assert client.post(url(world, plan), data).status_code == 302
    response = client_for(world, "viewer_a").get(url(world, plan))
    rows = {r.measure.id: r for r in response.context["round"].rows}
    assert rows["M1"].overdue and not rows["M2"].overdue
    assert response.context["round"].overdue >= 1
    page = response.content.decode()
    m1_row = page.split(f"<strong>{rows['M1'].number}</strong>", 1)[1].split("</tr>", 1)[0]
    m2_row = page.split(f"<strong>{rows['M2'].number}</strong>", 1)[1].split("</tr>", 1)[0]
    assert 'class="badge overdue"' in m1_row and "badge overdue" not in m2_row
    # done (or dropped) is not overdue, even past the deadline
    data = form_data(client, world, plan)
    n = index_of(data, "M1")
    data.update({f"p-{n}-status": "done", f"p-{n}-percent": "100"})
    assert client.post(url(world, plan), data).status_code == 302
    rows = {r.measure.id: r for r in client.get(url(world, plan)).context["round"].rows}
    assert not rows["M1"].overdue


def test_saving_progress_creates_a_version(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    n = index_of(data, "M1")
    data.update(
        {
            f"p-{n}-status": "in_progress",
            f"p-{n}-percent": "40",
            f"p-{n}-done": "จัดประชุมชี้แจงแล้ว",
            f"p-{n}-outcome": "บุคลากรเข้าร่วมร้อยละ 90",
            f"p-{n}-follow_up": "ติดตามทุกเดือน",
            f"p-{n}-evidence": "https://example.org/report\n\nรายงานการประชุม.pdf\n",
        }
    )
    response = client.post(url(world, plan), data)
    assert response.status_code == 302
    version = selectors.current_version(plan)
    assert version.number == 2 and version.note == "ความก้าวหน้ารอบ 6 เดือน"
    m1 = plan_of(version.content).measures[0]
    p = m1.progress[6]
    assert (p.status, p.percent, p.done) == ("in_progress", 40, "จัดประชุมชี้แจงแล้ว")
    assert p.evidence == ["https://example.org/report", "รายงานการประชุม.pdf"]
    assert p.updated is not None
    assert 12 not in m1.progress
    others = plan_of(version.content).measures[1:]
    assert all(not m.progress for m in others)  # untouched measures get no progress
    detail = client.get(reverse("plans:detail", args=[world.a.pk, plan.pk])).content.decode()
    assert "ความก้าวหน้ารอบ 6 เดือน" in detail and "ฉบับที่ 2" in detail
    page = client.get(url(world, plan)).content.decode()
    assert 'href="https://example.org/report"' in page and "จัดประชุมชี้แจงแล้ว" in page


def test_bad_progress_is_shown_and_nothing_is_saved(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    data.update(
        {
            "p-0-status": "dropped",
            "p-0-reason": "  ",
            "p-1-status": "done",
            "p-1-percent": "60",
            "p-2-percent": "150",
            "p-2-evidence": "javascript:alert(1)\nhttps://ok.example.org/x",
        }
    )
    response = client.post(url(world, plan), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "ใส่เหตุผลเมื่อยกเลิกมาตรการ" in page
    assert "มาตรการที่ดำเนินการแล้วต้องเป็นร้อยละ 100" in page
    assert "ร้อยละต้องอยู่ระหว่าง 0 ถึง 100" in page
    assert "javascript:alert(1)" in page and "หลักฐานต้องเป็นลิงก์" in page
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_stale_progress_edit_gives_409(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = form_data(officer, world, plan), form_data(admin, world, plan)
    theirs.update({"p-0-status": "in_progress", "p-0-percent": "10"})
    assert admin.post(url(world, plan), theirs).status_code == 302
    mine.update({"p-0-status": "in_progress", "p-0-done": "ข้อความที่ยังไม่ได้บันทึกของฉัน"})
    response = officer.post(url(world, plan), mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "มีผู้อื่นบันทึกแผนนี้ก่อนคุณ" in page and "admin" in page
    assert "ข้อความที่ยังไม่ได้บันทึกของฉัน" in page
    assert 'name="base_version" value="2"' in page
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    mine["base_version"] = 2
    assert officer.post(url(world, plan), mine).status_code == 302
    assert selectors.current_version(plan).number == 3


def test_double_submit_saves_once(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    data = form_data(client, world, plan)
    data.update({"p-0-status": "dropped", "p-0-reason": "ไม่มีงบประมาณ"})
    assert client.post(url(world, plan), data).status_code == 302
    second = client.post(url(world, plan), data, follow=True)
    assert "ไม่มีการเปลี่ยนแปลง" in second.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 2
    # an unchanged form (as the page fills it) saves nothing either
    again = form_data(client, world, plan)
    assert client.post(url(world, plan), again).status_code == 302
    assert PlanVersion.objects.filter(plan=plan).count() == 2


def test_docx_of_the_progress_report(world: World) -> None:
    plan = drafted(world)
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "progress", "docx"])
    response = client_for(world, "viewer_a").get(address)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ita-progress-2566-6m-v1.docx"'
    document = python_docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    text = docx_plain(text)
    title = plan_of(selectors.current_version(plan).content).measures[0].title
    assert world.a.name in text and title in text


def test_memo_needs_signers(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "viewer_a")
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 12, "memo", "docx"])
    response = client.get(address)
    assert response.status_code == 400
    assert "ยังไม่ได้ระบุผู้ลงนาม" in response.content.decode()
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    signers = Signers(
        officer=Person(name="นายหนึ่ง ใจดี", position="นิติกร"),
        executive=Person(name="นายสอง ใจงาม", position="นายกเทศมนตรี"),
    )
    agency = content.agency.model_copy(update={"signers": signers})
    services.plan_save(
        plan=plan, user=None, content=content.model_copy(update={"agency": agency}), base_version=1
    )
    response = client.get(address)
    assert response.status_code == 200
    document = python_docx.Document(io.BytesIO(response.content))
    assert "นายสอง ใจงาม" in docx_plain(
        "\n".join(p.text for p in document.paragraphs)
    ) + docx_plain("\n".join(c.text for t in document.tables for r in t.rows for c in r.cells))


def test_pdf_without_chromium_gives_a_message(world: World, monkeypatch: Any) -> None:
    def unavailable(document: Any) -> bytes:
        raise pdf.PdfUnavailable("no chromium")

    monkeypatch.setattr(pdf, "render_pdf", unavailable)
    plan = drafted(world)
    address = reverse("plans:progress_download", args=[world.a.pk, plan.pk, 6, "progress", "pdf"])
    response = client_for(world, "viewer_a").get(address, follow=True)
    assert response.redirect_chain == [(url(world, plan), 302)]
    assert "ไม่มี Chromium" in response.content.decode()


def test_round_page_in_english(world: World) -> None:
    plan = with_deadlines(drafted(world))
    client = client_for(world, "officer_a")
    client.cookies["django_language"] = "en"
    page = client.get(url(world, plan)).content.decode()
    assert "Overdue" in page and "Not started" in page and "Percent complete" in page
