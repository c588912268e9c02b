"""Exactly once with real worker processes, on each queue: N plan PDFs to make, three workers
in parallel, one of them SIGKILLed while it is in the middle of a unit; then every unit is
done, the killed one by another worker on a second attempt, and there are exactly N documents.

The units wait on a gate directory (``OPENITA_JOBS_GATE``: each claim leaves a file naming the
unit and the process) until the test has killed a worker, so the kill lands mid-unit. Leases
are 3 s here, so the reaper of a live worker queues the killed unit again within seconds.
The database queue runs on a SQLite file and on PostgreSQL (a database of its own, made and
dropped here); RQ on Redis db 2 with a queue name of its own. A missing PostgreSQL or Redis
skips its test, saying so."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = 6
WORKERS = 3
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/openita_jobs_test"
REDIS_URL = os.environ.get("OPENITA_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")

Query = Callable[[str], list[tuple[Any, ...]]]


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENITA_", "DJANGO_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        OPENITA_DATA_DIR=str(tmp_path),
        OPENITA_TASKS="db",
        OPENITA_JOB_LEASE="3",
        OPENITA_WORKER_VERBOSITY="0",
        OPENITA_WORKER_WARM="0",  # no PDF warm-up: start faster
        OPENITA_JOBS_GATE=str(tmp_path / "gate"),
        PYTHAINLP_OFFLINE="1",
    )
    env.update(extra)
    return env


def _sqlite(path: Path) -> Query:
    def query(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path, timeout=10) as db:
            return db.execute(sql).fetchall()

    return query


def _pg_url() -> str:
    if os.environ.get("OPENITA_TEST_JOBS_PG"):
        return os.environ["OPENITA_TEST_JOBS_PG"]
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        return given.rsplit("/", 1)[0] + "/" + given.rsplit("/", 1)[1].split("?")[0] + "_jobs"
    return PG_DEFAULT


@pytest.fixture
def pg_database() -> Iterator[tuple[str, Query]]:
    psycopg = pytest.importorskip("psycopg")
    url = _pg_url()
    server, name = url.rsplit("/", 1)
    try:
        admin = psycopg.connect(server + "/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as e:
        pytest.skip(f"PostgreSQL NOT TESTED: no server at {server} ({e})")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url) as db:
            return list(db.execute(sql).fetchall())

    yield url, query
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_queue() -> Iterator[str]:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as e:
        pytest.skip(f"RQ NOT TESTED: no Redis at {REDIS_URL} ({e})")
    queue = f"openita-test-{uuid.uuid4().hex[:8]}"
    yield queue
    for key in client.scan_iter(f"rq:*{queue}*"):
        client.delete(key)


def _wait(what: str, check: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _claims(gate: Path) -> list[tuple[str, int]]:
    """(unit key, process id) of every claim so far."""
    found = []
    for f in gate.glob("claimed-*"):
        _, key, pid, _token = f.name.split("-")
        found.append((key, int(pid)))
    return found


def exactly_once(tmp_path: Path, env: dict[str, str], query: Query) -> None:
    gate = tmp_path / "gate"
    gate.mkdir()
    setup = subprocess.run(
        [sys.executable, "-m", "tests.web.jobs_world", str(UNITS)],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "openita.cli.main", "worker"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        for _ in range(WORKERS)
    ]
    try:
        # Every worker holds a unit, waiting at the gate: kill one of them, then open it.
        _wait("each worker to claim a unit", lambda: len(_claims(gate)) == WORKERS, 60)
        victim_key, victim = _claims(gate)[0]
        os.kill(victim, signal.SIGKILL)
        killed = next(w for w in workers if w.pid == victim)
        killed.wait(10)
        (gate / "open").touch()

        def all_done() -> bool:
            rows = query("SELECT COUNT(*) FROM jobs_jobunit WHERE state = 'done' AND key <> ''")
            return rows[0][0] == UNITS

        _wait("every unit done", all_done, 60)
    finally:
        for w in workers:
            if w.poll() is None:
                w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(10)
            except subprocess.TimeoutExpired:
                w.kill()

    # N documents, one per agency, none twice.
    documents = query("SELECT agency_id, COUNT(*) FROM jobs_generateddocument GROUP BY agency_id")
    assert len(documents) == UNITS and all(n == 1 for _, n in documents), documents
    # Each unit done once; the killed one on a second attempt by another process.
    units = dict(query("SELECT key, attempts FROM jobs_jobunit WHERE key <> ''"))
    assert units[victim_key] == 2, units
    assert all(n == 1 for key, n in units.items() if key != victim_key), units
    claims = Counter(key for key, _ in _claims(gate))
    assert claims[victim_key] == 2 and set(claims.values()) <= {1, 2}, claims
    assert sum(claims.values()) == UNITS + 1
    second = [pid for key, pid in _claims(gate) if key == victim_key and pid != victim]
    assert len(second) == 1 and second[0] in {w.pid for w in workers}
    (reason,) = query(f"SELECT reason FROM jobs_jobunit WHERE key = '{victim_key}'")[0]
    assert f":{victim} stopped renewing its lease" in reason


def test_database_queue_on_sqlite_exactly_once(tmp_path: Path) -> None:
    database = tmp_path / "jobs.sqlite3"
    env = _env(tmp_path, f"sqlite:///{database}")
    exactly_once(tmp_path, env, _sqlite(database))


def test_database_queue_on_postgresql_exactly_once(
    tmp_path: Path, pg_database: tuple[str, Query]
) -> None:
    url, query = pg_database
    exactly_once(tmp_path, _env(tmp_path, url), query)
    # The killed worker's task row is not left RUNNING for ever.
    assert (
        query("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'")[
            0
        ][0]
        == 0
    )


def test_rq_exactly_once(tmp_path: Path, redis_queue: str) -> None:
    database = tmp_path / "jobs.sqlite3"
    env = _env(
        tmp_path,
        f"sqlite:///{database}",
        OPENITA_TASKS="rq",
        OPENITA_RQ_URL=REDIS_URL,
        OPENITA_JOBS_QUEUE=redis_queue,
    )
    exactly_once(tmp_path, env, _sqlite(database))
