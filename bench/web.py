"""Benchmark: how fast the main web pages answer, on the demo data, behind gunicorn.

Run it through ``bash bench/web.sh`` (set-up, SQLite, then PostgreSQL when it is up). For each
database it makes a fresh data directory (and, for PostgreSQL, a separate database, by default
``openita_bench``, created when missing and dropped afterwards), migrates, collects static files
and loads the demo data (``openita.web.cli.prepare_demo``), starts gunicorn on 127.0.0.1 only,
logs in with real sessions (CSRF token from the login form) and times GET requests to the main
pages: first sequentially, then with several concurrent clients (threads). The baseline is the
cheapest thing the app serves, a static file through WhiteNoise, measured in the same run,
interleaved with the pages (round robin), so the noise of the machine falls on all of them.

It prints p50/p95/p99/max per page, the ratio p95 / baseline p95 and PASS/FAIL against the
target (p95 under 100 ms), then, in-process (Django's test client, same database), the number
of SQL queries per page, their time and a cProfile of the slowest page, and writes
``bench/results/web-<date>T<time>.json`` and ``bench/results/web-latest.md``.

With ``--national N`` the synthetic country of N agencies (``openita demo --national``) is loaded
beside the demo data, and the pages that list agencies (home as a provincial office of a
synthetic province and as a superuser: first page, page 40, filtered, searched) and a synthetic
agency's pages are timed too, with the demo agency's pages: those must not slow down because
the country is large. Results then go to ``web-national<N>-<date>T<time>.json`` and
``web-national<N>-latest.md``.

``--cluster`` (PostgreSQL and Redis needed) times the same pages through the reverse proxy of
``scripts/cluster.sh`` (nginx, round robin) with 1 app server and then with 2, in the same run
(``--workers`` gunicorn workers each, the same demo data), and writes
``bench/results/cluster-<date>T<time>.json`` and ``bench/results/cluster-latest.md``.

Every timed response must have the expected status; warm-up responses must also contain an
expected text (the agency's name...), so a broken page is never timed as a fast one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
HOST = "127.0.0.1"
TARGET_MS = 100.0
OFFICER = ("officer", "demo-officer-2568")
PROVINCIAL = ("provincial", "demo-provincial-2568")
EXECUTIVE = ("executive", "demo-executive-2568")
LOGINS = (OFFICER, PROVINCIAL, EXECUTIVE)
# With --national N (the synthetic country loaded beside the demo): a provincial office of a
# synthetic province and a superuser who sees every agency.
NATIONAL_PROVINCIAL = ("provincial-national", "demo-provincial-national-2568")
SUPERUSER = ("admin", "demo-admin-2568")
BASELINE = "baseline: static site.css"
READY_SECONDS = 60.0
REQUEST_TIMEOUT = 30.0


# --- pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    login: str  # "" (anonymous), "officer", "provincial" or "executive"
    expect: str  # a text the page must contain (checked on warm-up responses)


def logins_for(info: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return LOGINS + ((NATIONAL_PROVINCIAL, SUPERUSER) if info.get("national") else ())


def pages_for(info: dict[str, Any]) -> list[Page]:
    agency = info["officer_agency_id"]
    year = info["year"]
    plan = info["plan_id"]
    return [*_demo_pages(info, agency, year, plan), *_national_pages(info)]


def _national_pages(info: dict[str, Any]) -> list[Page]:
    """With the synthetic country: the lists that grow with it, and a synthetic agency's
    pages (the same pages as the demo agency's: they must not slow down with the country)."""
    if not info.get("national"):
        return []
    n = info["national"]
    other = info["synthetic_agency_id"]
    year = info["synthetic_year"]
    province = urllib.parse.quote(info["national_province"])
    superuser = SUPERUSER[0]
    middle = max(1, -(-(n + 5) // 50) // 2)  # a page in the middle of the superuser's list
    return [
        Page(
            f"home (provincial, {info['national_province_agencies']} synthetic agencies)",
            "/",
            NATIONAL_PROVINCIAL[0],
            "หน่วยงาน",
        ),
        Page(f"home (superuser, {n + 5} agencies)", "/", superuser, "หน้า 1 จาก"),
        Page(f"home page {middle} (superuser)", f"/?page={middle}", superuser, f"หน้า {middle} จาก"),
        Page(
            "home filtered (superuser: province, rating A, has a plan)",
            f"/?province={province}&rating=A&plan=yes",
            superuser,
            "หน่วยงาน",
        ),
        Page(
            "home search (superuser: q=หนอง)",
            "/?q=%E0%B8%AB%E0%B8%99%E0%B8%AD%E0%B8%87",
            superuser,
            "หน่วยงาน",
        ),
        Page("synthetic agency (superuser)", f"/agencies/{other}/", superuser, str(year)),
        Page(
            "synthetic result page (superuser)",
            f"/agencies/{other}/results/{year}/",
            superuser,
            str(year),
        ),
    ]


def _demo_pages(info: dict[str, Any], agency: int, year: int, plan: int) -> list[Page]:
    return [
        Page(BASELINE, "/static/openita/site.css", "", "{"),
        Page("login (anonymous)", "/accounts/login/", "", "csrfmiddlewaretoken"),
        Page("home (officer, 1 agency)", "/", "officer", info["officer_agency_name"]),
        Page(
            f"home (provincial, {info['provincial_agencies']} agencies)",
            "/",
            "provincial",
            info["last_agency_name"],
        ),
        Page("agency", f"/agencies/{agency}/", "officer", info["officer_agency_name"]),
        Page("result page", f"/agencies/{agency}/results/{year}/", "officer", str(year)),
        Page("upload form", f"/agencies/{agency}/results/upload/", "officer", 'type="file"'),
        Page("plan page", f"/agencies/{agency}/plans/{plan}/", "officer", "publishing"),
        Page("progress round", f"/agencies/{agency}/plans/{plan}/progress/6/", "officer", "<form"),
        Page("audit log (executive)", f"/agencies/{agency}/audit/", "executive", "audit"),
        Page("public page (anonymous)", f"/p/{agency}/", "", "SHA-256"),
    ]


# --- the server's side: prepare and profile run in a subprocess with the server's environment --


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()


def prepare(national: int = 0) -> dict[str, Any]:
    """Migrate, collect static, load the demo data (in this process) and, with ``national``,
    the synthetic country of that many agencies; describe what to ask."""
    from openita.web.cli import prepare_demo

    prepare_demo(lambda _line: None)
    loaded_seconds = 0.0
    if national:
        from openita.web.synthetic.load import load_national

        begin = time.perf_counter()
        load_national(agencies=national)
        loaded_seconds = time.perf_counter() - begin
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from openita.web.agencies.selectors import agencies_for
    from openita.web.plans.models import MeasuresPlan
    from openita.web.results.models import Assessment

    users = get_user_model()
    officer = users.objects.get(username=OFFICER[0])
    provincial = users.objects.get(username=PROVINCIAL[0])
    mine = agencies_for(officer)[0]
    theirs = agencies_for(provincial)
    year = Assessment.objects.filter(agency=mine).order_by("-fiscal_year").first()
    assert year is not None
    plan = MeasuresPlan.objects.filter(agency=mine).order_by("-fiscal_year").first()
    assert plan is not None
    with connection.cursor() as cursor:
        sqlite = connection.vendor == "sqlite"
        cursor.execute("SELECT sqlite_version()" if sqlite else "SHOW server_version")
        db_version = str(cursor.fetchone()[0])
    extra: dict[str, Any] = {}
    if national:
        from openita.web.agencies.models import Agency, ProvincialViewer

        province = ProvincialViewer.objects.get(user__username=NATIONAL_PROVINCIAL[0]).province
        synthetic = Agency.objects.filter(code__startswith="SYN-").order_by("code").first()
        assert synthetic is not None
        last = Assessment.objects.filter(agency=synthetic).order_by("-fiscal_year").first()
        assert last is not None
        extra = {
            "national": national,
            "national_seconds": round(loaded_seconds, 1),
            "national_province": province,
            "national_province_agencies": Agency.objects.filter(province=province).count(),
            "synthetic_agency_id": synthetic.pk,
            "synthetic_year": last.fiscal_year,
        }
    return {
        **extra,
        "officer_agency_id": mine.pk,
        "officer_agency_name": mine.name,
        "provincial_agencies": len(theirs),
        "last_agency_name": theirs[-1].name,
        "year": year.fiscal_year,
        "plan_id": plan.pk,
        "vendor": connection.vendor,
        "db_version": db_version,
        "static_root": str(settings.STATIC_ROOT),
    }


def profile(info: dict[str, Any], repeat: int) -> dict[str, Any]:
    """Each Django page in-process: median time, SQL queries and their time; cProfile of the
    slowest one."""
    import cProfile
    import io
    import pstats
    import statistics

    import django
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    users = get_user_model()
    clients: dict[str, Client] = {"": Client(SERVER_NAME=HOST)}
    for username, _password in logins_for(info):
        client = Client(SERVER_NAME=HOST)
        client.force_login(users.objects.get(username=username))
        clients[username] = client
    out: dict[str, Any] = {"pages": {}}
    slowest = ("", 0.0)
    for page in pages_for(info):
        if page.path.startswith("/static/"):
            continue
        client = clients[page.login]
        for _ in range(3):
            assert client.get(page.path).status_code == 200, page.path
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(page.path)
            times.append((time.perf_counter() - start) * 1000)
        sql_times: list[float] = []

        def timed(
            execute: Any,
            sql: str,
            params: Any,
            many: bool,
            context: Any,
            sink: list[float] = sql_times,
        ) -> Any:
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                sink.append(time.perf_counter() - begin)

        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
            response = client.get(page.path)
        sql_ms = sum(sql_times) * 1000
        median = statistics.median(times)
        out["pages"][page.name] = {
            "median_ms": round(median, 2),
            "min_ms": round(min(times), 2),
            "queries": len(captured.captured_queries),
            "sql_ms": round(sql_ms, 2),
            "bytes": len(response.content),
            "sql": [q["sql"][:300] for q in captured.captured_queries],
        }
        if median > slowest[1]:
            slowest = (page.name, median)
    for page in pages_for(info):
        if page.path.startswith("/static/"):
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            clients[page.login].get(page.path)
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(35)
        site = str(Path(django.__file__).parent.parent) + "/"
        out.setdefault("cprofile", {})[page.name] = "\n".join(
            line.replace(site, "").replace(str(ROOT) + "/", "")
            for line in text.getvalue().splitlines()
            if line.strip()
        )
    out["slowest"] = slowest[0]
    # What a new database connection costs (CONN_MAX_AGE=0, the default: one per request).
    connects = []
    for _ in range(20):
        connection.close()
        begin = time.perf_counter()
        connection.ensure_connection()
        connects.append((time.perf_counter() - begin) * 1000)
    out["connect_ms"] = round(statistics.median(connects), 2)
    return out


# --- the client's side -----------------------------------------------------------------------


class Failure(RuntimeError):
    pass


@dataclass
class Session:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, data, dict(response.headers.items())
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        status, body, _ = self.request("GET", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not found or "csrftoken" not in self.cookies:
            raise Failure(f"login page: status {status}, no CSRF token")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": html.unescape(found.group(1).decode()),
                "username": username,
                "password": password,
            }
        )
        status, _, headers = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise Failure(f"login as {username}: status {status}, {headers.get('Location')}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[None]:
    binary = Path(sys.executable).parent / "gunicorn"
    command = [
        str(binary),
        "openita.web.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if proc.poll() is not None:
                raise Failure(f"gunicorn exited ({proc.returncode}): {log.read_text()[-2000:]}")
            try:
                if Session(port).request("GET", "/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise Failure(f"gunicorn not ready after {READY_SECONDS:.0f}s")
            time.sleep(0.2)
        yield
    finally:
        if proc.poll() is None:
            proc.terminate()  # the master stops its workers
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own group, started above
                proc.wait(timeout=5)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Samples:
    times: dict[str, list[float]]
    errors: dict[str, int]
    seconds: float
    stopped_early: bool


def run_pass(
    pages: list[Page],
    sessions: dict[str, Session],
    rounds: int,
    clients: int,
    max_seconds: float,
) -> Samples:
    """``rounds`` requests per page in all, round robin over the pages, by ``clients`` threads."""
    times: dict[str, list[float]] = {p.name: [] for p in pages}
    errors: dict[str, int] = {p.name: 0 for p in pages}
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    stopped = threading.Event()
    share = [rounds // clients + (1 if i < rounds % clients else 0) for i in range(clients)]

    def client(n: int) -> None:
        for _ in range(share[n]):
            for page in pages:
                if time.monotonic() > deadline:
                    stopped.set()
                    return
                session = sessions[page.login]
                start = time.perf_counter()
                try:
                    status = session.request("GET", page.path)[0]
                except OSError:
                    status = 0
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    times[page.name].append(elapsed)
                    if status != 200:
                        errors[page.name] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max_seconds + 2 * REQUEST_TIMEOUT)
    return Samples(times, errors, time.monotonic() - start, stopped.is_set())


def summarise(pages: list[Page], samples: Samples) -> list[dict[str, Any]]:
    base = percentile(samples.times[BASELINE], 95)
    rows = []
    for page in pages:
        t = samples.times[page.name]
        p95 = percentile(t, 95)
        rows.append(
            {
                "page": page.name,
                "path": page.path,
                "n": len(t),
                "errors": samples.errors[page.name],
                "p50_ms": round(percentile(t, 50), 2),
                "p95_ms": round(p95, 2),
                "p99_ms": round(percentile(t, 99), 2),
                "max_ms": round(max(t), 2) if t else float("nan"),
                "ratio_p95": round(p95 / base, 2) if base > 0 else None,
                "pass": bool(
                    page.name != BASELINE and p95 < TARGET_MS and not samples.errors[page.name]
                ),
            }
        )
    return rows


def warm_up(pages: list[Page], sessions: dict[str, Session], count: int) -> None:
    for page in pages:
        for n in range(count):
            status, body, _ = sessions[page.login].request("GET", page.path)
            if status != 200 or page.expect.encode() not in body:
                raise Failure(f"{page.name} {page.path}: status {status}, or no {page.expect!r}")
            if (
                n == 0
                and page.login
                and b'name="password"' in body
                and page.path != "/accounts/login/"
            ):
                raise Failure(f"{page.name}: got the login form, not the page")


# --- one database ----------------------------------------------------------------------------


def helper(mode: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, mode, *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        raise Failure(f"{mode} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def pg_command(
    tool: str, url: urllib.parse.SplitResult, *args: str
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = urllib.parse.unquote(url.password)
    command = [tool, "-h", url.hostname or HOST, "-p", str(url.port or 5432)]
    if url.username:
        command += ["-U", urllib.parse.unquote(url.username)]
    return subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@contextmanager
def bench_database(database_url: str | None, name: str) -> Iterator[tuple[str | None, str]]:
    """SQLite: nothing to do. PostgreSQL: a separate database ``name`` on the same server,
    created when missing and then dropped; one that was there already is reused and kept."""
    if not database_url:
        yield None, "SQLite (fresh file in a temporary OPENITA_DATA_DIR)"
        return
    url = urllib.parse.urlsplit(database_url)
    if url.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise Failure(f"only a database on this machine, not {url.hostname}")
    if url.path.lstrip("/") == name:
        raise Failure(f"the bench database {name!r} must differ from the one in the URL")
    found = pg_command(
        "psql", url, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
    )
    if found.returncode != 0:
        raise Failure(f"psql: {found.stderr.strip()}")
    created = found.stdout.strip() != "1"
    if created:
        made = pg_command("createdb", url, name)
        if made.returncode != 0:
            raise Failure(f"createdb {name}: {made.stderr.strip()}")
    else:
        print(f"bench: database {name} exists already: reusing it, and keeping it afterwards")
    try:
        yield (
            urllib.parse.urlunsplit(url._replace(path=f"/{name}")),
            (f"PostgreSQL (database {name}, {'created for this run' if created else 'reused'})"),
        )
    finally:
        if created:
            dropped = pg_command("dropdb", url, name)
            if dropped.returncode != 0:
                print(f"bench: dropdb {name} failed: {dropped.stderr.strip()}", file=sys.stderr)


def measure(args: argparse.Namespace, database_url: str | None) -> dict[str, Any]:
    with (
        bench_database(database_url, args.pg_database) as (url, label),
        tempfile.TemporaryDirectory(prefix="openita-bench-web-") as tmp,
    ):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OPENITA_DATA_DIR"}}
        env.update(
            DJANGO_SETTINGS_MODULE="openita.web.settings",
            OPENITA_DATA_DIR=str(Path(tmp) / "data"),
            OPENITA_DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(48),
            ALLOWED_HOSTS=HOST,
            PYTHAINLP_OFFLINE="1",
        )
        if url:
            env["DATABASE_URL"] = url
        if args.conn_max_age is not None:
            env["CONN_MAX_AGE"] = str(args.conn_max_age)
        print(f"\n== {label}")
        start = time.monotonic()
        info = helper("--_prepare", env, str(args.national))
        print(f"bench: demo data ready in {time.monotonic() - start:.1f}s ({info['vendor']})")
        if args.national:
            print(
                f"bench: synthetic country of {args.national} agencies loaded in "
                f"{info['national_seconds']:.1f}s"
            )
        pages = pages_for(info)
        port = free_port()
        with gunicorn(env, port, args.workers, Path(tmp) / "gunicorn.log"):
            sessions = {"": Session(port)}
            for username, password in logins_for(info):
                session = Session(port)
                session.login(username, password)
                sessions[username] = session
            warm_up(pages, sessions, args.warmup)
            passes: dict[str, Any] = {}
            for label_, clients in (
                ("sequential", 1),
                (f"{args.clients} concurrent", args.clients),
            ):
                samples = run_pass(pages, sessions, args.requests, clients, args.max_seconds)
                passes[label_] = {
                    "clients": clients,
                    "seconds": round(samples.seconds, 2),
                    "stopped_early": samples.stopped_early,
                    "rows": summarise(pages, samples),
                    "samples_ms": {k: [round(x, 3) for x in v] for k, v in samples.times.items()},
                }
                print_pass(label_, passes[label_])
        print("bench: where the time goes (in-process, Django test client)...")
        where = helper("--_profile", env, json.dumps(info), str(args.profile_repeat))
        print_where(where)
        return {
            "database": label,
            "db_version": info["db_version"],
            "info": info,
            "passes": passes,
            "where": where,
        }


# --- several app servers behind the proxy ------------------------------------------------------


@contextmanager
def cluster(
    env: dict[str, str], run_dir: Path, port: int, servers: int, workers: int
) -> Iterator[None]:
    """``scripts/cluster.sh`` with ``servers`` app servers (no background worker), stopped after."""
    script = ROOT / "scripts" / "cluster.sh"
    args = ["--servers", str(servers), "--workers", str(workers), "--port", str(port)]
    started = subprocess.run(
        ["bash", str(script), "start", *args, "--dir", str(run_dir), "--no-worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        if started.returncode != 0:
            raise Failure(f"cluster.sh start: {started.stdout[-2000:]}{started.stderr[-2000:]}")
        yield
    finally:
        subprocess.run(
            ["bash", str(script), "stop", "--dir", str(run_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )


def free_ports(first: int, count: int) -> int:
    """The first port from ``first`` on where ``count`` consecutive ports are free."""
    for base in range(first, 65535 - count):
        free = True
        for port in range(base, base + count):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                try:
                    s.bind((HOST, port))
                except OSError:
                    free = False
                    break
        if free:
            return base
    raise Failure(f"no {count} free consecutive ports from {first}")


def measure_cluster(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    """The same pages through nginx in front of 1, then 2 app servers (same data, same run)."""
    with (
        bench_database(database_url, args.pg_database) as (url, label),
        tempfile.TemporaryDirectory(prefix="openita-bench-cluster-") as tmp,
    ):
        assert url is not None
        run_dir = Path(tmp)
        run_dir.chmod(0o755)  # nginx's workers (www-data when root) read the static files
        prefix = f"openita-bench-{secrets.token_hex(4)}"
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
        env = {k: v for k, v in os.environ.items() if k in keep}
        env.update(
            PYTHONPATH=str(ROOT),
            OPENITA_PYTHON=sys.executable,
            DATABASE_URL=url,
            OPENITA_REDIS_URL=args.redis_url,
            OPENITA_CACHE_PREFIX=prefix,
            OPENITA_DATA_DIR=str(run_dir / "data"),
            SECRET_KEY=secrets.token_urlsafe(48),
            DJANGO_SETTINGS_MODULE="openita.web.settings_production",
            SECURE_SSL_REDIRECT="0",
            ALLOWED_HOSTS=f"{HOST},localhost",
            PYTHAINLP_OFFLINE="1",
        )
        if args.conn_max_age is not None:
            env["CONN_MAX_AGE"] = str(args.conn_max_age)
        print(f"\n== {label}, Redis {args.redis_url}, through nginx (scripts/cluster.sh)")
        start = time.monotonic()
        info = helper("--_prepare", env)
        print(f"bench: demo data ready in {time.monotonic() - start:.1f}s ({info['vendor']})")
        pages = pages_for(info)
        port = free_ports(args.cluster_port, 3)
        passes: dict[str, Any] = {}
        try:
            # 1 server, 2 servers, and 1 server with as many workers as the 2 together: on one
            # machine the last separates the cost of the proxy and shared state from the
            # effect of simply running more processes.
            w = args.workers
            layouts = [(1, w), (2, w)] + ([(1, 2 * w)] if args.cluster_control else [])
            for servers, workers in layouts:
                with cluster(env, run_dir, port, servers, workers):
                    sessions = {"": Session(port)}
                    for username, password in LOGINS:
                        session = Session(port)
                        session.login(username, password)
                        sessions[username] = session
                    warm_up(pages, sessions, args.warmup)
                    name = layout_name(servers, workers)
                    load_before = os.getloadavg()[0]
                    samples = run_pass(
                        pages, sessions, args.requests, args.clients, args.max_seconds
                    )
                    passes[name] = {
                        "servers": servers,
                        "workers_per_server": workers,
                        "clients": args.clients,
                        "seconds": round(samples.seconds, 2),
                        "stopped_early": samples.stopped_early,
                        "loadavg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                        "rows": summarise(pages, samples),
                        "samples_ms": {
                            k: [round(x, 3) for x in v] for k, v in samples.times.items()
                        },
                    }
                    print_pass(f"{name}, {args.clients} clients, through nginx", passes[name])
        finally:
            _forget_keys(args.redis_url, prefix)
        return {"database": label, "db_version": info["db_version"], "info": info, "passes": passes}


def _forget_keys(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def layout_name(servers: int, workers: int) -> str:
    return f"{servers} app server{'s' if servers > 1 else ''} × {workers} workers"


def compare_table(run: dict[str, Any]) -> list[str]:
    """p50/p95 per page for each layout, and each p95 against the first layout's."""
    names = list(run["passes"])
    rows = [run["passes"][n]["rows"] for n in names]
    head = "| page | " + " | ".join(f"{n} p50 ms | {n} p95 ms" for n in names)
    head += "".join(f" | p95 {n} / {names[0]}" for n in names[1:]) + " |"
    lines = [head, "|---|" + "---:|" * (2 * len(names) + len(names) - 1)]
    for i, first in enumerate(rows[0]):
        cells = [f"{r[i]['p50_ms']:.1f} | {r[i]['p95_ms']:.1f}" for r in rows]
        ratios = [
            f"{r[i]['p95_ms'] / first['p95_ms']:.2f}x" if first["p95_ms"] > 0 else "-"
            for r in rows[1:]
        ]
        errors = sum(r[i]["errors"] for r in rows)
        lines.append(
            f"| {first['page']}{f' ({errors} errors)' if errors else ''} | "
            + " | ".join(cells + ratios)
            + " |"
        )
    rates = []
    for name in names:
        result = run["passes"][name]
        done = sum(r["n"] for r in result["rows"])
        rates.append(done / result["seconds"] if result["seconds"] else float("nan"))
    cells = [c for rate in rates for c in (f"{rate:.1f}", "")]
    cells += [f"{rate / rates[0]:.2f}x" for rate in rates[1:]]
    lines.append("| all requests per second (static file included) | " + " | ".join(cells) + " |")
    cells = [c for n in names for c in (f"{run['passes'][n]['loadavg_1min'][0]:.1f}", "")]
    cells += [""] * (len(names) - 1)
    lines.append("| load average (1 min) at the start of the pass | " + " | ".join(cells) + " |")
    return lines


def write_cluster_results(args: argparse.Namespace, machine: dict[str, Any], run: Any) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    out = RESULTS_DIR / f"cluster-{stamp}.json"
    settings = {k: v for k, v in vars(args).items() if not k.startswith("_")}
    out.write_text(
        json.dumps(
            {"machine": machine, "settings": settings, "target_p95_ms": TARGET_MS, "run": run},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    md = [
        f"#### Several app servers: run of {machine['date']}",
        "",
        f"Machine: {machine['cpu_model']}, nproc {machine['nproc']}; Python {machine['python']}; "
        f"Django {machine['django']}; {machine['gunicorn']} (sync workers); "
        f"{run['database']}, {run['db_version']}; Redis cache and cached_db "
        "sessions; openita.web.settings_production; nginx in front (scripts/cluster.sh, round "
        "robin, static files served by nginx), all on 127.0.0.1.",
        f"{args.clients} concurrent clients, {args.requests} requests per page after "
        f"{args.warmup} warm-up requests, round robin over the pages, a new connection per "
        "request. 1 app server, then 2, then (control) 1 with as many workers as the 2 "
        "together, in the same run on the same data. The machine's load average (other "
        "work on it included) is given for each pass.",
        "",
        *compare_table(run),
    ]
    for label, result in run["passes"].items():
        early = ", stopped early (time limit)" if result["stopped_early"] else ""
        md += ["", f"{label} ({result['seconds']:.1f} s{early}):", "", *pass_table(result)]
    (RESULTS_DIR / "cluster-latest.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    return out


# --- output ----------------------------------------------------------------------------------


def pass_table(result: dict[str, Any]) -> list[str]:
    lines = [
        "| page | n | p50 ms | p95 ms | p99 ms | max ms | p95 / baseline | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in result["rows"]:
        verdict = "" if r["page"] == BASELINE else ("PASS" if r["pass"] else "**FAIL**")
        errors = f" ({r['errors']} errors)" if r["errors"] else ""
        lines.append(
            f"| {r['page']}{errors} | {r['n']} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"{r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['ratio_p95']:.1f}x | {verdict} |"
        )
    return lines


def print_pass(label: str, result: dict[str, Any]) -> None:
    early = ", STOPPED EARLY (time limit)" if result["stopped_early"] else ""
    print(f"\n{label} ({result['seconds']:.1f}s{early}):")
    print("\n".join(pass_table(result)))


def where_table(where: dict[str, Any]) -> list[str]:
    lines = [
        "| page | in-process median ms | SQL queries | SQL ms | HTML bytes |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, p in where["pages"].items():
        lines.append(
            f"| {name} | {p['median_ms']:.1f} | {p['queries']} | {p['sql_ms']:.1f} | "
            f"{p['bytes']:,} |"
        )
    return lines


def print_where(where: dict[str, Any]) -> None:
    print("\n".join(where_table(where)))
    print(f"opening a database connection (median of 20): {where['connect_ms']:.2f} ms")
    slow = where.get("slowest", "")
    if slow in where.get("cprofile", {}):
        print(f"\ncProfile of 5 requests to the slowest page ({slow}), top by cumulative time:")
        print("\n".join(where["cprofile"][slow].splitlines()[:45]))


def machine_info() -> dict[str, Any]:
    import django

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gunicorn_version = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout.strip()
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "platform": platform.platform(),
    }


def write_results(args: argparse.Namespace, machine: dict[str, Any], runs: list[Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    kind = f"web-national{args.national}" if args.national else "web"
    out = RESULTS_DIR / f"{kind}-{stamp}.json"
    settings = {k: v for k, v in vars(args).items() if not k.startswith("_")}
    out.write_text(
        json.dumps(
            {"machine": machine, "settings": settings, "target_p95_ms": TARGET_MS, "runs": runs},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    conn_max_age = "0 (default)" if args.conn_max_age is None else args.conn_max_age
    md = [
        f"#### Run of {machine['date']}",
        "",
        f"Machine: {machine['cpu_model']}, nproc {machine['nproc']}; Python {machine['python']}; "
        f"Django {machine['django']}; {machine['gunicorn']} with {args.workers} sync workers, "
        f"OPENITA_DEBUG=0, CONN_MAX_AGE={conn_max_age}, on 127.0.0.1.",
        f"{args.requests} requests per page per pass after {args.warmup} warm-up requests, "
        "round robin over the pages; a new connection per request (gunicorn's sync workers "
        "close it). Baseline: the static site.css (WhiteNoise), in the same pass. "
        f"Target: p95 under {TARGET_MS:.0f} ms.",
    ]
    for run in runs:
        md += ["", f"##### {run['database']}, {run['db_version']}"]
        for label, result in run["passes"].items():
            early = ", stopped early (time limit)" if result["stopped_early"] else ""
            md += ["", f"{label} ({result['seconds']:.1f} s{early}):", "", *pass_table(result)]
        md += [
            "",
            "In-process (Django test client, no HTTP), per request:",
            "",
            *where_table(run["where"]),
            "",
            f"Opening a database connection: {run['where']['connect_ms']:.2f} ms (median of 20).",
        ]
    if args.national:
        md.insert(
            1,
            f"\nWith a synthetic country of {args.national} agencies x 5 years loaded "
            "beside the demo data (`openita demo --national`).",
        )
    (RESULTS_DIR / f"{kind}-latest.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200, help="per page per pass (200)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per page (20)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients, pass 2 (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--max-seconds", type=float, default=300.0, help="time limit of each pass (300)"
    )
    parser.add_argument("--profile-repeat", type=int, default=30, help="in-process runs (30)")
    parser.add_argument(
        "--database-url",
        help="also run on this PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test); "
        "its database is not touched: a separate one, --pg-database, is used",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="CONN_MAX_AGE for the server (default: the app's, 0: a new connection per request)",
    )
    parser.add_argument("--pg-database", default="openita_bench", help="(openita_bench)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--national",
        type=int,
        default=0,
        metavar="N",
        help="also load a synthetic country of N agencies (openita demo --national) and time "
        "the lists that grow with it and a synthetic agency's pages (0: none)",
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="through nginx with 1 then 2 app servers (scripts/cluster.sh; PostgreSQL, Redis)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("OPENITA_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis for --cluster (OPENITA_REDIS_URL, or redis://127.0.0.1:6379/0); its keys "
        "are under a prefix of the run's own, deleted afterwards",
    )
    parser.add_argument(
        "--no-cluster-control",
        dest="cluster_control",
        action="store_false",
        help="--cluster: skip the control pass (1 server with twice the workers)",
    )
    parser.add_argument(
        "--cluster-port",
        type=int,
        default=18750,
        help="--cluster: the proxy on the first of 3 free consecutive ports from here (18750)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.national <= 100_000:
        parser.error("--national must be between 0 and 100000")
    for name in ("requests", "warmup", "clients", "workers", "profile_repeat"):
        if not 1 <= getattr(args, name) <= 100_000:
            parser.error(f"--{name.replace('_', '-')} must be between 1 and 100000")
    if args.no_sqlite and not args.database_url:
        parser.error("--no-sqlite needs --database-url")
    if args.cluster and not args.database_url:
        parser.error("--cluster needs --database-url (several app servers share PostgreSQL)")
    if not 1024 <= args.cluster_port <= 65000:
        parser.error("--cluster-port must be between 1024 and 65000")
    return args


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in {"--_prepare", "--_profile"}:
        _django_setup()
        if sys.argv[1] == "--_prepare":
            national = int(sys.argv[2]) if len(sys.argv) > 2 else 0
            print(json.dumps(prepare(national), ensure_ascii=False))
        else:
            print(
                json.dumps(profile(json.loads(sys.argv[2]), int(sys.argv[3])), ensure_ascii=False)
            )
        return 0
    args = parse_args()
    signal.signal(signal.SIGTERM, _stop)  # so the servers are stopped on the way out
    if shutil.which("psql") is None and args.database_url:
        print("bench: psql/createdb are missing: cannot run on PostgreSQL", file=sys.stderr)
        return 2
    machine = machine_info()
    if args.cluster:
        try:
            run = measure_cluster(args, args.database_url)
        except Failure as failure:
            print(f"bench: FAILED: {failure}", file=sys.stderr)
            return 1
        out = write_cluster_results(args, machine, run)
        print("\n" + "\n".join(compare_table(run)))
        print(f"\nbench: wrote {out.relative_to(ROOT)} and bench/results/cluster-latest.md")
        return 0
    runs = []
    try:
        for url in ([] if args.no_sqlite else [None]) + (
            [args.database_url] if args.database_url else []
        ):
            runs.append(measure(args, url))
    except Failure as failure:
        print(f"bench: FAILED: {failure}", file=sys.stderr)
        return 1
    out = write_results(args, machine, runs)
    latest = out.name.rsplit("-", 3)[0] + "-latest.md"
    print(f"\nbench: wrote {out.relative_to(ROOT)} and bench/results/{latest}")
    failed = [
        f"{run['database'].split(' ')[0]} {label}: {row['page']}"
        for run in runs
        for label, result in run["passes"].items()
        for row in result["rows"]
        if row["page"] != BASELINE and not row["pass"]
    ]
    print(
        "bench: target p95 < 100 ms: "
        + ("MET on every page" if not failed else "MISSED on " + "; ".join(failed))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
