"""Peers on the result page, did the measures work (result page and across agencies), and who
may see the comparison across agencies."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openita import frameworks
from openita.web.agencies.models import Agency, AgencyKind
from openita.web.agencies.services import agency_create, provincial_viewer_grant
from openita.web.compare import selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.selectors import current_version
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_views import client_for, saved


def shifted(
    scores: dict[str, Any], delta: float, skip: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Item scores moved by ``delta`` (kept within 0-100), the codes in ``skip`` unchanged."""
    return {
        k: v if k in skip else min(100.0, max(0.0, float(v) + delta))
        for k, v in scores.items()
        if isinstance(v, int | float)
    }


def peer(n: int, province: str, kind: str = AgencyKind.TAMBON) -> Agency:
    return agency_create(name=f"เทศบาลตำบลเทียบ {province} {n}", kind=kind, province=province)


def give(agency: Agency, year: int, framework_id: str, scores: dict[str, float]) -> Assessment:
    return Assessment.objects.create(
        agency=agency, fiscal_year=year, framework_id=framework_id, scores=scores
    )


# --- peers ----------------------------------------------------------------------------------


def test_peers_hidden_below_five_and_said_so(world: World) -> None:
    own = saved(world, 2565)
    for n in range(4):
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -5))
    panel = selectors.peers_for(own)
    assert panel is not None and not panel.shown and panel.province_n == 4
    page = client_for(world, "officer_a").get(reverse("results:detail", args=[world.a.pk, 2565]))
    assert "น้อยกว่า 5 แห่ง" in page.content.decode()
    assert 'id="peers"' in page.content.decode()
    link = reverse("compare:measures")
    assert f'href="{link}"' not in page.content.decode()  # an agency officer: no comparison
    provincial = client_for(world, "provincial").get(
        reverse("results:detail", args=[world.a.pk, 2565])
    )
    assert f'href="{link}"' in provincial.content.decode()


def test_peers_percentiles_in_the_province_and_the_country(world: World) -> None:
    own = saved(world, 2565)
    for n in range(5):  # five below in the province
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -3 - n))
    for n in range(5):  # five above elsewhere
        give(peer(n, "จังหวัดอื่น"), 2565, own.framework_id, shifted(own.scores, 3 + n))
    give(peer(9, "ตัวอย่าง", AgencyKind.SAO), 2565, own.framework_id, own.scores)  # other kind
    panel = selectors.peers_for(own)
    assert panel is not None and panel.shown
    assert (panel.province_n, panel.country_n) == (5, 10)
    total = panel.rows[0]
    assert total.code == "total" and total.own == float(own.total or 0)
    assert total.province is not None and total.province.percentile == 100.0
    assert total.country is not None and total.country.percentile == 50.0
    assert [r.code for r in panel.rows[1:]] == sorted(
        (c for c in own.figures if c.startswith("ind")), key=lambda c: int(c[3:])
    )
    assert panel.best and all(b.n == 10 for b in panel.best)
    means = [b.mean for b in panel.best]
    assert means == sorted(means, reverse=True)


def test_the_page_shows_aggregates_never_another_agencys_total(world: World) -> None:
    own = saved(world, 2565)
    others = [
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -d))
        for n, d in enumerate((7, 8, 10, 13, 17))  # the mean is none of them
    ]
    html = (
        client_for(world, "officer_a")
        .get(reverse("results:detail", args=[world.a.pk, 2565]))
        .content.decode()
    )
    assert "เปอร์เซ็นไทล์ในจังหวัด" in html and "(n=5)" in html
    for other in others:
        assert f"{other.total:.2f}" not in html  # a median of five would be one of them


def test_peer_queries_do_not_grow_with_the_number_of_peers(world: World) -> None:
    own = saved(world, 2565)

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            selectors.peers_for(Assessment.objects.select_related("agency").get(pk=own.pk))
        return len(seen)

    for n in range(5):
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -n))
    few = count()
    for n in range(5, 25):
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -n / 10))
    # the cache's stamp (how many results, the latest change), the peers, the framework
    # versions on file; the peers' query is skipped while nothing changed
    assert count() == few <= 3
    assert count() == few - 1


def test_a_new_peer_result_shows_at_once_despite_the_cache(world: World) -> None:
    own = saved(world, 2565)
    for n in range(6):
        give(peer(n, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -n))

    def panel() -> selectors.PeerPanel:
        found = selectors.peers_for(Assessment.objects.select_related("agency").get(pk=own.pk))
        assert found is not None
        return found

    before = panel().country_n
    assert panel().country_n == before  # served from the cache
    give(peer(99, "ตัวอย่าง"), 2565, own.framework_id, shifted(own.scores, -3))
    assert panel().country_n == before + 1


# --- did the measures work --------------------------------------------------------------------


