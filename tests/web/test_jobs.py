"""The jobs app in one process: claims, leases, the reaper, retries, outputs keyed by what they
are, the jobs page and its permissions, the CLI. Real worker processes (and SIGKILL) are in
test_jobs_workers.py."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openita.cli import jobs as jobs_cli
from openita.cli.main import cli
from openita.web.jobs import kinds, services
from openita.web.jobs.models import EXPANSION, GeneratedDocument, JobRun, JobUnit, State
from openita.web.jobs.synthetic import agencies_with_plans
from openita.web.results.models import Assessment
from tests.web.conftest import World

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    settings.TASKS = IMMEDIATE
    return django_capture_on_commit_callbacks


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _unit(world: World | None = None, key: str = "k1", kind: str = "documents") -> JobUnit:
    run = JobRun.objects.create(kind=kind, agency=world.a if world else None)
    JobUnit.objects.create(run=run, key=EXPANSION, state=State.DONE)
    return JobUnit.objects.create(run=run, key=key)


def _fake_kind(monkeypatch: pytest.MonkeyPatch, prepare: Any) -> None:
    fake = kinds.Kind("documents", "fake", lambda a: a, lambda run: ["a", "b"], prepare)
    monkeypatch.setitem(kinds.KINDS, "documents", fake)


# --- documents: one per plan, a rerun overwrites -----------------------------------------------


def test_documents_job_makes_one_document_per_plan_and_a_rerun_overwrites(
    db: None, immediate: Any
) -> None:
    plans = agencies_with_plans(3)
    with immediate(execute=True):
        first = services.start("documents", {"format": "pdf", "chunk": 2})
    assert list(first.units.exclude(key=EXPANSION).values_list("key", flat=True)) == [
        f"{plans[0]},{plans[1]}",
        str(plans[2]),
    ]
    assert GeneratedDocument.objects.count() == len(plans)
    made = {d.agency_id: d for d in GeneratedDocument.objects.all()}
    assert all(d.data[:5] == b"%PDF-" and d.size == len(d.data) for d in made.values())
    assert len({d.content_hash for d in made.values()}) == 3  # each under its own name
    with immediate(execute=True):
        second = services.start("documents", {"format": "pdf"})
    assert GeneratedDocument.objects.count() == len(plans)  # same bytes: overwritten
    assert set(GeneratedDocument.objects.values_list("run", flat=True)) == {second.pk}
    progress = services.progress_of([first, second])
    assert [(p.done, p.total, p.state) for p in progress.values()] == [
        (2, 2, "done"),
        (1, 1, "done"),
    ]


def test_rescore_job_refreshes_the_stale_figures_of_the_year(
    db: None, immediate: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kinds, "RESCORE_CHUNK", 2)
    agencies_with_plans(3)
    year = Assessment.objects.filter(fiscal_year=2565)
    right = {a.pk: (a.total, a.figures_key) for a in year}
    assert all(total is not None for total, _ in right.values())
    stale = year.order_by("pk")[:2]  # as if computed under an earlier framework file
    Assessment.objects.filter(pk__in=[a.pk for a in stale]).update(
        total=None, figures={}, figures_key="ita-2565@old"
    )
    with immediate(execute=True):
        run = services.start("rescore", {"fiscal_year": "2565"})
    units = run.units.exclude(key=EXPANSION).order_by("pk")
    assert [u.state for u in units] == [State.DONE, State.DONE]  # 3 results, 2 a unit
    assert [u.result for u in units] == ["2 results, 2 refreshed", "1 results, 0 refreshed"]
    assert {a.pk: (a.total, a.figures_key) for a in year.all()} == right  # fresh rows
    assert run.arguments == {"fiscal_year": 2565}


@pytest.mark.parametrize(
    ("kind", "arguments", "message"),
    [
        ("nothing", {}, "no job kind 'nothing'"),
        ("rescore", {}, "fiscal_year: a fiscal year (B.E., e.g. 2567) is required"),
        ("rescore", {"fiscal_year": "x"}, "fiscal_year: 'x' is not a year"),
        ("rescore", {"fiscal_year": 2024}, "2024 is not a Buddhist-era fiscal year"),
        ("documents", {"format": "odt"}, "format: 'odt' is not one of pdf, docx"),
        ("documents", {"chunk": 11}, "chunk: 11 plans per unit; use 1 to 10"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_started(
    db: None, kind: str, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(services.JobError) as found:
        services.start(kind, arguments)
    assert message in str(found.value)
    assert not JobRun.objects.exists()


# --- claims, leases, the reaper -----------------------------------------------------------------


def test_one_claim_at_a_time_and_a_late_finish_commits_nothing(db: None) -> None:
    unit = _unit()
    first = services.claim(unit.pk, "w1")
    assert first is not None
    assert services.claim(unit.pk, "w2") is None  # the same message twice: one runs it
    JobUnit.objects.filter(pk=unit.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.reap() == 1
    unit.refresh_from_db()
    assert (unit.state, unit.attempts, unit.worker) == (State.QUEUED, 1, "")
    assert "attempt 1 lost: worker w1 stopped renewing its lease" in unit.reason
    assert unit.task_id and DBTaskResult.objects.filter(id=unit.task_id).exists()  # re-sent
    second = services.claim(unit.pk, "w2")
    assert second is not None and second.token != first.token
    with pytest.raises(services.LeaseLost), transaction.atomic():
        first.finish("late")
    assert not first.renew()
    with transaction.atomic():
        second.finish("ok")
    unit.refresh_from_db()
    assert (unit.state, unit.attempts, unit.result) == (State.DONE, 2, "ok")


def test_a_running_lease_is_not_reaped(db: None) -> None:
    unit = _unit()
    held = services.claim(unit.pk, "w1")
    assert held is not None and held.renew()
    assert services.reap() == 0
    assert JobUnit.objects.get(pk=unit.pk).state == State.RUNNING


def test_the_reaper_gives_up_after_the_last_attempt_and_retry_starts_again(db: None) -> None:
    unit = _unit()
    JobUnit.objects.filter(pk=unit.pk).update(
        state=State.RUNNING, attempts=services.MAX_ATTEMPTS, token="t", worker="w9",
        lease_until=timezone.now() - dt.timedelta(seconds=1),
    )  # fmt: skip
    assert services.reap() == 0
    unit.refresh_from_db()
    assert unit.state == State.FAILED and unit.reason.endswith("(gave up)")
    assert services.retry(unit.run) == 1
    unit.refresh_from_db()
    assert (unit.state, unit.attempts, unit.reason) == (State.QUEUED, 0, "retried by command line")
    with pytest.raises(services.JobError, match="no failed part"):
        services.retry(unit.run)


def test_a_message_that_was_never_sent_is_sent_by_the_reaper(db: None) -> None:
    unit = _unit()
    JobUnit.objects.filter(pk=unit.pk).update(
        queued_at=timezone.now() - services.LOST_MESSAGE_GRACE * 2
    )
    assert services.reap() == 1
    assert JobUnit.objects.get(pk=unit.pk).task_id
    assert services.reap() == 0


def test_a_message_spent_without_a_claim_is_sent_again(db: None) -> None:
    # E.g. the worker's claim met a locked database: the queue marked its task failed, the
    # unit is still queued. The reaper notices and sends it again, once.
    unit = _unit()
    services.enqueue([unit.pk])
    spent = JobUnit.objects.get(pk=unit.pk).task_id
    assert services.reap() == 0  # still waiting in the queue: nothing to do
    DBTaskResult.objects.filter(id=spent).update(status="FAILED")
    assert services.reap() == 1
    again = JobUnit.objects.get(pk=unit.pk)
    assert again.state == State.QUEUED and again.task_id not in ("", spent)
    assert DBTaskResult.objects.get(id=again.task_id).status == "READY"
    assert services.reap() == 0


def test_the_reaper_marks_the_dead_workers_queue_task_failed(db: None) -> None:
    unit = _unit()
    services.enqueue([unit.pk])
    task_id = JobUnit.objects.get(pk=unit.pk).task_id
    DBTaskResult.objects.filter(id=task_id).update(status="RUNNING")  # taken by a worker...
    assert services.claim(unit.pk, "w1") is not None
    JobUnit.objects.filter(pk=unit.pk).update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    services.reap()  # ... that died
    old = DBTaskResult.objects.get(id=task_id)
    assert old.status == "FAILED" and "stopped renewing its lease" in old.traceback


def test_an_attempt_that_lost_its_claim_writes_no_document(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world_agency = agencies_with_plans(1)
    unit = _unit(key=str(world_agency[0]))

    def prepare(run: JobRun, key: str) -> kinds.Writer:
        # Meanwhile this worker's lease ran out and another worker took the unit.
        JobUnit.objects.filter(pk=unit.pk).update(token="someone-else")
        return lambda: str(GeneratedDocument.objects.create(
            agency_id=1, kind="plan", fiscal_year=2566, format="pdf", content_hash="x",
            data=b"", size=0,
        ))  # fmt: skip

    _fake_kind(monkeypatch, prepare)
    assert services.run_unit(unit.pk) == "lease lost"
    assert not GeneratedDocument.objects.exists()
    assert JobUnit.objects.get(pk=unit.pk).token == "someone-else"


# --- failures, the page, the retry button, permissions ------------------------------------------


def _failed_run(world: World, monkeypatch: pytest.MonkeyPatch) -> JobRun:
    def prepare(run: JobRun, key: str) -> kinds.Writer:
        raise ValueError(f"no plan for {key}")

    _fake_kind(monkeypatch, prepare)
    unit = _unit(world, key="a")
    assert services.run_unit(unit.pk) == "failed"
    return unit.run


def test_failures_are_listed_with_their_reason_and_retried_from_the_page(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    run = _failed_run(world, monkeypatch)
    page = _client(world, "admin").get("/jobs/").content.decode()
    assert f"#{run.pk}" in page and "ValueError: no plan for a" in page
    assert f'action="/jobs/{run.pk}/retry/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = _client(world, "officer_a").post(f"/jobs/{run.pk}/retry/")
    assert answer.status_code == 302
    unit = run.units.get(key="a")
    assert (unit.state, unit.reason) == (State.QUEUED, "retried by officer_a")
    assert DBTaskResult.objects.filter(id=unit.task_id).exists()


@pytest.mark.parametrize("name", ["officer_b", "executive_a", "viewer_a", "provincial"])
def test_only_staff_and_the_agencys_officers_see_or_retry_its_jobs(
    world: World, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    run = _failed_run(world, monkeypatch)
    assert f"#{run.pk}" in _client(world, "officer_a").get("/jobs/").content.decode()
    client = _client(world, name)
    assert f"#{run.pk}" not in client.get("/jobs/").content.decode()
    assert client.post(f"/jobs/{run.pk}/retry/").status_code == 404
    assert run.units.get(key="a").state == State.FAILED


def test_anonymous_visitors_are_sent_to_log_in(db: None) -> None:
    assert Client().get("/jobs/")["Location"].startswith("/accounts/login/")


# --- the command line ---------------------------------------------------------------------------


def test_cli_lists_jobs_and_retries_their_failures(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    # Through the top command, as people call it (its options, e.g. -h, reach the group).
    monkeypatch.setattr(jobs_cli, "_django", lambda: None)  # the test database is set up
    run = _failed_run(world, monkeypatch)
    listed = CliRunner().invoke(cli, ["jobs", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    row = json.loads(listed.output.splitlines()[0])
    assert (row["id"], row["state"], row["done"], row["total"], row["failed"]) == (
        run.pk, "failed", 0, 1, 1,
    )  # fmt: skip
    assert row["failures"] == [{"key": "a", "attempts": 1, "reason": "ValueError: no plan for a"}]
    text = CliRunner().invoke(cli, ["jobs", "list"]).output
    assert f"#{run.pk}" in text and "failed a (attempts 1): ValueError: no plan for a" in text
    with django_capture_on_commit_callbacks(execute=True):
        retried = CliRunner().invoke(cli, ["jobs", "retry", str(run.pk)])
    assert retried.exit_code == 0 and "1 part(s) queued again" in retried.output
    assert run.units.get(key="a").state == State.QUEUED
    again = CliRunner().invoke(cli, ["jobs", "retry", str(run.pk)])
    assert again.exit_code == 2 and "has no failed part to retry" in again.output
    missing = CliRunner().invoke(cli, ["jobs", "retry", "999999"])
    assert missing.exit_code == 2 and "no job #999999" in missing.output


def test_the_cli_module_does_not_import_django_at_start() -> None:
    import subprocess
    import sys

    code = "import sys, openita.cli.jobs; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_queue_is_chosen_by_the_environment() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import openita.web.settings as s; print(s.TASKS['default']['BACKEND'], "
        "'django_rq' in s.INSTALLED_APPS, s.RQ_QUEUES['q7']['URL'])"
    )
    env = {**os.environ, "OPENITA_TASKS": "rq", "OPENITA_REDIS_URL": "redis://cache:1/0",
           "OPENITA_RQ_URL": "redis://h:1/3", "OPENITA_JOBS_QUEUE": "q7"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["django_tasks_rq.RQBackend", "True", "redis://h:1/3"]
    env["OPENITA_TASKS"] = "celery"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "OPENITA_TASKS=celery: use db, rq or immediate" in bad.stderr
