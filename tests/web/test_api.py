"""The read-only API: its OpenAPI description is valid and every documented path answers; tokens
are hashed at rest, made and revoked by their user (audited); and every role reads exactly what
its pages show (a token of one agency's officer cannot read another agency)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import visible_agencies
from openita.web.agencies.services import national_viewer_grant
from openita.web.api import tokens
from openita.web.api.models import ApiToken
from openita.web.audit.models import AuditEntry
from openita.web.results.models import Assessment
from tests.importers.bulk_files import figures
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for

ROLES = ("officer_a", "officer_b", "executive_a", "viewer_a", "provincial", "national", "admin")


def with_national(world: World) -> None:
    """A national viewer (the overview app's role): reads every agency."""
    user = User.objects.create_user("national", "national@example.invalid", "pw-12345")
    national_viewer_grant(user=user, office="สำนักงาน ป.ป.ช.")
    world.users["national"] = user


def with_results(world: World) -> None:
    for agency, year, base in ((world.a, 2568, 90), (world.b, 2568, 70), (world.c, 2567, 80)):
        cells = figures(year, base)
        scores = {k: float(v) for k, v in cells.items() if k.startswith("ind")}
        Assessment.objects.create(
            agency=agency, fiscal_year=year, framework_id=f"ita-{year}", scores=scores
        )


def bearer(world: World, role: str) -> Client:
    made = tokens.token_create(user=world.users[role], name=f"{role} script")
    return Client(headers={"authorization": f"Bearer {made.secret}"})


def get(client: Client, url: str) -> Any:
    got = client.get(url)
    return got.status_code, got.json() if got.headers["content-type"].startswith(
        "application/json"
    ) else None  # fmt: skip


def test_the_openapi_description_is_valid_and_every_path_answers(world: World) -> None:
    from openapi_spec_validator import validate

    with_results(world)
    drafted(world)
    schema = Client().get("/api/openapi.json").json()
    validate(schema)
    paths = schema["paths"]
    assert {"/api/agencies", "/api/results", "/api/plans", "/api/regions"} <= set(paths)
    client = bearer(world, "admin")
    values = {"agency_id": world.a.pk, "fiscal_year": 2568}
    for path, methods in paths.items():
        assert set(methods) == {"get"}, path  # read-only
        url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
        needed = [p["name"] for p in methods["get"].get("parameters", [])
                  if p["in"] == "query" and p.get("required")]  # fmt: skip
        if needed:
            url += "?" + "&".join(f"{name}={values[name]}" for name in needed)
        status, body = get(client, url)
        assert status == 200, (url, status, body)
        assert status == 200 and body is not None
        assert get(Client(), url)[0] == 401, url  # never without a login


def test_the_documentation_page_is_rendered_here(world: World) -> None:
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    text = page.content.decode()
    for path in ("/api/agencies", "/api/agencies/{agency_id}/results/{fiscal_year}", "AgencyOut"):
        assert path in text
    assert not re.search(r"""(src|href)=["']https?://""", text)  # nothing from a CDN


def test_tokens_are_hashed_made_and_revoked_by_their_user_and_audited(world: World) -> None:
    client = client_for(world, "officer_a")
    page = client.post("/api/tokens/", {"name": "รายงานจังหวัด"})
    assert page.status_code == 200
    secret = re.search(r"oita_[\w-]+", page.content.decode())
    assert secret is not None
    token = ApiToken.objects.get(user=world.users["officer_a"])
    assert token.token_hash == tokens.hash_of(secret.group(0))
    assert secret.group(0) not in str(list(ApiToken.objects.values()))  # only the hash kept
    assert secret.group(0) not in client.get("/api/tokens/").content.decode()  # shown once
    assert AuditEntry.objects.filter(object_type="api.apitoken", action="create").exists()
    api = Client(headers={"authorization": f"Bearer {secret.group(0)}"})
    assert api.get("/api/agencies").status_code == 200
    # someone else cannot revoke it
    client_for(world, "officer_b").post("/api/tokens/revoke/", {"token": token.pk})
    assert api.get("/api/agencies").status_code == 200
    client.post("/api/tokens/revoke/", {"token": token.pk})
    assert api.get("/api/agencies").status_code == 401
    assert AuditEntry.objects.filter(object_type="api.apitoken", action="delete").count() == 1
    assert Client(headers={"authorization": "Bearer oita_forged"}).get(
        "/api/agencies"
    ).status_code == 401  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_what_its_pages_show(world: World, role: str) -> None:
    with_national(world)
    with_results(world)
    drafted(world)  # a plan of agency A
    user = world.users[role]
    visible = set(visible_agencies(user).values_list("pk", flat=True))
    if role in ("national", "admin"):
        assert visible == set(Agency.objects.values_list("pk", flat=True))
    hidden = set(Agency.objects.values_list("pk", flat=True)) - visible
    for client in (bearer(world, role), client_for(world, role)):  # token and session
        status, body = get(client, "/api/agencies")
        assert status == 200 and {a["id"] for a in body["items"]} == visible
        status, body = get(client, "/api/results")
        assert {r["agency_id"] for r in body["items"]} == {
            a for a in visible if Assessment.objects.filter(agency_id=a).exists()
        }
        status, body = get(client, "/api/plans")
        assert {p["agency_id"] for p in body["items"]} <= visible
        for agency_id in visible:
            assert get(client, f"/api/agencies/{agency_id}")[0] == 200
        for agency_id in hidden:
            assert get(client, f"/api/agencies/{agency_id}")[0] == 404
            year = 2567 if agency_id == world.c.pk else 2568
            assert get(client, f"/api/agencies/{agency_id}/results/{year}")[0] == 404


def test_an_officers_token_cannot_read_another_agency(world: World) -> None:
    with_results(world)
    client = bearer(world, "officer_a")
    assert get(client, f"/api/agencies/{world.b.pk}/results/2568")[0] == 404
    assert get(client, f"/api/agencies/{world.b.pk}")[0] == 404
    status, body = get(client, f"/api/agencies/{world.a.pk}/results/2568")
    assert status == 200
    stored = Assessment.objects.get(agency=world.a, fiscal_year=2568)
    assert body["total"] == float(stored.total) and body["rating"] == stored.rating
    assert body["figures"]["IIT"] == stored.figures["IIT"] and body["scores"]["ind1"] > 0
    assert {r["agency_id"] for r in get(client, "/api/results")[1]["items"]} == {world.a.pk}
    assert get(client, f"/api/results?agency_id={world.b.pk}")[1]["count"] == 0
    assert get(client, f"/api/results?agency_id={world.a.pk}")[1]["count"] == 1


def test_pagination_and_filters(world: World) -> None:
    with_results(world)
    client = bearer(world, "admin")
    status, first = get(client, "/api/agencies?page_size=2")
    assert status == 200 and first["count"] == 3 and len(first["items"]) == 2
    second = get(client, "/api/agencies?page_size=2&page=2")[1]
    assert len(second["items"]) == 1
    assert {a["id"] for a in first["items"] + second["items"]} == {
        world.a.pk, world.b.pk, world.c.pk
    }  # fmt: skip
    by_type = get(client, "/api/agencies?type=อบต.")[1]
    assert [a["id"] for a in by_type["items"]] == [world.b.pk]
    by_province = get(client, "/api/results?province=ตัวอย่าง&fiscal_year=2568")[1]
    assert {r["agency_id"] for r in by_province["items"]} == {world.a.pk, world.b.pk}
    assert get(client, "/api/results?fiscal_year=2567")[1]["count"] == 1
    assert get(client, "/api/agencies?type=สหกรณ์")[0] == 400
    assert get(client, "/api/agencies?region=nowhere")[0] == 400
    assert get(client, "/api/agencies?page_size=100000")[0] in (200, 422)


def test_plans_status(world: World) -> None:
    plan = drafted(world)
    status, body = get(bearer(world, "officer_a"), "/api/plans")
    assert status == 200
    (found,) = body["items"]
    assert found["agency_id"] == world.a.pk and found["fiscal_year"] == plan.fiscal_year
    assert found["version"] >= 1 and found["approved"] is False and found["published"] == []
    assert [r["months"] for r in found["rounds"]] == [6, 12]


def test_the_summary_is_the_overview_figures_with_its_access_rule(world: World) -> None:
    from openita.web.overview import selectors as overview

    with_results(world)
    status, body = get(bearer(world, "admin"), "/api/summary?fiscal_year=2568")
    assert status == 200
    assert body == overview.summary(overview.Scope(2568)).as_dict()
    assert body["with_results"] == 2 and body["fiscal_year"] == 2568
    assert get(bearer(world, "admin"), "/api/summary?fiscal_year=2568&type=สหกรณ์")[0] == 400
    assert get(Client(), "/api/summary?fiscal_year=2568")[0] == 401
    # another province's view by names: refused or withheld, never the figures of agency C
    status, body = get(bearer(world, "officer_a"), "/api/summary?fiscal_year=2567&province=จังหวัดอื่น")
    assert status == 403 or body.get("mean_total") is None
