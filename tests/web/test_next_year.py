"""Next fiscal year's plan from this one: the service, the button, roles, double submits,
a plan that exists already, the audit entry, and the lists shown once on the new plan."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openita.web.audit.models import Action, AuditEntry
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment
from openita.web.results.services import assessment_preview, assessment_save
from tests.web.conftest import World, example_bytes
from tests.web.test_plans import drafted, edited
from tests.web.test_views import ROLES, client_for

WRITES_A = {"officer_a", "admin"}


def results_2566(world: World) -> Assessment:
    """The example's 2565 scores as its 2566 results, with e3 and e9 raised and i1 lowered."""
    changed = {"fiscal_year": "2566", "e3": "90", "e9": "91", "i1": "70"}
    lines = []
    for line in example_bytes(2565).decode("utf-8").splitlines():
        code = line.split(",")[0]
        lines.append(f"{code},{changed[code]}" if code in changed else line)
    found = assessment_preview(
        agency=world.a,
        fiscal_year=2566,
        framework_id="ita-2565",
        uploaded_file=SimpleUploadedFile("s2566.csv", "\n".join(lines).encode()),
    )
    assert found.confirmation is not None, found.problems
    return assessment_save(agency=world.a, confirmation=found.confirmation, user=None).assessment


def next_url(world: World, plan: MeasuresPlan) -> str:
    return reverse("plans:next_year", args=[world.a.pk, plan.pk])


# --- the service ------------------------------------------------------------------------------


def test_next_year_from_the_current_version_with_the_years_results(world: World) -> None:
    plan = drafted(world)
    first = selectors.current_version(plan)
    services.plan_save(plan=plan, user=None, content=edited(first, unit="กองช่าง"), base_version=1)
    results_2566(world)
    made = services.plan_next_year(plan=plan, user=world.users["officer_a"])
    assert made.plan.fiscal_year == 2567 and made.compared
    version = selectors.current_version(made.plan)
    assert version.number == 1 and version.created_by == world.users["officer_a"]
    assert version.note == "ต่อจากแผนปีงบประมาณ 2566 ฉบับที่ 2"
    content = plan_of(version.content)
    old = plan_of(selectors.current_version(plan).content)
    assert content.measures[0].unit == "กองช่าง"  # from the current version
    assert [m.addresses for m in content.measures] == [m.addresses for m in old.measures]
    assert all(m.progress == {} for m in content.measures)
    assert content.results is not None and content.results.current.fiscal_year == 2566
    assert [y.fiscal_year for y in content.results.history] == [2564, 2565]
    assert content.results.current.scores["i1"] == 70
    assert [f.code for f in made.uncovered] == ["i1"]
    addressed = {m.id: m.addresses for m in content.measures}
    assert made.resolved and all(
        set(addressed[r.measure_id]) <= {"e3", "e9", "ind6"} for r in made.resolved
    )


def test_without_the_years_results_the_plan_keeps_its_own(world: World) -> None:
    plan = drafted(world)
    made = services.plan_next_year(plan=plan, user=None)
    assert not made.compared and made.uncovered == () and made.resolved == ()
    content = plan_of(selectors.current_version(made.plan).content)
    assert content.results is not None and content.results.current.fiscal_year == 2565


def test_refused_when_next_years_plan_exists(world: World) -> None:
    plan = drafted(world)
    MeasuresPlan.objects.create(agency=world.a, fiscal_year=2567)
    with pytest.raises(services.PlanRefused, match="2567"):
        services.plan_next_year(plan=plan, user=None)
    assert MeasuresPlan.objects.filter(agency=world.a).count() == 2
    assert not AuditEntry.objects.filter(summary__contains="ต่อจากแผน").exists()


