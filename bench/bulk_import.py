"""Benchmark: importing one file of many agencies' results (``openita import-results``).

Makes a file of ``--rows`` agencies (default 8,300, the country's local governments) over the 77
provinces, each with its indicators, tools, total and rating (consistent, made with the engine),
in a fresh SQLite database (or ``--database-url``), migrated. Then, in one run:

1. check only: read the CSV and check every row (``openita.importers.bulk``), no database;
2. first import: check + create the agencies + one result each + audit, one transaction
   (``bulkimport.services.import_file``, what the web's confirm and the CLI do);
3. the same file again: checked, every result found unchanged, nothing written;
4. a second year for every agency through the web's two steps, timed apart: the preview
   (check every row, keep the plan) and the confirmation (one transaction writing the results,
   their stored figures and the audit entries, no second scoring);
5. baseline, same run: the same second-year results saved one at a time, as a single upload
   saves them (``Assessment.save()`` computing the stored figures, an audit entry each), for
   another year, in one transaction.

Ratio = baseline / confirmation (4), and baseline / (preview + confirmation). Every timed
import is checked afterwards: the number of results written and one stored total against the
file. Results: printed, and written to
``bench/results/bulk-<date>T<time>.json`` and ``bench/results/bulk-latest.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ["อบต.", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "อบจ."]


def make_file(rows: int, year: int, shift: float) -> tuple[bytes, dict[str, str]]:
    """A CSV of ``rows`` agencies for ``year``; and the first row's cells to check against."""
    from openita import engine, frameworks, geography
    from openita.engine.rounding import published

    fw = frameworks.for_year(year)
    assert fw is not None
    provinces = [p.th for p in geography.provinces()]
    header = [
        "รหัสหน่วยงาน",
        "ชื่อหน่วยงาน",
        "จังหวัด",
        "อำเภอ",
        "ประเภท",
        "ปีงบประมาณ",
        "คะแนนรวม",
        "ระดับ",
        "IIT",
        "EIT",
        "OIT",
        *(f"ind{n}" for n in range(1, 11)),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    first: dict[str, str] = {}
    for n in range(rows):
        base = 55 + (n * 37 % 45) + shift
        given = {f"ind{k}": round(min(100.0, base + (k * n % 7) * 0.9), 2) for k in range(1, 11)}
        shown = engine.official(engine.score(fw, given))
        tools = [f"{published(shown.scores[t]):.2f}" for t in ("IIT", "EIT", "OIT")]
        province = provinces[n % len(provinces)]
        cells = [
            f"B{n:05d}",
            f"หน่วยงานทดสอบที่ {n}",
            province,
            f"อำเภอ{n % 20}",
            KINDS[n % 5],
            str(year),
            f"{published(shown.total):.2f}",
            shown.band.code,
            *tools,
            *(f"{v:.2f}" for v in given.values()),
        ]
        writer.writerow(cells)
        if n == 0:
            first = dict(zip(header, cells, strict=True))
    return out.getvalue().encode("utf-8-sig"), first


def timed(run):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def setup(database_url: str | None, data_dir: Path) -> None:
    os.environ["OPENITA_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def baseline(data: bytes) -> int:
    """Save the file's results one at a time, as a single upload does (figures by save())."""
    from django.db import transaction

    from openita.importers import bulk
    from openita.web.agencies.models import Agency
    from openita.web.audit.models import Action
    from openita.web.audit.services import record
    from openita.web.results.models import Assessment

    table = bulk.read_table(data, "baseline.csv")
    by_code = dict(Agency.objects.values_list("code", "pk"))
    saved = 0
    with transaction.atomic():
        for _, row in table.rows:
            scores = {c.code: float(row[c.index]) for c in table.columns if c.role == "score"}
            agency_id = by_code[table.cell(row, "code")]
            year = int(table.cell(row, "fiscal_year")) - 1  # another year than the bulk run's
            a = Assessment(
                agency_id=agency_id, fiscal_year=year, framework_id=f"ita-{year}", scores=scores
            )
            a.save()
            record(actor=None, agency=None, action=Action.CREATE, obj=a, summary="baseline")
            saved += 1
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=8300, help="agencies in the file")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--no-write", action="store_true", help="print only, write no results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openita-bench-bulk-") as tmp:
        setup(args.database_url, Path(tmp))
        run(args)


def run(args: argparse.Namespace) -> None:
    from django.db import connection

    from openita.importers import bulk
    from openita.web.bulkimport.services import directory, import_file
    from openita.web.results.models import Assessment

    first_year, second_year = 2568, 2567
    made_1, (data_1, _first) = timed(lambda: make_file(args.rows, first_year, 0))
    data_2, first_2 = make_file(args.rows, second_year, -3)
    figures: dict[str, object] = {
        "rows": args.rows,
        "file_bytes": len(data_1),
        "database": connection.vendor,
    }
    check_s, report = timed(
        lambda: bulk.check_bytes(data_1, "a.csv", directory(), bulk.Rules(create_agencies=True))
    )
    assert not report.bad, report.bad[:3]
    first_s, out_1 = timed(
        lambda: import_file(data=data_1, name="a.csv", create_agencies=True, dry_run=False)
    )
    assert out_1.imported and out_1.imported.results_created == args.rows
    again_s, out_again = timed(
        lambda: import_file(data=data_1, name="a.csv", create_agencies=False, dry_run=False)
    )
    assert out_again.imported and out_again.imported.unchanged == args.rows
    from django.contrib.auth.models import User

    from openita.web.bulkimport.services import bulk_import, bulk_preview

    admin = User.objects.create_superuser("bench-admin", "bench@example.invalid", "x")
    preview_s, preview = timed(
        lambda: bulk_preview(user=admin, name="b.csv", data=data_2, create_agencies=False)
    )
    assert preview.ok and preview.upload is not None
    upload_id = preview.upload.pk
    confirm_s, done = timed(lambda: bulk_import(upload_id=upload_id, user=admin))
    assert done.results_created == args.rows
    second_s = confirm_s
    stored = Assessment.objects.get(agency__code="B00000", fiscal_year=second_year)
    assert f"{stored.total:.2f}" == first_2["คะแนนรวม"], (stored.total, first_2)
    base_s, saved = timed(lambda: baseline(data_2))
    assert saved == args.rows
    figures.update(
        make_file_s=round(made_1, 2),
        check_s=round(check_s, 2),
        first_import_s=round(first_s, 2),
        same_file_again_s=round(again_s, 2),
        second_year_bulk_s=round(second_s, 2),
        baseline_one_by_one_s=round(base_s, 2),
        ratio_baseline_over_bulk=round(base_s / second_s, 2),
        rows_per_s_first_import=round(args.rows / first_s),
        machine={
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
        },
    )
    lines = [
        "# Bulk import benchmark (latest run)",
        "",
        f"`.venv/bin/python bench/bulk_import.py --rows {args.rows}` on {connection.vendor}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (shared).",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| check only (read + every row, no database) | {check_s:.2f} |",
        f"| first import: check + {args.rows} agencies created + {args.rows} results + audit "
        f"| {first_s:.2f} |",
        f"| the same file again (all unchanged, nothing written) | {again_s:.2f} |",
        f"| a second year on the web: preview (check, plan kept) | {preview_s:.2f} |",
        f"| a second year on the web: confirm ({args.rows} results written, one transaction) "
        f"| {confirm_s:.2f} |",
        f"| baseline: the same results saved one at a time | {base_s:.2f} |",
        "",
        f"Ratio baseline / confirm: **{base_s / second_s:.2f}x**; baseline / (preview + "
        f"confirm): **{base_s / (preview_s + confirm_s):.2f}x**.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        out = ROOT / "bench" / "results"
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M%S")
        (out / f"bulk-{stamp}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        (out / "bulk-latest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
