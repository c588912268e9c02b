"""Benchmark: the result page's peers panel and the measures' gains across agencies, at the
national scale (about 5,300 อบต. share one type), on a fresh SQLite database.

Loads N agencies of one type over the 77 provinces with a year of stored figures each (the
seed's item scores moved by a seeded random; figures computed once by the engine, then moved
the same way, as bulk writers do), then times ``compare.selectors.peers_for`` for one agency.
The panel is one aggregate query (counts below and equal and means, per code, in the province
and the country). The baseline, measured in the same run and interleaved, is the bare floor
of any such query: counting the same peers, one pass over the same rows; the ratio says what
the per-code figures add. Prints median and minimum of ``--repeat`` runs and writes
``bench/results/peers-<date>T<time>.json`` and ``bench/results/peers-latest.md``.

    PYTHONPATH=. .venv/bin/python bench/peers.py [--agencies 5300] [--repeat 15]
        [--database-url postgres://postgres@127.0.0.1:5432/EMPTY_DB]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def setup(directory: str, database_url: str | None) -> None:
    os.environ["OPENITA_DATA_DIR"] = directory
    if database_url:
        os.environ["DATABASE_URL"] = database_url  # an empty database, migrated here
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load(n: int, seed: int) -> int:
    """N agencies of type อบต. with FY2565 results; returns the id of the first one's result."""
    from openita import engine, frameworks
    from openita.geography import provinces
    from openita.web.agencies.models import Agency, AgencyKind
    from openita.web.demo import _example
    from openita.web.results import figures
    from openita.web.results.models import Assessment

    rng = random.Random(seed)
    names = [p.th for p in provinces()]
    fw = frameworks.get("ita-2565")
    base = {k: v for k, v in _example(2565).items() if k[0] in "ieo" and k[1:].isdigit()}
    stored = figures.from_result(engine.score(fw, base, fiscal_year=2565))
    agencies = Agency.objects.bulk_create(
        Agency(name=f"อบต.ทดสอบ {i}", kind=AgencyKind.SAO, province=names[i % len(names)])
        for i in range(n)
    )
    rows = []
    for agency in agencies:
        shift = rng.uniform(-15, 8)
        a = Assessment(agency=agency, fiscal_year=2565, framework_id=fw.id, scores=base)
        figures.apply(a, stored)
        a.total = stored.total + type(stored.total)(f"{shift:.2f}")
        a.figures = {k: round(min(100.0, v + shift), 2) for k, v in stored.figures.items()}
        rows.append(a)
    made = Assessment.objects.bulk_create(rows, batch_size=500)
    return int(made[0].pk)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=5300, help="agencies of the one type")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--database-url",
        help="an empty database to use instead of a fresh SQLite one (e.g. PostgreSQL)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openita-bench-peers-") as directory:
        setup(directory, args.database_url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from openita.web.compare.selectors import peers_for
        from openita.web.results.models import Assessment

        started = time.perf_counter()
        pk = load(args.agencies, args.seed)
        loaded = time.perf_counter() - started
        own = Assessment.objects.select_related("agency").get(pk=pk)

        def bare_count() -> int:  # the floor: one pass over the same peers, counting them
            return (
                Assessment.objects.filter(
                    fiscal_year=own.fiscal_year, agency__kind=own.agency.kind, total__isnull=False
                )
                .exclude(agency_id=own.agency_id)
                .count()
            )

        peers_for(own)  # warm: frameworks, the first query
        with CaptureQueriesContext(connection) as seen:
            panel = peers_for(own)
        assert panel is not None and panel.shown, "the panel must show at this scale"
        panel_times, query_times = [], []
        for _ in range(args.repeat):  # interleaved, so noise falls on both
            panel_times += timed(lambda: peers_for(own), 1)
            query_times += timed(bare_count, 1)
    figures = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "agencies": args.agencies,
        "database": connection.vendor,
        "load_seconds": round(loaded, 2),
        "queries": len(seen),
        "peers_province": panel.province_n,
        "peers_country": panel.country_n,
        "panel_ms": {
            "median": 1000 * statistics.median(panel_times),
            "min": 1000 * min(panel_times),
        },
        "baseline_query_ms": {
            "median": 1000 * statistics.median(query_times),
            "min": 1000 * min(query_times),
        },
    }
    ratio = figures["panel_ms"]["median"] / figures["baseline_query_ms"]["median"]  # type: ignore[index]
    figures["ratio_median"] = round(ratio, 2)
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"peers-{stamp}.json").write_text(json.dumps(figures, indent=2) + "\n")
    lines = [
        f"# Peers panel, {args.agencies} agencies of one type, {connection.vendor} "
        f"({figures['date']})",
        "",
        f"- queries per panel: {len(seen)}; peers: {panel.province_n} in the province, "
        f"{panel.country_n} in the country",
        f"- panel: median {figures['panel_ms']['median']:.1f} ms, "  # type: ignore[index]
        f"min {figures['panel_ms']['min']:.1f} ms",  # type: ignore[index]
        f"- baseline (counting the same peers, one query): median "
        f"{figures['baseline_query_ms']['median']:.1f} ms, "  # type: ignore[index]
        f"min {figures['baseline_query_ms']['min']:.1f} ms",  # type: ignore[index]
        f"- ratio panel / baseline (medians): {ratio:.2f}",
        "",
    ]
    (RESULTS / "peers-latest.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
