"""The agency's own surveys end to end: an IIT campaign with single-use codes, an EIT campaign
with a public link, the pool, the privacy floor, review of suspicious answers, the self-assessed
result, and the anonymity of the schema (every join path tried)."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta
from itertools import islice
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openita.web.surveys import selectors, services
from openita.web.surveys.models import (
    AccessCode,
    BrowserMark,
    Campaign,
    Draft,
    PendingResponse,
    Response,
    Verdict,
)
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _officer(world: World) -> Client:
    client = Client()
    client.force_login(world.users["officer_a"])
    return client


def _create(world: World, tool: str, eligible: int | None = None) -> Campaign:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "tool": tool,
        "fiscal_year": 2569,
        "title": "",
        "opens": f"{today.day}/{today.month}/{today.year + 543}",
        "closes": f"{(today + timedelta(days=30)).day}/{(today + timedelta(days=30)).month}/"
        f"{(today + timedelta(days=30)).year + 543}",
        "eligible": eligible or "",
        "target": "",
    }
    page = _officer(world).post(reverse("surveys:index", args=[world.a.pk]), data)
    assert page.status_code == 302, page.content.decode()[:3000]
    return Campaign.objects.get(agency=world.a, tool=tool)


def _codes(world: World, campaign: Campaign, n: int) -> list[str]:
    page = _officer(world).post(
        reverse("surveys:codes", args=[world.a.pk, campaign.pk]), {"n": n, "fmt": "csv"}
    )
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows[0] == ["code", "url"]
    return [r[0] for r in rows[1:]]


def _answer(
    campaign: Campaign, client: Client, *, code: str = "", choice: int = 0, slow: bool = True
) -> Any:
    """Answer every page (option 1 + (n + choice) % options); returns the last response."""
    start = client.post(reverse("surveys:start", args=[campaign.slug]), {"code": code})
    if start.status_code != 302:
        return start
    if slow:  # as if the person took ten minutes
        Draft.objects.filter(campaign=campaign).update(started=time.time() - 600)
    form = selectors.form_of(campaign)
    last = None
    for page, section in enumerate(form.sections, start=1):
        answers = {
            q.key: str(1 + (n + choice) % len(q.options))
            for n, q in enumerate(section.questions)
            if q.options
        }
        last = client.post(reverse("surveys:page", args=[campaign.slug, page]), answers)
        assert last.status_code == 302, last.content.decode()[:2000]
    return last


def test_an_iit_campaign_with_single_use_codes(world: World) -> None:
    campaign = _create(world, "IIT", eligible=6)
    assert campaign.target == 6  # fewer staff than the minimum: every one of them
    codes = _codes(world, campaign, 6)
    assert len(set(codes)) == 6
    assert not AccessCode.objects.filter(digest__in=codes).exists()  # only keyed hashes kept
    done = _answer(campaign, Client(), code=codes[0])
    assert done["Location"] == reverse("surveys:done", args=[campaign.slug])
    # a used code cannot answer twice, in any browser
    again = Client().post(reverse("surveys:start", args=[campaign.slug]), {"code": codes[0]})
    assert again.status_code == 400 and "ใช้ตอบไปแล้ว" in again.content.decode()
    wrong = Client().post(reverse("surveys:start", args=[campaign.slug]), {"code": "ACDE-FG34"})
    assert wrong.status_code == 400 and "ไม่พบรหัสนี้" in wrong.content.decode()
    # one response waits in the pool until enough others join it
    assert PendingResponse.objects.filter(campaign=campaign).count() == 1
    assert Response.objects.filter(campaign=campaign).count() == 0
    detail = _officer(world).get(reverse("surveys:detail", args=[world.a.pk, campaign.pk]))
    assert "จะแสดงผลเมื่อมีผู้ตอบอย่างน้อย 5 คน" in detail.content.decode()
    for n, code in enumerate(codes[1:5], start=1):
        _answer(campaign, Client(), code=code.lower(), choice=n)
    assert PendingResponse.objects.filter(campaign=campaign).count() == 0
    assert Response.objects.filter(campaign=campaign).count() == 5
    assert AccessCode.objects.filter(campaign=campaign, used=True).count() == 5
    counts = selectors.counts(campaign)
    assert (counts.counted, counts.codes_used, counts.missing) == (5, 5, 1)
    summary = selectors.summary(campaign)
    assert summary.shown and summary.tool_score is not None
    page = _officer(world).get(reverse("surveys:detail", args=[world.a.pk, campaign.pk]))
    assert page.status_code == 200 and "ผลรายข้อ" in page.content.decode()


def test_a_lost_code_is_replaced_by_a_spare_and_a_lost_batch_voided(world: World) -> None:
    campaign = _create(world, "IIT", eligible=3)
    first = _codes(world, campaign, 3)
    spare = _officer(world).post(
        reverse("surveys:codes", args=[world.a.pk, campaign.pk]),
        {"n": 1, "spare": "on", "fmt": "csv"},
    )
    assert spare.status_code == 200
    assert AccessCode.objects.filter(campaign=campaign, spare=True, batch=2).count() == 1
    _answer(campaign, Client(), code=first[0])
    voided = _officer(world).post(
        reverse("surveys:void", args=[world.a.pk, campaign.pk]), {"batch": "1"}
    )
    assert voided.status_code == 302
    assert AccessCode.objects.filter(campaign=campaign, void=True).count() == 2  # used one kept
    refused = Client().post(reverse("surveys:start", args=[campaign.slug]), {"code": first[1]})
    assert refused.status_code == 400


def test_an_eit_campaign_one_answer_per_browser_and_suspicious_ones_held(world: World) -> None:
    campaign = _create(world, "EIT")
    assert campaign.target == 30  # a เทศบาลตำบล: the provisional table's figure
    browser = Client()
    assert _answer(campaign, browser).status_code == 302
    again = browser.post(reverse("surveys:start", args=[campaign.slug]), {})
    assert again.status_code == 400 and "ส่งคำตอบของรอบสำรวจนี้แล้ว" in again.content.decode()
    # answered in a second, every answer the same: held for review, not dropped, not counted
    _answer(campaign, Client(), slow=False)
    services.flush(campaign=campaign, force=True)
    held = Response.objects.get(campaign=campaign, verdict=Verdict.HELD)
    assert any("เร็วกว่า" in r for r in held.reasons)
    assert selectors.counts(campaign).counted == 1
    review = _officer(world).post(
        reverse("surveys:review", args=[world.a.pk, campaign.pk, held.pk]), {"count": "1"}
    )
    assert review.status_code == 302
    assert selectors.counts(campaign).counted == 2
    poster = _officer(world).get(reverse("surveys:poster", args=[world.a.pk, campaign.pk]))
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF")


def test_a_double_submit_stores_one_response(world: World) -> None:
    campaign = _create(world, "EIT")
    client = Client()
    client.post(reverse("surveys:start", args=[campaign.slug]), {})
    Draft.objects.filter(campaign=campaign).update(started=time.time() - 600)
    form = selectors.form_of(campaign)
    for page, section in enumerate(form.sections, start=1):
        answers = {q.key: "2" for q in section.questions if q.options}
        answers[next(iter(answers))] = "1"
        first = client.post(reverse("surveys:page", args=[campaign.slug, page]), answers)
    # the last page sent again (a double click, a reload after a dropped answer)
    cookie = client.cookies.get(f"svy_{campaign.slug}")
    assert first.status_code == 302
    client.cookies[f"svy_{campaign.slug}"] = cookie.value if cookie else ""
    second = client.post(reverse("surveys:page", args=[campaign.slug, len(form.sections)]), answers)
    assert second.status_code == 302
    total = Response.objects.filter(campaign=campaign).count()
    total += PendingResponse.objects.filter(campaign=campaign).count()
    assert total == 1


def test_progress_is_kept_when_the_connection_drops(world: World) -> None:
    campaign = _create(world, "EIT")
    client = Client()
    client.post(reverse("surveys:start", args=[campaign.slug]), {})
    form = selectors.form_of(campaign)
    first = {q.key: "1" for q in form.sections[0].questions if q.options}
    client.post(reverse("surveys:page", args=[campaign.slug, 1]), first)
    # the phone comes back later and opens the link again: page 1 still holds its answers
    again = client.get(reverse("surveys:start", args=[campaign.slug]))
    assert again.status_code == 302
    page = client.get(reverse("surveys:page", args=[campaign.slug, 1])).content.decode()
    assert page.count("checked") == len(first)


def test_missing_answers_are_named(world: World) -> None:
    campaign = _create(world, "EIT")
    client = Client()
    client.post(reverse("surveys:start", args=[campaign.slug]), {})
    page = client.post(reverse("surveys:page", args=[campaign.slug, 1]), {})
    assert page.status_code == 400 and "ยังไม่ได้ตอบ" in page.content.decode()


def test_public_rate_limit(world: World, settings: Any) -> None:
    settings.OPENITA_SURVEY_RATE = 2
    campaign = _create(world, "EIT")
    statuses = [
        Client().post(reverse("surveys:start", args=[campaign.slug]), {}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_closed_or_unknown_surveys(world: World) -> None:
    campaign = _create(world, "EIT")
    _officer(world).post(reverse("surveys:close", args=[world.a.pk, campaign.pk]))
    Campaign.objects.filter(pk=campaign.pk).update(closed_early=timezone.localdate() - timedelta(1))
    assert Client().get(reverse("surveys:start", args=[campaign.slug])).status_code == 410
    assert Client().get(reverse("surveys:start", args=["no-such-survey"])).status_code == 404


def test_only_the_agency_sees_its_campaigns(world: World) -> None:
    campaign = _create(world, "EIT")
    other = Client()
    other.force_login(world.users["officer_b"])
    url = reverse("surveys:detail", args=[world.a.pk, campaign.pk])
    assert other.get(url).status_code == 404
    viewer = Client()
    viewer.force_login(world.users["viewer_a"])
    assert viewer.get(url).status_code == 200
    assert viewer.post(reverse("surveys:close", args=[world.a.pk, campaign.pk])).status_code == 404


def test_responses_flow_into_a_self_assessed_result(world: World) -> None:
    iit = _create(world, "IIT", eligible=6)
    for n, code in enumerate(_codes(world, iit, 5)):
        _answer(iit, Client(), code=code, choice=n)
    eit = _create(world, "EIT")
    for n in range(5):
        _answer(eit, Client(), choice=n)
    own = selectors.self_assessed(world.a, 2569)
    assert own.result is None and own.missing == ["OIT"]  # no OIT figure yet: said, not guessed
    from openita.web.oit.services import open_checklist

    open_checklist(world.a, 2569, world.users["officer_a"])
    own = selectors.self_assessed(world.a, 2569)
    assert own.result is not None and own.result.label == "ผลสำรวจของหน่วยงานเอง"
    assert set(own.sources) == {"IIT", "EIT", "OIT"}
    page = _officer(world).get(reverse("surveys:own", args=[world.a.pk, 2569])).content.decode()
    assert "ไม่ใช่ผลการประเมินของสำนักงาน ป.ป.ช." in page


# --- anonymity: what the schema allows ------------------------------------------------------

PRIVATE = {"surveys.response", "surveys.pendingresponse"}
IDENTIFYING = {"surveys.accesscode", "surveys.browsermark", "auth.user", "surveys.draft"}


def _paths(start: type[models.Model], depth: int) -> list[tuple[str, ...]]:
    """Every lookup path from ``start`` through relations (forward and reverse), up to
    ``depth`` joins, that ends at an identifying model."""
    found: list[tuple[str, ...]] = []

    def walk(model: type[models.Model], path: tuple[str, ...], seen: tuple[str, ...]) -> None:
        if len(path) >= depth:
            return
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if not field.is_relation or target is None or target == "self":
                continue
            label = target._meta.label_lower
            if label in seen:
                continue
            step = (*path, field.name)
            if label in IDENTIFYING:
                found.append(step)
            walk(target, step, (*seen, label))

    walk(start, (), (start._meta.label_lower,))
    return found


def test_responses_have_nothing_that_identifies_a_person() -> None:
    for label in PRIVATE:
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields() if f.concrete}
        assert names == {"id", "campaign", "answers", "day", "verdict", "reasons"}, label
        kinds = {type(f) for f in model._meta.get_fields() if f.concrete}
        assert models.DateTimeField not in kinds and models.GenericIPAddressField not in kinds
        assert isinstance(model._meta.pk, models.UUIDField)  # no sequence to order them by
    code_fields = {f.name for f in AccessCode._meta.get_fields() if f.concrete}
    assert code_fields == {"id", "campaign", "digest", "used", "spare", "batch", "void"}


def test_no_join_path_ties_a_response_to_a_code_or_a_person(world: World) -> None:
    """Every path the schema offers from a response to a code, a browser mark, a draft or a user
    gives the same rows for every response of the campaign: nothing singles one out."""
    iit = _create(world, "IIT", eligible=6)
    codes = _codes(world, iit, 6)
    for n, code in enumerate(codes[:5]):
        _answer(iit, Client(), code=code, choice=n)
    eit = _create(world, "EIT")
    for n in range(6):
        _answer(eit, Client(), choice=n)
    _answer(eit, Client(), slow=False)  # one held
    Client().post(reverse("surveys:start", args=[eit.slug]), {})  # a draft left open
    paths = _paths(Response, 4) + _paths(PendingResponse, 4)
    assert any(p[-1] == "codes" for p in paths)  # the walk does reach the codes table
    tried = 0
    for model in (Response, PendingResponse):
        for path in [p for p in paths if p in _paths(model, 4)]:
            lookup = "__".join(path) + "__pk"
            for campaign in (iit, eit):
                rows = list(model.objects.filter(campaign=campaign).values_list("pk", flat=True))
                joined = {
                    pk: frozenset(
                        model.objects.filter(pk=pk).values_list(lookup, flat=True).distinct()
                    )
                    for pk in islice(rows, 20)
                }
                assert len(set(joined.values())) <= 1, (model.__name__, path)
                tried += 1
    assert tried >= 10
    # and no value a response holds equals one a code, mark or draft holds
    assert not BrowserMark.objects.filter(digest__in=[str(r.pk) for r in Response.objects.all()])


def test_respondents_are_never_in_the_audit_log(world: World) -> None:
    from openita.web.audit.models import AuditEntry

    campaign = _create(world, "EIT")
    before = AuditEntry.objects.count()
    _answer(campaign, Client())
    assert AuditEntry.objects.count() == before
    assert User.objects.count() == len(world.users)


def test_codes_for_a_list_of_names_keep_no_names(world: World) -> None:
    campaign = _create(world, "IIT", eligible=3)
    page = _officer(world).post(
        reverse("surveys:codes", args=[world.a.pk, campaign.pk]),
        {"names": "นางสาวหนึ่ง ใจดี\n\nนายสอง รักงาน\n", "fmt": "csv"},
    )
    rows = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert rows[0] == ["code", "url", "name"]
    assert [r[2] for r in rows[1:]] == ["นางสาวหนึ่ง ใจดี", "นายสอง รักงาน"]
    assert AccessCode.objects.filter(campaign=campaign).count() == 2
    from django.db import connection

    with connection.cursor() as cursor:  # the names are nowhere in the database
        for table in connection.introspection.table_names(cursor):
            if table.startswith("surveys_"):
                cursor.execute(f'SELECT * FROM "{table}"')
                assert "ใจดี" not in repr(cursor.fetchall()), table


def test_a_provincial_office_runs_a_round_for_its_province(world: World) -> None:
    client = Client()
    client.force_login(world.users["provincial"])
    today = timezone.localdate()
    later = today + timedelta(days=20)
    url = reverse("surveys:province", args=["ตัวอย่าง"])
    made = client.post(
        url,
        {
            "tool": "EIT",
            "fiscal_year": 2569,
            "opens": f"{today.day}/{today.month}/{today.year + 543}",
            "closes": f"{later.day}/{later.month}/{later.year + 543}",
        },
    )
    assert made.status_code == 302
    campaigns = Campaign.objects.filter(agency__province="ตัวอย่าง")
    assert {c.agency for c in campaigns} == {world.a, world.b}
    assert len({c.series for c in campaigns}) == 1 and len({c.slug for c in campaigns}) == 2
    page = client.get(url).content.decode()
    assert world.a.name in page and world.b.name in page
    # another province, or an agency officer: not theirs to run
    assert client.get(reverse("surveys:province", args=["จังหวัดอื่น"])).status_code == 404
    assert _officer(world).get(url).status_code == 404


def test_the_rate_limit_counts_each_client_behind_the_proxy(world: World, settings: Any) -> None:
    settings.OPENITA_SURVEY_RATE = 1
    settings.TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    campaign = _create(world, "EIT")
    url = reverse("surveys:start", args=[campaign.slug])

    def start(forwarded: str) -> int:
        return (
            Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
            .post(url, {})
            .status_code
        )

    # every request comes from the proxy; the limit is per client it forwards for
    assert [start("203.0.113.7"), start("198.51.100.9"), start("203.0.113.7")] == [302, 302, 429]