def test_audit_entry(world: World) -> None:
    plan = drafted(world)
    results_2566(world)
    made = services.plan_next_year(plan=plan, user=world.users["officer_a"])
    entry = AuditEntry.objects.get(object_type="plans.measuresplan", object_id=str(made.plan.pk))
    assert entry.action == Action.CREATE and entry.agency == world.a
    assert entry.actor == world.users["officer_a"]
    assert "2567" in entry.summary and "ต่อจากแผนปีงบประมาณ 2566 ฉบับที่ 1" in entry.summary
    assert entry.after["from"] == {"plan": plan.pk, "fiscal_year": 2566, "version": 1}
    assert entry.after["uncovered"] == ["i1"] and entry.after["results"] == 2566


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *ROLES])
def test_next_year_button_by_role(world: World, role: str | None) -> None:
    plan = drafted(world)
    client = client_for(world, role)
    url = next_url(world, plan)
    page = client.get(reverse("plans:detail", args=[world.a.pk, plan.pk]))
    if page.status_code == 200:
        assert (url in page.content.decode()) == (role in WRITES_A)
    assert client.get(url).status_code in (302, 405)  # POST only (anonymous: to log in)
    response = client.post(url)
    made = MeasuresPlan.objects.filter(agency=world.a, fiscal_year=2567).first()
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in WRITES_A:
        assert made is not None
        assert response.status_code == 302
        assert response["Location"] == reverse("plans:detail", args=[world.a.pk, made.pk])
    else:
        assert response.status_code == 404
    if role not in WRITES_A:
        assert made is None


def test_another_agencys_plan_is_404(world: World) -> None:
    plan = drafted(world)
    other = MeasuresPlan.objects.create(agency=world.c, fiscal_year=2566)
    client = client_for(world, "officer_a")
    assert client.post(reverse("plans:next_year", args=[world.c.pk, other.pk])).status_code == 404
    assert client.post(reverse("plans:next_year", args=[world.a.pk, other.pk])).status_code == 404
    officer_b = client_for(world, "officer_b")
    assert officer_b.post(next_url(world, plan)).status_code == 404
    assert not MeasuresPlan.objects.filter(fiscal_year=2567).exists()


def test_lists_shown_once_on_the_new_plan(world: World) -> None:
    plan = drafted(world)
    results_2566(world)
    client = client_for(world, "officer_a")
    response = client.post(next_url(world, plan), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "ข้อที่ต่ำกว่าเกณฑ์และยังไม่มีมาตรการ" in text and "i1 (70.00)" in text
    assert "มาตรการที่ประเด็นผ่านเกณฑ์แล้ว อาจยกเลิกได้" in text
    assert "ต่อจากแผนปีงบประมาณ 2566 ฉบับที่ 1" in text  # the version note
    made = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2567)
    again = client.get(reverse("plans:detail", args=[world.a.pk, made.pk])).content.decode()
    assert "i1 (70.00)" not in again


def test_double_submit_makes_one_plan(world: World) -> None:
    plan = drafted(world)
    client = client_for(world, "officer_a")
    client.post(next_url(world, plan))
    second = client.post(next_url(world, plan), follow=True)
    made = MeasuresPlan.objects.get(agency=world.a, fiscal_year=2567)
    assert second.redirect_chain[-1][0] == reverse("plans:detail", args=[world.a.pk, made.pk])
    assert "มีแผนมาตรการปีงบประมาณ 2567 อยู่แล้ว" in second.content.decode()
    assert PlanVersion.objects.filter(plan=made).count() == 1
    entries = AuditEntry.objects.filter(object_type="plans.measuresplan", object_id=str(made.pk))
    assert entries.filter(action=Action.CREATE).count() == 1


def test_race_lost_to_a_concurrent_request(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The existence check passed, then another request created the plan first."""
    plan = drafted(world)
    MeasuresPlan.objects.create(agency=world.a, fiscal_year=2567)
    real_filter = MeasuresPlan.objects.filter

    class Absent:
        def exists(self) -> bool:
            return False

    def filter_(**kwargs: object) -> object:
        return Absent() if kwargs.get("fiscal_year") == 2567 else real_filter(**kwargs)

    monkeypatch.setattr(services.MeasuresPlan.objects, "filter", filter_)
    with pytest.raises(services.PlanRefused, match="2567"):
        services.plan_next_year(plan=plan, user=None)
    monkeypatch.undo()
    assert MeasuresPlan.objects.filter(agency=world.a, fiscal_year=2567).count() == 1
    assert PlanVersion.objects.filter(plan__fiscal_year=2567).count() == 0