def planned(agency: Agency, base: dict[str, Any], *, lift: float, rest: float) -> dict[str, Any]:
    """Results of 2565 (``base``), the plan of 2566 drafted from them, and results of 2566 on
    the same framework: the plan's codes raised by ``lift``, every other item by ``rest``."""
    give(agency, 2565, "ita-2565", dict(base))
    plan = plan_services.plan_draft(agency=agency, fiscal_year=2566, user=None)
    content = plan_of(current_version(plan).content)
    addressed = {c for m in content.measures for c in m.addresses}
    items = {k: float(v) for k, v in base.items() if k[0] in "ieo" and k[1:].isdigit()}
    after = {k: min(100.0, v + (lift if k in addressed else rest)) for k, v in items.items()}
    give(agency, 2566, "ita-2565", after)
    return {"before": items, "after": after, "addressed": addressed, "plan": content}


def base_scores(world: World) -> dict[str, Any]:
    return dict(saved(world, 2565).scores)


def test_effect_of_a_plan_on_the_year_after_it(world: World) -> None:
    base = base_scores(world)
    Assessment.objects.filter(agency=world.a).delete()
    data = planned(world.a, base, lift=100, rest=1)
    after = Assessment.objects.get(agency=world.a, fiscal_year=2566)
    before = Assessment.objects.get(agency=world.a, fiscal_year=2565)
    # indicators addressed are compared on their stored figures; their items are not "others"
    fw = frameworks.get("ita-2565")
    held = {i.code for ind in fw.indicators if ind.code in data["addressed"] for i in ind.all_items}
    data["before"] |= {c: before.figures[c] for c in data["addressed"] if c.startswith("ind")}
    data["after"] |= {c: after.figures[c] for c in data["addressed"] if c.startswith("ind")}
    view = selectors.effect_for(after)
    assert view is not None and (view.before_year, view.plan_year, view.after_year) == (
        2565,
        2566,
        2566,
    )
    changes = {r.code: r.change for r in view.rows}
    assert set(changes) == data["addressed"]
    for code in changes:
        assert changes[code] == pytest.approx(data["after"][code] - data["before"][code])
    others = [
        c for c in data["before"] if c not in data["addressed"] | held and not c.startswith("ind")
    ]
    expected = sum(data["after"][c] - data["before"][c] for c in others) / len(others)
    assert view.effect.untargeted_mean == pytest.approx(expected)
    assert view.effect.untargeted_n == len(others) and view.comparison == "items"
    assert selectors.effect_for(Assessment.objects.get(agency=world.a, fiscal_year=2565)) is None
    client = client_for(world, "officer_a")
    html = client.get(reverse("results:detail", args=[world.a.pk, 2566])).content.decode()
    assert "มาตรการที่ได้ผล" in html and 'id="measures-effect"' in html
    html = client.get(reverse("results:detail", args=[world.a.pk, 2565])).content.decode()
    assert 'id="measures-effect"' not in html


def test_effect_across_frameworks_goes_through_the_item_mapping(world: World) -> None:
    base = base_scores(world)
    Assessment.objects.filter(agency=world.a).delete()
    give(world.a, 2565, "ita-2565", dict(base))
    plan = plan_services.plan_draft(agency=world.a, fiscal_year=2566, user=None)
    addressed = {c for m in plan_of(current_version(plan).content).measures for c in m.addresses}
    from openita.frameworks import mappings

    mapping = mappings.get("ita-2565", "ita-2566")
    new = {}
    for code, value in base.items():
        if code[0] in "ieo" and code[1:].isdigit():
            carried = mappings.carry(mapping, code)
            if len(carried) == 1:
                new[carried[0]] = 100.0 if code in addressed else float(value)
    give(world.a, 2566, "ita-2566", new)
    view = selectors.effect_for(Assessment.objects.get(agency=world.a, fiscal_year=2566))
    assert view is not None
    o12 = mappings.carry(mapping, "o12")
    assert len(o12) == 1 and o12[0] in {r.code for r in view.rows}
    row = next(r for r in view.rows if r.code == o12[0])
    assert (row.before, row.after) == (float(base["o12"]), 100.0)
    assert view.effect.untargeted_mean == pytest.approx(0.0)  # the rest unchanged


def measures_world(world: World, provinces: list[str]) -> dict[str, Any]:
    base = base_scores(world)
    Assessment.objects.filter(agency=world.a).delete()
    data = {}
    for n, province in enumerate(provinces):
        agency = peer(n, province)
        data[agency.pk] = planned(agency, base, lift=10 + n, rest=1)
    return data


