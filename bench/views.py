"""Benchmark: the overview across agencies (issue 13) on PostgreSQL with a synthetic country.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/openita_views python bench/views.py \
        [--sizes 500,2000,8300] [--years 5] [--runs 30]

For each size it loads the synthetic country of ``openita demo --national`` with that many
agencies (openita/web/synthetic: the 77 provinces and their districts, the national mix of
agency types, five fiscal years of item-level results, plans drafted for 5 % with progress
rounds), vacuums and analyses, and times, in process with Django's test client logged in as a
national viewer:

* the overview of the country, a region, the largest province and one district, and a CSV
  export (what a person waits for, templates included);
* the same pages' SQL alone: every query the page ran, captured, then replayed on a raw
  cursor (the baseline: what the database needs, with no Python around it).

It prints the first (cold: empty cache) request and p50/p95 of the next runs per view and
per size, the ratio to the SQL alone, the growth of p95 from the
smallest to the largest size against the growth of the data, PASS/FAIL against the target
(p95 under 300 ms at the largest size), and writes ``bench/results/views-<date>T<time>.txt``.
Each timed page must answer 200 and (in the warm-up) contain the scope's name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
TARGET_MS = 300.0


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/views.py: set DATABASE_URL to a PostgreSQL database of your own")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def load(size: int, years: int, seed: int = 1) -> dict[str, Any]:
    """The synthetic country of ``openita demo --national`` (openita/web/synthetic) at ``size``
    agencies, then what autovacuum does soon after a load (statistics, and the visibility map
    that lets the covering index answer alone)."""
    from django.db import connection

    from openita.web.synthetic.load import load_national

    with connection.cursor() as cursor:  # the bench's own database: nothing but the country
        cursor.execute("TRUNCATE agencies_agency RESTART IDENTITY CASCADE")
    loaded = load_national(agencies=size, years=years, seed=seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"results": loaded.results, "plans": loaded.plans}


def _viewer_client() -> Any:
    from django.contrib.auth.models import User
    from django.test import Client

    from openita.web.agencies.services import national_viewer_grant

    user, _ = User.objects.get_or_create(username="bench-national")
    national_viewer_grant(user=user)
    client = Client()
    client.force_login(user)
    return client


def _views(year: int) -> list[tuple[str, str, dict[str, str], str]]:
    """The pages timed: the largest province and its largest district."""
    from django.db.models import Count

    from openita.web.agencies.models import Agency

    top = Agency.objects.values("province").annotate(n=Count("id")).order_by("-n", "province")
    province = str(top[0]["province"])
    places = Agency.objects.filter(province=province).exclude(district="").values("district")
    district = str(places.annotate(n=Count("id")).order_by("-n", "district")[0]["district"])
    base = {"year": str(year)}
    return [
        ("country", "/overview/", base, "ทั้งประเทศ"),
        ("region", "/overview/", {**base, "region": "northeast"}, "ภาคตะวันออกเฉียงเหนือ"),
        ("province", "/overview/", {**base, "province": province}, province),
        ("district", "/overview/", {**base, "province": province, "district": district}, district),
        ("items: country", "/overview/items/", base, "ทั้งประเทศ"),
        ("items: province", "/overview/items/", {**base, "province": province}, province),
        ("follow-up: country", "/overview/followup/", base, "ทั้งประเทศ"),
        ("follow-up: province", "/overview/followup/", {**base, "province": province}, province),
        ("export groups.csv", "/overview/export/", {**base, "table": "groups", "fmt": "csv"}, ""),
    ]


def _time_page(client: Any, path: str, params: dict[str, str]) -> tuple[float, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        start = time.perf_counter()
        got = client.get(path, params)
        elapsed = (time.perf_counter() - start) * 1000
    assert got.status_code == 200, (path, params, got.status_code)
    return elapsed, [q["sql"] for q in seen.captured_queries]


def _time_sql(queries: list[str]) -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def measure(size: int, years: list[int], runs: int) -> list[dict[str, Any]]:
    client = _viewer_client()
    found = []
    for name, path, params, expect in _views(years[-1]):
        from django.core.cache import cache

        cache.clear()  # the first request is cold (the weakest items are cached afterwards)
        started = time.perf_counter()
        warm = client.get(path, params)
        first = (time.perf_counter() - started) * 1000
        assert warm.status_code == 200 and expect in warm.content.decode("utf-8-sig"), name
        page_ms, sql_ms = [], []
        queries: list[str] = []
        for _ in range(runs):
            elapsed, queries = _time_page(client, path, params)
            page_ms.append(elapsed)
            sql_ms.append(_time_sql(queries))
        row = {
            "size": size,
            "view": name,
            "first": first,
            "queries": len(queries),
            "p50": percentile(page_ms, 0.5),
            "p95": percentile(page_ms, 0.95),
            "sql_p50": percentile(sql_ms, 0.5),
            "sql_p95": percentile(sql_ms, 0.95),
        }
        found.append(row)
        print(
            f"  {size:>6} {name:<20} first {first:7.1f} ms  p50 {row['p50']:7.1f} ms  "
            f"p95 {row['p95']:7.1f} ms  "
            f"SQL alone p95 {row['sql_p95']:7.1f} ms",
            flush=True,
        )
    return found


def report(
    rows: list[dict[str, Any]],
    sizes: list[int],
    years: list[int],
    runs: int,
    load_s: dict[int, float],
) -> str:
    from django.db import connection

    lines = [
        f"# Overview across agencies on PostgreSQL ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        f"machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores (shared); "
        f"PostgreSQL {connection.pg_version if hasattr(connection, 'pg_version') else '?'}",
        f"data: the synthetic country of 'openita demo --national' (openita/web/synthetic): N "
        f"agencies over 77 provinces x {len(years)} years ({years[0]}-{years[-1]}), item-level "
        f"results, plans for 5 %; {runs} timed runs per view after a warm-up",
        "command: DATABASE_URL=postgres://... python bench/views.py "
        f"--sizes {','.join(map(str, sizes))} --runs {runs}",
        "",
        f"{'size':>6} {'view':<20} {'q':>3} {'first':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'SQL p50':>8} {'SQL p95':>8} {'p95/SQL':>8}  target",
    ]
    for r in rows:
        ratio = r["p95"] / r["sql_p95"] if r["sql_p95"] else float("nan")
        verdict = ("PASS" if r["p95"] < TARGET_MS else "FAIL") if r["size"] == sizes[-1] else ""
        lines.append(
            f"{r['size']:>6} {r['view']:<20} {r['queries']:>3} {r['first']:>8.1f} {r['p50']:>8.1f} "
            f"{r['p95']:>8.1f} {r['sql_p50']:>8.1f} {r['sql_p95']:>8.1f} "
            f"{ratio:>7.1f}x  {verdict}"
        )
    lines += [
        "",
        f"growth of p95 from {sizes[0]} to {sizes[-1]} agencies "
        f"(data x{sizes[-1] / sizes[0]:.1f}):",
    ]
    for view in dict.fromkeys(r["view"] for r in rows):
        first = next(r for r in rows if r["view"] == view and r["size"] == sizes[0])
        last = next(r for r in rows if r["view"] == view and r["size"] == sizes[-1])
        lines.append(
            f"  {view:<20} x{last['p95'] / first['p95']:.2f} (SQL alone "
            f"x{last['sql_p95'] / first['sql_p95']:.2f})"
        )
    lines += ["", "load (bulk, seconds): " + ", ".join(f"{s}: {t:.1f}" for s, t in load_s.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,8300")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    setup()
    sizes = [int(s) for s in args.sizes.split(",")]
    years = list(range(2570 - args.years, 2570))  # the synthetic country ends with FY2569
    rows: list[dict[str, Any]] = []
    load_s: dict[int, float] = {}
    for size in sizes:
        start = time.perf_counter()
        load(size, len(years))
        load_s[size] = time.perf_counter() - start
        print(f"loaded {size} agencies x {len(years)} years in {load_s[size]:.1f} s", flush=True)
        rows += measure(size, years, args.runs)
    text = report(rows, sizes, years, args.runs, load_s)
    print(text)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"views-{dt.datetime.now(dt.UTC):%Y-%m-%dT%H%M%S}.txt"
    out.write_text(text, encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
