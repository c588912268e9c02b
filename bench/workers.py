"""Benchmark: every agency's plan PDF made by 1, 2 and 4 workers, on the database queue and RQ.

The bench makes ``--agencies`` agencies with a plan each (bulk inserts, in a template database
made once), then for each queue and each number of workers: a fresh copy of that database,
the workers started (``openita worker``) and ready, then the job "regenerate every agency's
documents" started (``openita jobs start documents``), and the time from the first unit
claimed to the last unit finished, read from the units' own timestamps (so the workers'
start-up is not counted). Then the exactly-once check (one document per agency, none twice,
one attempt per unit) and each worker's peak resident memory (``VmHWM`` of /proc/PID/status,
i.e. what ``resource.getrusage`` reports as ru_maxrss for the process itself).

In the same run, the baseline: one process making the same PDFs in a plain loop with no queue
(``--bare``); the ratio queue/baseline is what the queue and the exactly-once bookkeeping cost,
and the ratio N workers / 1 worker is the scaling (bounded by the machine's cores).

    .venv/bin/python bench/workers.py                       # 300 agencies, db and rq, 1 2 4
    .venv/bin/python bench/workers.py --agencies 100 --workers 1 2 --backends db
    .venv/bin/python bench/workers.py --database-url postgres://postgres@127.0.0.1:5432/bench

Database: SQLite files under a temporary directory, or PostgreSQL (``--database-url``: the
bench creates ``<name>_tmpl`` and one database per run from it, and drops them). RQ uses
``--redis-url`` (default redis://127.0.0.1:6379/2) with a queue name of its own, whose keys
it deletes afterwards. Results: printed and written to ``bench/results/workers-<time>.txt``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
Query = Callable[[str], list[tuple[Any, ...]]]


# --- the parts that run with Django, in subprocesses -----------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()


def make_template(count: int) -> None:
    _django()
    from django.core.management import call_command

    from openita.web.jobs.synthetic import agencies_with_plans

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    agencies_with_plans(count)
    print(f"{count} agencies with a plan each in {time.perf_counter() - started:.1f} s")


def bare() -> None:
    """The baseline: the same PDFs in one process, a plain loop, no queue, nothing stored."""
    _django()
    from openita.documents import pdf
    from openita.web.plans import selectors
    from openita.web.plans.models import MeasuresPlan

    plans = list(MeasuresPlan.objects.all())
    pdf.render_pdf(selectors.plan_document(selectors.current_version(plans[0])))  # warm
    started = time.perf_counter()
    for plan in plans:
        pdf.render_pdf(selectors.plan_document(selectors.current_version(plan)))
    took = time.perf_counter() - started
    print(f"BARE {len(plans)} {took:.3f} {_peak_kib(os.getpid())}")


# --- the orchestration (no Django here) -------------------------------------------------------


def _peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Database:
    url: str
    query: Query
    drop: Callable[[], None]


class Databases:
    """The template database and fresh copies of it, SQLite or PostgreSQL."""

    def __init__(self, given: str | None, workdir: Path) -> None:
        self.given = given
        self.workdir = workdir
        self.template = (
            f"sqlite:///{workdir / 'template.sqlite3'}"
            if not given
            else given.rsplit("/", 1)[0] + "/" + given.rsplit("/", 1)[1] + "_tmpl"
        )
        if given:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self._name(self.template)}" WITH (FORCE)')
            self._pg_admin(f'CREATE DATABASE "{self._name(self.template)}"')

    @staticmethod
    def _name(url: str) -> str:
        return url.rsplit("/", 1)[1].split("?")[0]

    def _pg_admin(self, sql: str) -> None:
        import psycopg

        server = (self.given or "").rsplit("/", 1)[0]
        with psycopg.connect(server + "/postgres", autocommit=True) as db:
            db.execute(sql)

    def copy(self, label: str) -> Database:
        if not self.given:
            path = self.workdir / f"{label}.sqlite3"
            shutil.copyfile(self.workdir / "template.sqlite3", path)

            def query(sql: str) -> list[tuple[Any, ...]]:
                with sqlite3.connect(path, timeout=30) as db:
                    return db.execute(sql).fetchall()

            return Database(f"sqlite:///{path}", query, lambda: path.unlink(missing_ok=True))
        import psycopg

        name = f"{self._name(self.given)}_{label}"
        url = self.given.rsplit("/", 1)[0] + "/" + name
        self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._name(self.template)}"')

        def pg_query(sql: str) -> list[tuple[Any, ...]]:
            with psycopg.connect(url) as db:
                return list(db.execute(sql).fetchall())

        return Database(
            url, pg_query, lambda: self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        )

    def close(self) -> None:
        if self.given:
            self._pg_admin(f'DROP DATABASE IF EXISTS "{self._name(self.template)}" WITH (FORCE)')


def _env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENITA_", "DJANGO_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        OPENITA_DATA_DIR=str(workdir),
        OPENITA_WORKER_VERBOSITY="0",
        PYTHAINLP_OFFLINE="1",
        **extra,
    )
    return env


def _python(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


@dataclass
class Figures:
    backend: str
    workers: int
    documents: int
    seconds: float
    exactly_once: bool
    check: str
    peak_kib: int

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def one_run(
    backend: str,
    workers: int,
    count: int,
    databases: Databases,
    workdir: Path,
    redis_url: str,
    chunk: int,
) -> Figures:
    label = f"{backend}{workers}_{uuid.uuid4().hex[:6]}"
    database = databases.copy(label)
    extra = {"OPENITA_TASKS": backend}
    if backend == "rq":
        extra |= {"OPENITA_RQ_URL": redis_url, "OPENITA_JOBS_QUEUE": f"bench-{label}"}
    env = _env(database.url, workdir, **extra)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "openita.cli.main", "worker"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(workers)
    ]
    peaks: dict[int, int] = {}
    try:
        for p in procs:  # each prints one line when it is ready to take work
            assert p.stdout is not None
            line = p.stdout.readline()
            if "ready" not in line:
                raise SystemExit(f"bench: a worker did not start ({line!r})")
        start = ["-m", "openita.cli.main", "jobs", "start", "documents", "--chunk", str(chunk)]
        _python(start, env)
        deadline = time.monotonic() + 3600
        while True:
            (done, total) = database.query(
                "SELECT COUNT(CASE WHEN state IN ('done', 'failed') THEN 1 END), COUNT(*) "
                "FROM jobs_jobunit WHERE key <> ''"
            )[0]
            (expanded,) = database.query(
                "SELECT COUNT(*) FROM jobs_jobunit WHERE key = '' AND state = 'done'"
            )[0]
            if expanded and done == total:
                break
            if time.monotonic() > deadline:
                raise SystemExit("bench: the job did not finish within an hour")
            for p in procs:
                peaks[p.pid] = max(peaks.get(p.pid, 0), _peak_kib(p.pid))
            time.sleep(0.2)
        for p in procs:
            peaks[p.pid] = max(peaks.get(p.pid, 0), _peak_kib(p.pid))
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
    first, last = database.query(
        "SELECT MIN(started_at), MAX(finished_at) FROM jobs_jobunit WHERE key <> ''"
    )[0]
    seconds = (_when(last) - _when(first)).total_seconds()
    documents, agencies, twice = database.query(
        "SELECT COUNT(*), COUNT(DISTINCT agency_id), "
        "(SELECT COUNT(*) FROM (SELECT agency_id FROM jobs_generateddocument "
        " GROUP BY agency_id HAVING COUNT(*) > 1) AS t) FROM jobs_generateddocument"
    )[0]
    (attempts, units) = database.query(
        "SELECT SUM(attempts), COUNT(*) FROM jobs_jobunit WHERE key <> ''"
    )[0]
    (failed,) = database.query("SELECT COUNT(*) FROM jobs_jobunit WHERE state = 'failed'")[0]
    ok = documents == agencies == count and twice == 0 and attempts == units and failed == 0
    check = (
        f"{documents} documents, {agencies} agencies, {twice} twice, "
        f"{attempts} attempts of {units} units"
    )
    database.drop()
    if backend == "rq":
        _drop_queue(redis_url, f"bench-{label}")
    return Figures(backend, workers, count, seconds, ok, check, max(peaks.values(), default=0))


def _when(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _drop_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"rq:*{queue}*"):
        client.delete(key)


def _redis_ok(redis_url: str) -> str | None:
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as e:  # any reason Redis cannot be used is reported
        return str(e)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--backends", nargs="+", default=["db", "rq"], choices=["db", "rq"])
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--chunk", type=int, default=10, help="plans per unit (1-10)")
    parser.add_argument("--make-template", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_template:
        return make_template(args.make_template)
    if args.bare:
        return bare()

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    workdir = Path(tempfile.mkdtemp(prefix="openita-bench-workers-"))
    databases = Databases(args.database_url, workdir)
    try:
        _python(["bench/workers.py", "--make-template", str(args.agencies)],
                _env(databases.template, workdir))  # fmt: skip
        say(
            f"# Workers: every agency's plan PDF ({args.agencies} agencies, "
            f"{args.chunk} plans per unit)"
        )
        say(
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
            f"database {'PostgreSQL' if args.database_url else 'SQLite'}, "
            f"PDF engine {os.environ.get('OPENITA_PDF_ENGINE', 'native')}"
        )

        def baseline() -> tuple[float, int]:
            out = _python(["bench/workers.py", "--bare"], _env(databases.template, workdir))
            n, took, peak = out.split("BARE ")[1].split()
            return int(n) / float(took), int(peak)

        # The machine is shared: the baseline is measured before and after the queue runs,
        # and the ratios use the mean of the two.
        before, peak = baseline()
        rows: list[tuple[str, Figures | str]] = []
        for backend in args.backends:
            if backend == "rq" and (why := _redis_ok(args.redis_url)):
                rows.append((backend, f"NOT MEASURED: no Redis at {args.redis_url} ({why})"))
                continue
            for workers in args.workers:
                f = one_run(
                    backend, workers, args.agencies, databases, workdir, args.redis_url, args.chunk
                )
                print(f"  {backend} x{workers}: {f.per_second:.1f} documents/s", flush=True)
                rows.append((backend, f))
        after, _ = baseline()
        base = (before + after) / 2
        say(
            f"baseline: one process, plain loop, no queue: {before:.1f} documents/s before the "
            f"queue runs, {after:.1f} after (mean {base:.1f}); its peak RSS {peak / 1024:.0f} MiB"
        )
        say()
        say("| queue | workers | documents/s | vs 1 worker | vs baseline | exactly once | "
            "peak RSS of a worker |")  # fmt: skip
        say("|---|---|---|---|---|---|---|")
        ones: dict[str, float] = {}
        for backend, f in rows:
            if isinstance(f, str):
                say(f"| {backend} | - | {f} | | | | |")
                continue
            one = ones.setdefault(backend, f.per_second)
            say(
                f"| {backend} | {f.workers} | {f.per_second:.1f} | "
                f"{f.per_second / one:.2f}x | {f.per_second / base:.2f}x | "
                f"{'yes' if f.exactly_once else 'NO'} ({f.check}) | "
                f"{f.peak_kib / 1024:.0f} MiB |"
            )
        say()
        say(f"load average at the end: {os.getloadavg()[0]:.1f}")
        say(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    finally:
        databases.close()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out_path = RESULTS / f"workers-{dt.datetime.now(dt.UTC):%Y-%m-%dT%H%M%S}.txt"
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
