"""Lists that scale: the home list reads stored figures, is filtered and paginated in SQL,
and no page's query count grows with the number of agencies (5 and 500, bulk-created)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openita.engine import batch
from openita.web.agencies.models import Agency, AgencyKind
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.oit.services import open_checklist
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing import services as publishing
from openita.web.results import figures
from openita.web.results.models import Assessment
from openita.web.synthetic import country
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for

pytestmark = pytest.mark.django_db


def grow(world: World, total: int) -> None:
    """Bulk-create agencies until the database holds ``total``: in agency A's province and
    elsewhere, each with two years of results (stored figures from the batch scorer) and
    some with a plan, as a province and the country would have."""
    made = country.agencies(total - Agency.objects.count(), seed=11)
    Agency.objects.bulk_create(
        [
            Agency(
                name=f"{a.name} {n}" if n % 3 == 0 else a.name,
                code=a.code,
                kind=a.kind,
                province=world.a.province if n % 3 == 0 else a.province,
                district=a.district,
            )
            for n, a in enumerate(made)
        ]
    )
    ids = list(
        Agency.objects.filter(code__startswith=country.CODE_PREFIX).values_list("pk", flat=True)
    )
    rows = []
    for year in (2564, 2565):
        framework, items = country.year_items(made, year, 11)
        codes = batch.item_codes(framework)
        for pk, row, fig in zip(
            ids, items.tolist(), batch.score_matrix(framework, items), strict=True
        ):
            obj = Assessment(
                agency_id=pk, fiscal_year=year, framework_id=framework.id,
                scores=dict(zip(codes, row, strict=True)),
            )  # fmt: skip
            figures.apply(obj, figures.from_batch(fig, framework))
            rows.append(obj)
    Assessment.objects.bulk_create(rows, batch_size=500)
    content = plan_selectors.current_version(MeasuresPlan.objects.get(agency=world.a)).content
    plans = MeasuresPlan.objects.bulk_create(
        [MeasuresPlan(agency_id=pk, fiscal_year=2566) for pk in ids[::4]]
    )
    PlanVersion.objects.bulk_create(
        [PlanVersion(plan_id=p.pk, number=1, content=content) for p in plans]
    )
    assert Agency.objects.count() == total


def pages(world: World) -> dict[str, str]:
    a = world.a.pk
    plan = MeasuresPlan.objects.get(agency=world.a)
    return {
        "home": reverse("home"),
        "home, page 2": reverse("home") + "?page=2",
        "home, filtered": reverse("home")
        + f"?province={world.a.province}&rating=A&plan=yes&q=ตำบล",
        "agency": reverse("agency", args=[a]),
        "results": reverse("results:detail", args=[a, 2565]),
        "plan": reverse("plans:detail", args=[a, plan.pk]),
        "plans": reverse("plans:index", args=[a]),
        "progress": reverse("plans:progress", args=[a, plan.pk, 6]),
        "oit": reverse("oit:detail", args=[a, 2565]),
        "public": reverse("publishing:public", args=[a]),
    }


def counts(world: World, role: str) -> dict[str, int]:
    client = client_for(world, role)
    found = {}
    for name, url in pages(world).items():
        client.get(url)  # warm caches (sessions, frameworks) first
        with CaptureQueriesContext(connection) as seen:
            got = client.get(url)
        assert got.status_code == 200, (name, got.status_code)
        found[name] = len(seen.captured_queries)
    return found


def test_no_page_makes_more_queries_with_500_agencies_than_with_5(world: World) -> None:
    plan = drafted(world)
    version = plan_selectors.current_version(plan)
    ApprovalRequest.objects.create(
        plan=plan, version=version, subject=Subject.PLAN, status=Status.APPROVED,
        submitted_by=world.users["officer_a"], decided_by=world.users["executive_a"],
        decided_at=timezone.now(),
    )  # fmt: skip
    publishing.publication_publish(
        plan=plan, version=version, subject=Subject.PLAN, user=world.users["officer_a"]
    )
    open_checklist(world.a, 2565, world.users["officer_a"])
    Agency.objects.create(name="เทศบาลตำบลเล็ก", kind=AgencyKind.TAMBON, province="ตัวอย่าง")
    Agency.objects.create(name="เทศบาลเมืองเล็ก", kind=AgencyKind.TOWN, province="อื่นอีก")
    assert Agency.objects.count() == 5
    few = {role: counts(world, role) for role in ("provincial", "admin")}
    grow(world, 500)
    many = {role: counts(world, role) for role in ("provincial", "admin")}
    assert many == few


def test_the_home_list_reads_stored_figures_filters_and_paginates(world: World) -> None:
    drafted(world)
    grow(world, 160)
    client = client_for(world, "admin")
    page = client.get(reverse("home")).content.decode()
    assert "160 หน่วยงาน" in page and "หน้า 1 จาก 4" in page
    assert page.count("<tr>") == 50 + 1  # 50 rows and the header
    # the stored figures are what is shown: change one, and the page follows (no rescoring)
    latest = Assessment.objects.filter(agency=world.a).order_by("-fiscal_year").first()
    Assessment.objects.filter(pk=latest.pk).update(total=Decimal("12.34"), rating="F", passed=False)
    found = client.get(reverse("home") + "?q=" + world.a.name).content.decode()
    assert "1 หน่วยงาน" in found and "12.34" in found and world.a.name in found
    # filters: each narrows to what it says
    province = Agency.objects.filter(code__startswith="SYN-").exclude(province=world.a.province)
    chosen = province.first().province
    listed = client.get(reverse("home"), {"province": chosen, "kind": "sao"}).context["list"]
    want = Agency.objects.filter(province=chosen, kind="sao").count()
    assert listed.page.paginator.count == want
    assert all(r.agency.province == chosen and r.agency.kind == "sao" for r in listed.rows)
    rated = client.get(reverse("home"), {"rating": "AA"}).context["list"]
    assert rated.rows and all(r.agency.latest_rating == "AA" for r in rated.rows)
    planned = client.get(reverse("home"), {"plan": "no"}).context["list"]
    assert all(r.status is None for r in planned.rows)
    none = client.get(reverse("home"), {"rating": "none"}).context["list"]
    assert {r.agency.pk for r in none.rows} == {world.b.pk, world.c.pk}
    # a district filter once a province is chosen; unknown values narrow nothing
    district = province.filter(province=chosen).first().district
    narrowed = client.get(reverse("home"), {"province": chosen, "district": district})
    assert all(r.agency.district == district for r in narrowed.context["list"].rows)
    odd = client.get(reverse("home"), {"kind": "spaceship", "page": "x"}).context["list"]
    assert odd.page.paginator.count == 160 and odd.page.number == 1
    # the provincial viewer's list is its province only, and it is paginated the same way
    mine = client_for(world, "provincial").get(reverse("home")).context["list"]
    assert mine.page.paginator.count == Agency.objects.filter(province=world.a.province).count()


def test_the_list_is_in_thai_order_leading_vowels_after_their_consonant(world: World) -> None:
    for name in ("เทศบาลตำบลกลาง", "องค์การบริหารส่วนตำบลกขค", "ตำบลง", "ไทรงาม"):
        Agency.objects.create(name=name, kind=AgencyKind.OTHER, province="ตัวอย่าง")
    names = [
        r.agency.name for r in client_for(world, "provincial").get(reverse("home")).context["rows"]
    ]
    assert names.index("ตำบลง") < names.index("เทศบาลตำบลกลาง") < names.index("ไทรงาม")
    assert names.index("ไทรงาม") < names.index("องค์การบริหารส่วนตำบลกขค")
