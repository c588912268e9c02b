"""Benchmark: public survey submissions under load, against a one-row-insert floor.

For each database (SQLite, then PostgreSQL when it is up) it migrates a fresh database, makes an
open EIT campaign and N respondents' drafts with every page but the last answered (as a phone
that has gone through the form would have), starts gunicorn on 127.0.0.1 and, from this process
(another process than the server), sends the last page of every draft with C concurrent
clients: that request checks the answers, marks the browser, stores the response in the pool
and, every fifth, moves the pool to the table, as a real submission does. In the same run, the
floor: a minimal Django view on the same server that inserts one row, driven the same way.

It prints and writes (bench/results/surveys-<time>.json and surveys-latest.md): submissions per
second, p50/p99 latency, the floor's figures and the ratio, and the count check: every
submission that was answered with success is stored exactly once (responses in the table and
the pool equal the successes; drafts left equal the failures).

    .venv/bin/python bench/surveys.py [--drafts 3000] [--clients 32] [--workers 4]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import web as web_bench  # noqa: E402  (bench/web.py: the server and database helpers)

ROOT = BENCH.parent
RESULTS = BENCH / "results"
HOST = "127.0.0.1"
TARGET_RATE = 300.0
TARGET_P99_MS = 200.0
TARGET_FLOOR_SHARE = 0.70


# --- the server's side (a subprocess with the server's environment) --------------------------


def prepare(n: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core import signing
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from openita.web.agencies.models import Agency, AgencyKind
    from openita.web.surveys import selectors, services
    from openita.web.surveys.models import Draft
    from openita.web.surveys.views import COOKIE, SALT

    agency = Agency.objects.create(
        name="เทศบาลตำบลทดสอบภาระ", kind=AgencyKind.TAMBON, province="ขอนแก่น"
    )
    today = timezone.localdate()
    campaign = services.campaign_create(
        agency=agency,
        fiscal_year=2569,
        tool="EIT",
        opens=today,
        closes=today + dt.timedelta(days=30),
        user=None,
    )
    form = selectors.form_of(campaign)
    *earlier, last = form.sections
    answers = {}
    for section in earlier:
        answers.update(
            {
                q.key: str(1 + i % len(q.options))
                for i, q in enumerate(section.questions)
                if q.options
            }
        )
    started = time.time() - 600
    drafts = [
        Draft(campaign=campaign, answers=answers, started=started, touched=today) for _ in range(n)
    ]
    Draft.objects.bulk_create(drafts, batch_size=1000)
    cookies = [
        signing.dumps({"d": str(d.pk), "p": secrets.token_urlsafe(16)}, salt=SALT + campaign.slug)
        for d in drafts
    ]
    final = {q.key: str(1 + i % len(q.options)) for i, q in enumerate(last.questions) if q.options}
    return {
        "campaign": campaign.pk,
        "slug": campaign.slug,
        "cookie": COOKIE + campaign.slug,
        "cookies": cookies,
        "page": len(form.sections),
        "answers": final,
    }


def count(campaign_id: int) -> dict[str, Any]:
    import django

    django.setup()
    from openita.web.surveys.models import BrowserMark, Draft, PendingResponse, Response

    return {
        "responses": Response.objects.filter(campaign_id=campaign_id).count(),
        "pending": PendingResponse.objects.filter(campaign_id=campaign_id).count(),
        "drafts": Draft.objects.filter(campaign_id=campaign_id).count(),
        "marks": BrowserMark.objects.filter(campaign_id=campaign_id).count(),
    }


# --- the load (this process) -----------------------------------------------------------------


async def drive(
    port: int, jobs: list[tuple[str, dict[str, str], dict[str, str]]], clients: int
) -> tuple[list[float], int, int, float]:
    """POST every job (path, form, cookies) with ``clients`` concurrent connections; returns
    latencies of successes (ms), successes, failures and the wall time (s)."""
    import httpx

    queue: asyncio.Queue[tuple[str, dict[str, str], dict[str, str]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failed
        while True:
            try:
                path, form, cookies = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            begin = time.perf_counter()
            try:
                headers = (
                    {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
                )
                reply = await client.post(path, data=form, headers=headers)
                ok = reply.status_code in (200, 302)
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - begin) * 1000)
            else:
                failed += 1

    async with httpx.AsyncClient(
        base_url=f"http://{HOST}:{port}", limits=limits, timeout=30.0, follow_redirects=False
    ) as client:
        begin = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        wall = time.perf_counter() - begin
    return latencies, len(latencies), failed, wall


def figures(latencies: list[float], ok: int, failed: int, wall: float) -> dict[str, Any]:
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "ok": ok,
        "failed": failed,
        "seconds": round(wall, 3),
        "per_second": round(ok / wall, 1) if wall else 0.0,
        "p50_ms": round(pct(50), 1),
        "p99_ms": round(pct(99), 1),
        "mean_ms": round(statistics.fmean(ordered), 1),
    }


def run_one(args: argparse.Namespace, database_url: str | None) -> dict[str, Any]:
    with (
        web_bench.bench_database(database_url, "openita_bench_surveys") as (url, label),
        tempfile.TemporaryDirectory(prefix="openita-bench-surveys-") as tmp,
    ):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OPENITA_DATA_DIR"}}
        env.update(
            DJANGO_SETTINGS_MODULE="surveys_settings",
            PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT), env.get("PYTHONPATH", "")]),
            OPENITA_DATA_DIR=str(Path(tmp) / "data"),
            OPENITA_DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(48),
            ALLOWED_HOSTS=HOST,
            PYTHAINLP_OFFLINE="1",
            OPENITA_SURVEY_RATE=str(10**9),  # one address sends everything here
            CONN_MAX_AGE=str(args.conn_max_age),
        )
        if url:
            env["DATABASE_URL"] = url
        (Path(tmp) / "data").mkdir()
        print(f"\n== {label}", flush=True)
        made = helper(env, "--_prepare", str(args.drafts))
        jobs = [
            (
                f"/s/{made['slug']}/{made['page']}/",
                {**made["answers"], "csrfmiddlewaretoken": token},
                {made["cookie"]: cookie, "csrftoken": token},
            )
            for cookie, token in ((c, secrets.token_hex(16)) for c in made["cookies"])
        ]
        floor_jobs = [
            (f"/bench/floor/{made['campaign']}/", {"n": str(i)}, {}) for i in range(args.drafts)
        ]
        port = web_bench.free_port()
        with web_bench.gunicorn(env, port, args.workers, Path(tmp) / "gunicorn.log"):
            warm = min(50, len(jobs) // 10)
            asyncio.run(drive(port, floor_jobs[:warm], 4))
            # interleave halves so the machine's noise falls on both
            half = len(jobs) // 2
            s1 = asyncio.run(drive(port, jobs[:half], args.clients))
            f1 = asyncio.run(drive(port, floor_jobs[warm : warm + half], args.clients))
            s2 = asyncio.run(drive(port, jobs[half:], args.clients))
            f2 = asyncio.run(drive(port, floor_jobs[warm + half : warm + 2 * half], args.clients))
        submissions = figures(s1[0] + s2[0], s1[1] + s2[1], s1[2] + s2[2], s1[3] + s2[3])
        floor = figures(f1[0] + f2[0], f1[1] + f2[1], f1[2] + f2[2], f1[3] + f2[3])
        stored = helper(env, "--_count", str(made["campaign"]))
        exactly_once = (
            stored["responses"] + stored["pending"] == submissions["ok"]
            and stored["drafts"] == args.drafts - submissions["ok"]
        )
        share = submissions["per_second"] / floor["per_second"] if floor["per_second"] else 0.0
        result = {
            "database": label,
            "submissions": submissions,
            "floor": floor,
            "share_of_floor": round(share, 2),
            "stored": stored,
            "exactly_once": exactly_once,
        }
        print(
            f"submissions: {submissions['per_second']}/s p50 {submissions['p50_ms']} ms "
            f"p99 {submissions['p99_ms']} ms ({submissions['ok']} ok, {submissions['failed']} "
            f"failed)\nfloor:       {floor['per_second']}/s p50 {floor['p50_ms']} ms p99 "
            f"{floor['p99_ms']} ms\nratio {share:.2f} of the floor; stored {stored}; "
            f"exactly once: {exactly_once}",
            flush=True,
        )
        return result


def helper(env: dict[str, str], mode: str, arg: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, mode, arg],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise web_bench.Failure(f"{mode} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def verdict(r: dict[str, Any], postgres: bool) -> list[str]:
    s = r["submissions"]
    lines = [
        f"{'PASS' if s['per_second'] >= TARGET_RATE else 'MISS'} rate {s['per_second']}/s "
        f"(target {TARGET_RATE:.0f}/s{' on PostgreSQL' if postgres else ', PostgreSQL only'})",
        f"{'PASS' if s['p99_ms'] < TARGET_P99_MS else 'MISS'} p99 {s['p99_ms']} ms "
        f"(target < {TARGET_P99_MS:.0f} ms)",
        f"{'PASS' if r['share_of_floor'] >= TARGET_FLOOR_SHARE else 'MISS'} "
        f"{r['share_of_floor']:.2f} of the floor (target >= {TARGET_FLOOR_SHARE})",
        f"{'PASS' if r['exactly_once'] else 'FAIL'} every accepted response stored once",
    ]
    return lines


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--_prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "--_count":
        print(json.dumps(count(int(sys.argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=3000, help="submissions per run (3000)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--conn-max-age", type=int, default=60, help="CONN_MAX_AGE (60)")
    parser.add_argument(
        "--pg", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    runs: list[tuple[dict[str, Any], bool]] = []
    runs.append((run_one(args, None), False))
    pg_up = subprocess.run(["pg_isready", "-q", "-h", HOST], check=False).returncode == 0
    if not args.sqlite_only and pg_up:
        runs.append((run_one(args, args.pg), True))
    elif not args.sqlite_only:
        print("!! PostgreSQL is not reachable: its run was skipped", flush=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    conditions = (
        f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; gunicorn "
        f"{args.workers} sync workers, {args.clients} concurrent clients (httpx, one process on "
        f"the same machine), {args.drafts} submissions per database, CONN_MAX_AGE "
        f"{args.conn_max_age}"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"surveys-{stamp}.json").write_text(
        json.dumps({"conditions": conditions, "runs": [r for r, _ in runs]}, indent=2),
        encoding="utf-8",
    )
    lines = [f"# Survey submissions ({stamp})", "", conditions, ""]
    for r, postgres in runs:
        s, f = r["submissions"], r["floor"]
        lines += [
            f"## {r['database']}",
            "",
            "| | per second | p50 ms | p99 ms | ok | failed |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {name} | {x['per_second']} | {x['p50_ms']} | {x['p99_ms']} | {x['ok']} "
                f"| {x['failed']} |"
                for name, x in (("submissions", s), ("floor (insert one row)", f))
            ),
            "",
            *[f"- {v}" for v in verdict(r, postgres)],
            "",
        ]
    text = "\n".join(lines)
    (RESULTS / "surveys-latest.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    return 0 if all(r["exactly_once"] for r, _ in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
