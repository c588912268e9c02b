"""Forms that never lose work (server side): a failed save lists its problems at the top with
links to the fields; after a stale-edit warning the form is merged measure by measure with the
newer version, so saving again never reverts a colleague's change to another measure, and a
measure both changed shows both versions side by side."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from openita.web.plans import selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_plans import form_data as plan_form
from tests.web.test_progress import form_data as progress_form
from tests.web.test_progress import index_of, url
from tests.web.test_unitlinks import form_data as link_form
from tests.web.test_unitlinks import issue, page_url, with_units
from tests.web.test_views import client_for


def edit_url(world: World, plan: MeasuresPlan) -> str:
    return reverse("plans:edit", args=[world.a.pk, plan.pk])


def resubmitted(response: Any) -> QueryDict:
    """What the browser sends when the user presses save again on the page shown."""
    data: QueryDict = response.context["formset"].data.copy()
    data.update({k: v for k, v in response.context["form"].data.items() if k not in data})
    return data


def current(plan: MeasuresPlan) -> Any:
    return plan_of(selectors.current_version(plan).content)


def progress_of(plan: MeasuresPlan, measure_id: str, months: int = 6) -> Any:
    return next(m for m in current(plan).measures if m.id == measure_id).progress.get(months)


def test_progress_save_again_keeps_a_colleagues_change_to_another_measure(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = progress_form(officer, world, plan), progress_form(admin, world, plan)
    one, two = index_of(mine, "M1"), index_of(theirs, "M2")
    theirs.update({f"p-{two}-status": "in_progress", f"p-{two}-done": "งานของเพื่อนร่วมงาน"})
    assert admin.post(url(world, plan), theirs).status_code == 302
    mine.update({f"p-{one}-status": "in_progress", f"p-{one}-done": "งานของฉัน"})
    warned = officer.post(url(world, plan), mine)
    assert warned.status_code == 409
    page = warned.content.decode()
    assert "งานของฉัน" in page and "งานของเพื่อนร่วมงาน" in page  # both in the merged form
    assert 'name="base_version" value="2"' in page
    assert "ใช้ของผู้อื่น (คุณไม่ได้แก้)" in page and "M2" in page
    assert officer.post(url(world, plan), resubmitted(warned)).status_code == 302
    assert progress_of(plan, "M1").done == "งานของฉัน"
    assert progress_of(plan, "M2").done == "งานของเพื่อนร่วมงาน"  # not reverted


def test_progress_both_changed_shows_both_versions(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = progress_form(officer, world, plan), progress_form(admin, world, plan)
    one = index_of(mine, "M1")
    theirs.update({f"p-{one}-status": "in_progress", f"p-{one}-done": "ฉบับของผู้ดูแล"})
    assert admin.post(url(world, plan), theirs).status_code == 302
    mine.update({f"p-{one}-status": "in_progress", f"p-{one}-done": "ฉบับของฉัน"})
    warned = officer.post(url(world, plan), mine)
    page = warned.content.decode()
    assert warned.status_code == 409
    assert 'id="conflict-M1"' in page and "ฉบับของผู้อื่น (ฉบับที่ 2)" in page
    assert "ฉบับของผู้ดูแล" in page and "ฉบับของฉัน" in page
    assert warned.context["formset"].data[f"p-{one}-done"] == "ฉบับของฉัน"  # mine in the form


def test_plan_edit_save_again_keeps_a_colleagues_change_to_another_measure(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = plan_form(officer, world, plan), plan_form(admin, world, plan)
    theirs["m-1-title"] = "มาตรการที่เพื่อนร่วมงานแก้"
    theirs["foreword"] = "คำนำของเพื่อนร่วมงาน"
    assert admin.post(edit_url(world, plan), theirs).status_code == 302
    mine["m-0-title"] = "มาตรการที่ฉันแก้"
    mine["m-2-DELETE"] = "on"
    removed = mine["m-2-id"]
    warned = officer.post(edit_url(world, plan), mine)
    assert warned.status_code == 409
    assert officer.post(edit_url(world, plan), resubmitted(warned)).status_code == 302
    saved = current(plan)
    titles = {m.id: m.title for m in saved.measures}
    assert titles["M1"] == "มาตรการที่ฉันแก้"
    assert titles["M2"] == "มาตรการที่เพื่อนร่วมงานแก้"  # not reverted
    assert saved.foreword == "คำนำของเพื่อนร่วมงาน"  # not reverted either
    assert removed not in titles  # what I removed stays removed


def test_plan_edit_both_changed_shows_both_versions(world: World) -> None:
    plan = drafted(world)
    officer, admin = client_for(world, "officer_a"), client_for(world, "admin")
    mine, theirs = plan_form(officer, world, plan), plan_form(admin, world, plan)
    theirs["m-0-title"] = "ชื่อของผู้ดูแล"
    assert admin.post(edit_url(world, plan), theirs).status_code == 302
    mine["m-0-title"] = "ชื่อของฉัน"
    warned = officer.post(edit_url(world, plan), mine)
    page = warned.content.decode()
    assert warned.status_code == 409
    assert 'id="conflict-M1"' in page and "ชื่อของผู้ดูแล" in page
    assert warned.context["formset"].data["m-0-title"] == "ชื่อของฉัน"


def test_failed_progress_save_lists_problems_at_the_top_with_links(world: World) -> None:
    plan = drafted(world)
    officer = client_for(world, "officer_a")
    data = progress_form(officer, world, plan)
    one = index_of(data, "M1")
    data.update({f"p-{one}-percent": "150", f"p-{one}-done": "ข้อความที่พิมพ์ไว้"})
    response = officer.post(url(world, plan), data)
    page = response.content.decode()
    assert response.status_code == 400
    summary = page.index('id="problems"')
    assert summary < page.index('id="progress-form"')  # at the top, before the form
    assert f'<a href="#id_p-{one}-percent">M1 · ร้อยละความคืบหน้า</a>' in page
    assert "ข้อความที่พิมพ์ไว้" in page


def test_failed_plan_save_lists_problems_at_the_top_with_links(world: World) -> None:
    plan = drafted(world)
    officer = client_for(world, "officer_a")
    data = plan_form(officer, world, plan)
    data["m-0-steps"] = " "
    response = officer.post(edit_url(world, plan), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert page.index('id="problems"') < page.index('id="plan-form"')
    assert '<a href="#id_m-0-steps">M1 · ขั้นตอน/วิธีการปฏิบัติ' in page
    assert 'src="/static/plans/forms.js"' in page and "<script>" not in page


def test_unit_link_save_again_keeps_a_colleagues_change_to_another_measure(
    world: World,
) -> None:
    plan = with_units(world)  # M1 and M2 are the finance division's
    issued = issue(world, plan)
    head = Client()
    mine = link_form(head, issued.token)
    officer = client_for(world, "officer_a")
    theirs = progress_form(officer, world, plan)
    two = index_of(theirs, "M2")
    theirs.update({f"p-{two}-status": "in_progress", f"p-{two}-done": "เจ้าหน้าที่บันทึกแทน"})
    assert officer.post(url(world, plan), theirs).status_code == 302
    one = index_of(mine, "M1")
    mine.update({f"p-{one}-status": "in_progress", f"p-{one}-done": "หัวหน้ากองบันทึก"})
    warned = head.post(page_url(issued.token), mine)
    assert warned.status_code == 409
    again = resubmitted(warned)
    assert head.post(page_url(issued.token), again).status_code == 302
    assert progress_of(plan, "M1").done == "หัวหน้ากองบันทึก"
    assert progress_of(plan, "M2").done == "เจ้าหน้าที่บันทึกแทน"  # not reverted