def test_measure_gains_across_agencies_and_access(world: World) -> None:
    data = measures_world(world, ["ตัวอย่าง"] * 5 + ["จังหวัดอื่น"])
    rows = selectors.measure_gains(Agency.objects.all())
    shown = [r for r in rows if r.gain.shown]
    assert shown and all(r.gain.n == 6 for r in shown)
    # one measure by hand: the mean over agencies of its codes' mean change
    title = shown[0].measure.title
    per_agency = []
    for d in data.values():
        (m,) = [m for m in d["plan"].measures if m.title == title]
        moved = [d["after"][c] - d["before"][c] for c in m.addresses]
        per_agency.append(sum(moved) / len(moved))
    assert shown[0].gain.mean_change == pytest.approx(sum(per_agency) / len(per_agency))
    # a provincial viewer sees its province's five; an agency officer none of it
    client = client_for(world, "provincial")
    page = client.get(reverse("compare:measures"))
    assert page.status_code == 200 and "ความสัมพันธ์ ไม่ใช่ข้อพิสูจน์" in page.content.decode()
    assert page.context["rows"][0].gain.n == 5
    assert client_for(world, "officer_a").get(reverse("compare:measures")).status_code == 403
    assert client_for(world, None).get(reverse("compare:measures")).status_code == 302
    assert client_for(world, "admin").get(reverse("compare:measures")).status_code == 200
    assert client.get(reverse("compare:measures") + "?year=66").status_code == 400
    assert client.get(reverse("compare:measures") + "?year=2570").context["rows"] == []


def test_measure_gains_withheld_below_five_and_csv(world: World) -> None:
    measures_world(world, ["ตัวอย่าง"] * 4)
    client = client_for(world, "provincial")
    response = client.get(reverse("compare:measures_csv") + "?year=2566")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert found[0][:3] == ["entry", "measure", "agencies"]
    assert len(found) > 1 and all(r[2] == "4" and r[3] == "" for r in found[1:])
    html = client.get(reverse("compare:measures")).content.decode()
    assert "ไม่แสดง: น้อยกว่า 5 หน่วยงาน" in html


def test_a_national_or_provincial_role_is_needed(world: World) -> None:
    lone = User.objects.create_user("lone", "lone@example.invalid", "pw-12345")
    client = client_for(world, None)
    client.force_login(lone)
    assert client.get(reverse("compare:measures")).status_code == 403
    provincial_viewer_grant(user=lone, province="จังหวัดอื่น")
    assert client.get(reverse("compare:measures")).status_code == 200


def test_the_analysis_document_has_the_section_when_a_plan_came_before(world: World) -> None:
    from openita.web.results.selectors import analysis_document

    base = base_scores(world)
    Assessment.objects.filter(agency=world.a).delete()
    planned(world.a, base, lift=100, rest=1)
    texts = analysis_document(Assessment.objects.get(agency=world.a, fiscal_year=2566))
    joined = "\n".join(texts.text_blocks())
    assert "6. มาตรการที่ได้ผล" in joined and "ปี 2565 (ก่อนแผน) กับปี 2566 (หลังแผน)" in joined
    assert "ข้อที่แผนไม่ได้มุ่งยกระดับ" in joined
    earlier = analysis_document(Assessment.objects.get(agency=world.a, fiscal_year=2565))
    assert "มาตรการที่ได้ผล" not in "\n".join(earlier.text_blocks())


def test_sql_counts_agree_with_the_list_maths_and_frameworks_are_kept_apart(
    world: World,
) -> None:
    from openita.engine import peers

    own = saved(world, 2565)
    others = [
        give(peer(n, "ตัวอย่าง" if n % 2 else "จังหวัดอื่น"), 2565, own.framework_id,
             shifted(own.scores, d))
        for n, d in enumerate((-4.0, 0.0, 0.0, 2.5, -9.0, 6.0, 0.0))
    ]  # fmt: skip
    give(peer(99, "ตัวอย่าง"), 2565, "ita-2566", shifted(own.scores, 1))  # another framework
    own_figures = {"total": float(own.total or 0), "ind1": own.figures["ind1"]}
    at_home, everywhere = selectors.peer_counts(own, own_figures)
    home = [o for o in others if o.agency.province == "ตัวอย่าง"]
    assert everywhere["total"].n == 8 and at_home["total"].n == 4  # every framework's total
    expected = peers.counts_of(own_figures["ind1"], [o.figures["ind1"] for o in home])
    assert (at_home["ind1"].n, at_home["ind1"].below, at_home["ind1"].same) == (
        expected.n,
        expected.below,
        expected.same,
    )
    listed = peers.counts_of(own_figures["ind1"], [o.figures["ind1"] for o in others])
    found = everywhere["ind1"]
    assert (found.n, found.below, found.same) == (listed.n, listed.below, listed.same)
    assert found.mean == pytest.approx(listed.mean)
    assert listed.same >= 3  # the unchanged peers tie
