"""The synthetic country (openita demo --national): what it loads, and the same seed gives
the same data."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from openita import frameworks
from openita.web.agencies.models import Agency
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results import figures
from openita.web.results.models import Assessment
from openita.web.synthetic import country
from openita.web.synthetic.load import load_national


def snapshot() -> list[tuple[object, ...]]:
    rows = Assessment.objects.filter(agency__code__startswith=country.CODE_PREFIX)
    return sorted(
        (
            a.agency.code,
            a.agency.name,
            a.agency.kind,
            a.agency.province,
            a.agency.district,
            a.fiscal_year,
            a.framework_id,
            tuple(sorted(a.scores.items())),
            a.total,
            a.rating,
        )
        for a in rows.select_related("agency")
    )


def plans_snapshot() -> list[tuple[object, ...]]:
    return sorted(
        (v.plan.agency.code, v.plan.fiscal_year, v.number, str(v.content))
        for v in PlanVersion.objects.select_related("plan__agency")
    )


@pytest.mark.django_db
def test_same_seed_same_country_and_loading_again_replaces_it() -> None:
    other = Agency.objects.create(name="หน่วยงานจริง", kind="sao", province="ตัวอย่าง")
    first = load_national(agencies=120, years=3, seed=7, plan_share=0.2)
    data, plans = snapshot(), plans_snapshot()
    again = load_national(agencies=120, years=3, seed=7, plan_share=0.2)
    assert snapshot() == data and plans_snapshot() == plans
    assert (again.agencies, again.results, again.plans) == (120, 360, first.plans)
    assert Agency.objects.filter(pk=other.pk).exists()  # other agencies are left alone
    assert Agency.objects.count() == 121
    load_national(agencies=120, years=3, seed=8, plan_share=0.2)
    assert snapshot() != data


@pytest.mark.django_db
def test_the_country_is_plausible_and_its_stored_figures_are_the_engines() -> None:
    loaded = load_national(agencies=400, years=2, seed=3, plan_share=0.1)
    agencies = Agency.objects.filter(code__startswith=country.CODE_PREFIX)
    kinds = Counter(agencies.values_list("kind", flat=True))
    expected = country.kind_counts(400)
    assert kinds == Counter({k: v for k, v in expected.items() if v})
    assert kinds["sao"] > kinds["tambon"] > kinds["town"] > 0  # the national mix, scaled
    assert agencies.values("province").distinct().count() > 50
    results = list(Assessment.objects.filter(agency__in=agencies))
    assert {a.fiscal_year for a in results} == {2568, 2569}
    for a in results:
        assert a.framework_id == frameworks.for_year(a.fiscal_year).id
    totals = sorted(float(a.total) for a in results)
    median = totals[len(totals) // 2]
    assert 80 < median < 95 and totals[len(totals) // 20] < 75  # most near the top, a tail
    tools = {t: sum(a.figures[t] for a in results) / len(results) for t in ("IIT", "EIT")}
    assert tools["EIT"] < tools["IIT"]
    for a in results[:60]:  # the batch figures are what a save would store
        stored = figures.compute(a.framework_id, a.scores, a.fiscal_year)
        assert (a.total, a.rating, a.level, a.passed, a.figures) == (
            stored.total,
            stored.rating,
            stored.level,
            stored.passed,
            stored.figures,
        )
        oit = [v for c, v in a.scores.items() if c.startswith("o")]
        assert set(oit) <= {0.0, 100.0}
    assert loaded.plans > 10 and loaded.progress_rounds > 0
    plan = MeasuresPlan.objects.filter(agency__in=agencies).first()
    assert plan is not None and plan.fiscal_year == 2570
    content = plan_of(plan.versions.order_by("number").first().content)
    assert content.measures and content.agency.name == plan.agency.name


@pytest.mark.django_db
def test_the_provincial_login_sees_its_province() -> None:
    loaded = load_national(agencies=150, years=1, seed=2, plan_share=0.0)
    login = next(x for x in loaded.logins if x.username == "provincial-national")
    client = Client()
    assert client.login(username=login.username, password=login.password)
    assert client.get(reverse("home")).status_code == 200
    national = next(x for x in loaded.logins if x.username == "national")
    assert client.login(username=national.username, password=national.password)


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="--agencies"):
        load_national(agencies=0)
    with pytest.raises(ValueError, match="--years"):
        load_national(years=11)


@pytest.mark.django_db
def test_rescoring_in_batches_stores_what_saving_one_by_one_stores() -> None:
    """refresh_stale_figures scores with the batch scorer: items, indicators, claimed totals
    and unscorable rows, in chunks smaller than the work, end as a save computes them."""
    from openita.web.results.services import refresh_stale_figures

    load_national(agencies=30, years=2, seed=5, plan_share=0.0)
    synthetic = Assessment.objects.filter(agency__code__startswith=country.CODE_PREFIX)
    odd = list(synthetic.order_by("pk")[:4])
    odd[0].scores = {f"ind{n}": 80 + n / 3 for n in range(1, 11)}  # FY2568: not all indicators
    odd[1].scores = {**odd[1].scores, "total": 12.34}  # a claimed total
    odd[2].scores = {"ind1": 90.0}  # cannot be scored
    for a in odd[:3]:
        a.save()
    expected = {
        a.pk: (a.total, a.rating, a.level, a.passed, a.figures) for a in synthetic.order_by("pk")
    }
    synthetic.update(figures_key="stale", total=None, rating="", figures={})
    assert refresh_stale_figures(batch=7) == len(expected)
    got = {
        a.pk: (a.total, a.rating, a.level, a.passed, a.figures) for a in synthetic.order_by("pk")
    }
    assert got == expected
    assert refresh_stale_figures() == 1  # the unscorable one stays without a fingerprint


@pytest.mark.django_db
def test_past_plans_between_years_show_whether_their_measures_worked() -> None:
    from openita.web.compare.selectors import effect_for
    from openita.web.plans.models import MeasuresPlan

    load_national(agencies=150, years=3, seed=5, plan_share=0.2)
    past = MeasuresPlan.objects.filter(fiscal_year=2568)
    assert past.exists()  # plans of a year between two years on file, not only next year's
    plan = past.first()
    assert plan is not None
    after = Assessment.objects.get(agency_id=plan.agency_id, fiscal_year=2568)
    effect = effect_for(after)
    assert effect is not None and effect.rows
