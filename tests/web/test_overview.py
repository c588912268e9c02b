"""The overview across agencies: figures from SQL aggregates checked against the rows, who
sees what for every role, exports, the query count at 5 and 200 agencies, ``openita stats``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from openita.cli.main import cli
from openita.web.agencies.models import Agency, AgencyKind
from openita.web.agencies.services import national_viewer_grant
from openita.web.overview import sections
from openita.web.overview.scope import Scope, ScopeInvalid, resolve, scope_for, viewer_of
from openita.web.overview.selectors import summary, weakest_items
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.overview_data import give_all, make_agencies
from tests.web.test_views import client_for

CM = "เชียงใหม่"
BASES_2568 = [95.0, 90.0, 88.0, 84.0, 70.0, 60.0]


@pytest.fixture
def country(world: World) -> World:
    """World (two agencies in ตัวอย่าง, one in จังหวัดอื่น), six in เชียงใหม่ with two years,
    and a national viewer."""
    cm = make_agencies(6, province=CM, district="เมืองเชียงใหม่")
    pairs = [(a, 2568, b) for a, b in zip(cm, BASES_2568, strict=True)]
    pairs += [(a, 2567, 90.0) for a in cm]
    pairs += [(world.a, 2568, 86.0), (world.a, 2567, 80.0), (world.c, 2568, 92.0)]
    give_all(pairs)
    national = User.objects.create_user("national", "n@example.invalid", "pw-12345")
    national_viewer_grant(user=national, office="สถ.")
    world.users["national"] = national
    world.cm = cm  # type: ignore[attr-defined]
    return world


def half_up(value: Decimal) -> float:
    return float(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _rows(year: int, province: str | None = None) -> list[Assessment]:
    found = Assessment.objects.filter(fiscal_year=year, total__isnull=False)
    if province:
        found = found.filter(agency__province=province)
    return list(found)


def test_summary_is_the_rows_aggregated(country: World) -> None:
    got = summary(Scope(2568))
    rows = _rows(2568)
    totals = [float(r.total) for r in rows if r.total is not None]
    assert got.agencies == 9 and got.with_results == len(rows) == 8
    assert got.mean_total == half_up(sum(r.total for r in rows if r.total) / len(totals))
    assert got.passed == sum(1 for r in rows if r.passed)
    assert got.pass_rate == round(got.passed / 8, 4)
    assert got.by_rating == dict(Counter(r.rating for r in rows)) | {}
    assert list(got.by_rating) == [
        c for c in ("AA", "A", "B", "C", "D", "E", "F") if c in got.by_rating
    ]
    assert got.by_level == dict(Counter(r.level for r in rows if r.level))
    assert sum(b.n for b in got.histogram) == 8
    assert sum(b.n for b in got.histogram if b.low >= 85) == sum(1 for t in totals if t >= 85)
    # ind3 is 8 under every other indicator, ind9 4 under: the two weakest, in that order.
    assert [i.code for i in got.weakest_indicators[:2]] == ["ind3", "ind9"]
    ind3 = [r.figures["ind3"] for r in rows]
    assert got.weakest_indicators[0].mean == half_up(sum(Decimal(str(v)) for v in ind3) / len(ind3))
    assert got.weakest_indicators[0].below == round(sum(v < 85 for v in ind3) / len(ind3), 4)
    provinces = {g.key: g for g in got.by_province or []}
    assert set(provinces) == {CM, "ตัวอย่าง", "จังหวัดอื่น"}
    assert provinces["ตัวอย่าง"].agencies == 2 and provinces["ตัวอย่าง"].with_results == 1
    cm_totals = [r.total for r in _rows(2568, CM) if r.total is not None]
    assert provinces[CM].mean_total == half_up(sum(cm_totals, Decimal(0)) / 6)


def test_filters_by_province_district_and_type(country: World) -> None:
    assert summary(Scope(2568, province=CM)).with_results == 6
    assert summary(Scope(2568, province=CM, district="เมืองเชียงใหม่")).agencies == 6
    assert summary(Scope(2568, kind=AgencyKind.TAMBON)).with_results == 1  # world.a
    assert summary(Scope(2568, region="north")).agencies == 6
    assert summary(Scope(2568, province=CM)).by_province is None


def test_scopes_are_resolved_from_what_people_type(country: World) -> None:
    assert resolve(year=2568, province="จ.เชียงใหม่").province == CM
    assert resolve(year=2568, province="Chiang Mai").province == CM
    assert resolve(year=2568, province="ตัวอย่าง").province == "ตัวอย่าง"  # as stored
    for bad in (
        {"year": 2590},
        {"year": 2568, "province": "Atlantis"},
        {"year": 2568, "kind": "castle"},
        {"year": 2568, "region": "moon"},
        {"year": 2568, "province": CM, "district": "ไม่มี"},
        {"year": 2568, "province": CM, "region": "south"},
    ):
        with pytest.raises(ScopeInvalid):
            resolve(**bad)


def test_movement_gaps_and_rows(country: World) -> None:
    moved = sections.movement(Scope(2568), named=True)
    assert moved.compared == 7  # six in เชียงใหม่ and world.a have both years
    before, after = (
        Assessment.objects.get(agency=country.a, fiscal_year=y).total for y in (2567, 2568)
    )
    assert before is not None and after is not None
    assert moved.risers[0].name == country.a.name
    assert moved.risers[0].change == float(after - before)
    assert moved.rose + moved.fell + moved.same == 7
    assert [m.change for m in moved.fallers] == sorted(m.change for m in moved.fallers)
    assert sections.movement(Scope(2568), named=False).risers == []
    found = sections.gaps(Scope(2568), named=True)
    assert found.counts["no_plan"] == 9 and len(found.listed["no_plan"]) == 9
    rows = sections.agency_rows(Scope(2568, province=CM))
    assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)
    assert all(r.change is not None for r in rows)


def test_overdue_follows_the_rule_of_the_rounds() -> None:
    today = dt.date(2025, 6, 1)
    late = {"deadline": "2025-03-31", "progress": {"6": {"status": "in_progress"}}}
    done = {"deadline": "2025-03-31", "progress": {"6": {"status": "done", "percent": 100}}}
    unreported = {"deadline": "2025-03-31", "progress": {}}
    later = {"deadline": "2025-09-30", "progress": {"6": {"status": "not_started", "done": "x"}}}
    carried = {
        "deadline": "2025-03-31",
        "progress": {"6": {"status": "not_started", "done": "เริ่ม"}, "12": {}},
    }
    assert [
        sections.measure_overdue(m, today) for m in (late, done, unreported, later, carried)
    ] == [True, False, False, False, True]


def test_overdue_counts_the_current_version_of_each_plan(world: World) -> None:
    from tests.web.test_plans import drafted

    plan = drafted(world)
    found = sections.overdue(Scope(plan.fiscal_year), named=True, today=dt.date(2100, 1, 1))
    assert found.plans == 1
    assert found.agencies == 0  # nothing reported yet: nothing is called late


# --- who sees what ---------------------------------------------------------------------------


def _page(client: Any, **params: str) -> Any:
    return client.get("/overview/", {"year": "2568", **params})


def test_national_viewer_sees_every_scope_by_name(country: World) -> None:
    client = client_for(country, "national")
    for params in ({}, {"region": "north"}, {"province": CM}, {"province": "ตัวอย่าง"}):
        for path in PARTS:
            got = client.get(path, {"year": "2568", **params})
            assert got.status_code == 200, (path, params)
    page = _page(client, province=CM).content.decode()
    assert country.cm[0].name in page  # type: ignore[attr-defined]
    assert f"/agencies/{country.cm[0].pk}/" in page  # type: ignore[attr-defined]
    # and reads (never edits) every agency's pages
    assert client.get(f"/agencies/{country.c.pk}/").status_code == 200
    assert client.post(f"/agencies/{country.c.pk}/settings/", {}).status_code in (403, 404)


def test_provincial_viewer_sees_its_province_by_name_and_the_rest_anonymously(
    country: World,
) -> None:
    client = client_for(country, "provincial")
    start = client.get("/overview/")
    assert start.status_code == 200 and "ตัวอย่าง" in start.content.decode()
    own = _page(client, province="ตัวอย่าง").content.decode()
    assert country.a.name in own
    whole = _page(client)
    assert whole.status_code == 200
    text = whole.content.decode()
    assert country.cm[0].name not in text and country.c.name not in text  # type: ignore[attr-defined]
    assert _page(client, province=CM).status_code == 403
    assert (
        client.get(
            "/overview/export/", {"year": "2568", "table": "movement", "fmt": "csv"}
        ).status_code
        == 403
    )


def test_agency_member_sees_its_agency_and_anonymous_aggregates(country: World) -> None:
    client = client_for(country, "officer_a")
    got = _page(client)
    assert got.status_code == 200
    text = got.content.decode()
    assert country.a.name in text  # its own agency, with its result
    assert country.cm[0].name not in text and country.b.name not in text  # type: ignore[attr-defined]
    # its own province as anonymous aggregates: one result there, so the figures are withheld
    own = _page(client, province="ตัวอย่าง")
    assert own.status_code == 200 and own.context["summary"].withheld
    assert country.b.name not in own.content.decode()
    assert _page(client, province=CM).status_code == 403
    for table in sections_named():
        answer = client.get("/overview/export/", {"year": "2568", "table": table, "fmt": "csv"})
        assert answer.status_code == 403, table
    assert (
        client.get(
            "/overview/export/", {"year": "2568", "table": "groups", "fmt": "csv"}
        ).status_code
        == 200
    )


def sections_named() -> list[str]:
    from openita.web.overview.exports import NAMED

    return sorted(NAMED)


def test_no_role_no_overview_and_anonymous_logs_in(country: World) -> None:
    User.objects.create_user("nobody", "x@example.invalid", "pw-12345")
    client = client_for(country, None)
    assert _page(client).status_code == 302
    client.force_login(User.objects.get(username="nobody"))
    assert _page(client).status_code == 403
    with pytest.raises(Exception, match="not visible"):
        scope_for(User.objects.get(username="nobody"), Scope(2568))


def test_scope_for_every_role(country: World) -> None:
    u = country.users
    assert scope_for(u["national"], Scope(2568, province=CM)).province == CM
    assert scope_for(u["admin"], Scope(2568, province=CM)).province == CM
    assert scope_for(u["provincial"], Scope(2568, region="north")).region == "north"
    assert scope_for(u["viewer_a"], Scope(2568)).fiscal_year == 2568
    for role in ("provincial", "officer_a", "executive_a", "viewer_a", "officer_b"):
        with pytest.raises(Exception, match="not visible"):
            scope_for(u[role], Scope(2568, province=CM))
    assert viewer_of(u["national"]).named(Scope(2568, province=CM))
    assert not viewer_of(u["officer_a"]).named(Scope(2568, province="ตัวอย่าง"))


def test_bad_scope_is_a_clear_400(country: World) -> None:
    client = client_for(country, "national")
    for params in ({"year": "abc"}, {"year": "2590"}, {"province": "Atlantis"}, {"kind": "x"}):
        got = client.get("/overview/", params)
        assert got.status_code == 400, params
    assert "2590" in client.get("/overview/", {"year": "2590"}).content.decode()


# --- exports ---------------------------------------------------------------------------------


def test_every_table_exports_as_csv_and_xlsx(country: World) -> None:
    from openita.web.overview.exports import TABLES

    country.cm[0].name = "=HYPERLINK(1)"  # type: ignore[attr-defined]
    country.cm[0].save()  # type: ignore[attr-defined]
    client = client_for(country, "national")
    for table in TABLES:
        for fmt in ("csv", "xlsx"):
            got = client.get(
                "/overview/export/", {"year": "2568", "province": CM, "table": table, "fmt": fmt}
            )
            assert got.status_code == 200, (table, fmt)
            assert "attachment" in got["Content-Disposition"]
    body = client.get(
        "/overview/export/", {"year": "2568", "province": CM, "table": "agencies", "fmt": "csv"}
    ).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 7 and "'=HYPERLINK(1)" in [r[0] for r in rows]
    book = load_workbook(
        io.BytesIO(
            client.get(
                "/overview/export/", {"year": "2568", "table": "groups", "fmt": "xlsx"}
            ).content
        )
    )
    sheet = book.active
    assert (
        sheet is not None and sheet.max_row == 1 + 2
    )  # header, the north and "-" (test provinces)
    assert client.get("/overview/export/", {"table": "nope", "fmt": "csv"}).status_code == 404


# --- the number of queries does not grow with the number of agencies ---------------------------


PARTS = ("/overview/", "/overview/items/", "/overview/followup/")


def _queries(client: Any, params: dict[str, str]) -> list[int]:
    counts = []
    for path in PARTS:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(path, params).status_code == 200
        counts.append(len(seen.captured_queries))
    return counts


def test_queries_do_not_grow_with_the_number_of_agencies(world: World) -> None:
    national = User.objects.create_user("national", "n@example.invalid", "pw-12345")
    national_viewer_grant(user=national)
    client = client_for(world, None)
    client.force_login(national)
    counts = []
    for n in (5, 200):
        Agency.objects.filter(province=CM).delete()
        found = make_agencies(n, province=CM)
        give_all([(a, y, 60.0 + k % 40) for k, a in enumerate(found) for y in (2567, 2568)])
        assert Assessment.objects.filter(fiscal_year=2568, agency__province=CM).count() == n
        counts.append(
            [
                _queries(client, {"year": "2568", **p})
                for p in ({}, {"province": CM}, {"province": CM, "district": "เมือง"})
            ]
        )
    assert counts[0] == counts[1]


# --- openita stats ---------------------------------------------------------------------------


def test_stats_json_is_the_figures_of_the_view(country: World) -> None:
    result = CliRunner().invoke(cli, ["stats", "--year", "2568", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    page = client_for(country, "national").get("/overview/", {"year": "2568"}).context["summary"]
    assert found == page.as_dict()
    for key in (
        "fiscal_year",
        "agencies",
        "with_results",
        "mean_total",
        "pass_rate",
        "by_rating",
        "by_level",
        "weakest_indicators",
        "by_province",
    ):
        assert key in found
    assert found["agencies"] == 9 and found["weakest_indicators"][0]["code"] == "ind3"
    one = json.loads(
        CliRunner()
        .invoke(cli, ["stats", "--year", "2568", "--province", "Chiang Mai", "--json"])
        .output
    )
    assert one["with_results"] == 6 and "by_province" not in one
    text = CliRunner().invoke(cli, ["stats", "--year", "2568", "--type", "sao"])
    assert text.exit_code == 0 and "pass rate" in text.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--year", "2590"], "fiscal year 2590"),
        (["--year", "2568", "--province", "Atlantis"], "unknown province"),
        (["--year", "2568", "--type", "castle"], "unknown agency type"),
    ],
)
def test_stats_refuses_unknown_scopes(country: World, args: list[str], says: str) -> None:
    result = CliRunner().invoke(cli, ["stats", *args])
    assert result.exit_code == 2 and says in result.output


def test_decimal_totals_average_like_the_rows(country: World) -> None:
    # the mean is the database's, rounded once: the same as averaging the stored Decimals
    totals = [r.total for r in _rows(2568) if r.total is not None]
    mean = sum(totals, Decimal(0)) / len(totals)
    assert summary(Scope(2568)).mean_total == half_up(mean)


def test_weakest_items_and_the_follow_up_part(country: World) -> None:
    from tests.conftest import read_example

    items = {k: v for k, v in read_example("bansong-2565.csv").items() if k[0] in "ieo"}
    rows = []
    for n, agency in enumerate(country.cm):  # type: ignore[attr-defined]
        row = Assessment(
            agency=agency,
            fiscal_year=2565,
            framework_id="ita-2565",
            scores={**items, "i1": 50.0 + n},
        )
        row.save()
        rows.append(row)
    client = client_for(country, "national")
    got = client.get("/overview/items/", {"year": "2565"})
    assert got.status_code == 200
    weakest = got.context["items"]
    assert [i.mean for i in weakest] == sorted(i.mean for i in weakest)
    every = {i.code: i for i in weakest_items(Scope(2565), limit=1000)}
    assert every["i1"].n == 6 and every["i1"].mean == 52.5 and every["i1"].below == 1.0
    zeros = [c for c, v in items.items() if v == 0]
    assert all(every[c].mean == 0 and every[c].below == 1.0 for c in zeros)
    assert weakest[0].mean == min(i.mean for i in every.values())
    follow = client.get("/overview/followup/", {"year": "2568", "province": CM})
    assert follow.status_code == 200 and follow.context["gaps"].counts["no_plan"] == 6
    assert country.cm[0].name in follow.content.decode()  # type: ignore[attr-defined]


def test_overdue_measures_counted_by_the_database_as_in_python(world: World) -> None:
    from openita.web.plans.models import MeasuresPlan, PlanVersion

    defaults = {
        "status": "not_started",
        "done": "",
        "outcome": "",
        "follow_up": "",
        "percent": 0,
        "evidence": [],
        "reason": "",
        "updated": None,
    }
    measures = [
        {"deadline": "2025-03-31", "progress": {"6": {**defaults, "status": "in_progress"}}},
        {
            "deadline": "2025-03-31",
            "progress": {"6": {**defaults, "status": "done", "percent": 100}},
        },
        {"deadline": "2025-03-31", "progress": {"6": defaults, "12": defaults}},  # unreported
        {"deadline": "2025-09-30", "progress": {"6": {**defaults, "done": "x"}}},  # not yet due
        {"deadline": "2025-03-31", "progress": {"6": {**defaults, "done": "เริ่ม"}, "12": defaults}},
        {
            "deadline": "2025-03-31",
            "progress": {"12": {**defaults, "status": "dropped", "reason": "r"}},
        },
    ]
    plan = MeasuresPlan.objects.create(agency=world.a, fiscal_year=2568)
    PlanVersion.objects.create(plan=plan, number=1, content={"measures": measures[:1]})
    PlanVersion.objects.create(plan=plan, number=2, content={"measures": measures})
    other = MeasuresPlan.objects.create(agency=world.c, fiscal_year=2568)
    PlanVersion.objects.create(plan=other, number=1, content={"measures": measures[2:4]})
    today = dt.date(2025, 6, 1)
    expected = sum(sections.measure_overdue(m, today) for m in measures)
    assert expected == 2
    found = sections.overdue(Scope(2568), named=True, today=today)
    assert (found.plans, found.agencies, found.measures) == (2, 1, expected)
    assert found.listed == [(world.a.pk, world.a.name, world.a.province, 2)]
    assert sections.overdue(Scope(2568), named=False, today=today).listed == []


def test_follow_up_reads_the_plans_of_the_year_or_the_next(country: World) -> None:
    from openita.web.plans.models import MeasuresPlan

    assert sections.plan_years(Scope(2568)) == (2568, [2568, 2569])  # no plans of 2569 yet
    MeasuresPlan.objects.create(agency=country.a, fiscal_year=2569)
    assert sections.plan_years(Scope(2568)) == (2569, [2568, 2569])  # made from 2568's results
    assert sections.plan_years(Scope(2568), "2568")[0] == 2568
    assert sections.plan_years(Scope(2568), "1999")[0] == 2569  # not offered: the default
    client = client_for(country, "national")
    page = client.get("/overview/followup/", {"year": "2568"})
    assert page.context["plan_year"] == 2569 and page.context["gaps"].counts["no_plan"] == 8
    page = client.get("/overview/followup/", {"year": "2568", "plan_year": "2568"})
    assert page.context["plan_year"] == 2568 and page.context["gaps"].counts["no_plan"] == 9
    got = client.get(
        "/overview/export/", {"year": "2568", "table": "gaps", "fmt": "csv", "plan_year": "2569"}
    )
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert sum(1 for r in rows if r[0] == "no_plan") == 8


def test_cached_figures_follow_a_changed_result_at_once(country: World) -> None:
    before = {i.code: i.mean for i in summary(Scope(2568)).weakest_indicators}
    moved = sections.movement(Scope(2568), named=True).risers[0]
    row = Assessment.objects.get(agency=country.a, fiscal_year=2568)
    row.scores = {**row.scores, "ind3": 0.0}
    row.save()
    after = {i.code: i.mean for i in summary(Scope(2568)).weakest_indicators}
    assert after["ind3"] < before["ind3"] and after["ind1"] == before["ind1"]
    now = {m.agency_id: m for m in sections.movement(Scope(2568), named=True).risers}
    assert moved.agency_id == country.a.pk and now.get(country.a.pk) != moved
    row.delete()
    again = {i.code: i.n for i in summary(Scope(2568)).weakest_indicators}
    assert again["ind3"] == 7
