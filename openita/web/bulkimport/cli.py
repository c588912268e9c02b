"""``openita import-results``: set Django up (migrating first, like the other web commands),
check a bulk file against the web app's database and import it in one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_BAD_ROWS, EXIT_UNREADABLE = 0, 1, 2


def import_results(
    path: Path,
    *,
    create_agencies: bool,
    dry_run: bool,
    as_json: bool,
    echo: Callable[[str], None] = print,
    err: Callable[[str], None] = print,
) -> int:
    """Check (and unless ``dry_run`` import) the file; the exit status: 0 all imported (or,
    with ``dry_run``, all good), 1 some rows bad and nothing imported, 2 unreadable file."""
    from openita.web.reminders.cli import setup

    try:
        data = path.read_bytes()
    except OSError as exc:
        err(f"openita: {path}: cannot be read ({exc.strerror})")
        return EXIT_UNREADABLE
    setup()
    from openita.web.bulkimport.services import import_file

    outcome = import_file(
        data=data, name=path.name, create_agencies=create_agencies, dry_run=dry_run
    )
    if as_json:
        echo(json.dumps(outcome.as_dict(), ensure_ascii=False, indent=2))
    if outcome.report is None:
        if not as_json:
            for problem in outcome.problems:
                err(f"openita: {problem}")
        return EXIT_UNREADABLE
    report = outcome.report
    if not as_json:
        for bad in report.bad:
            err(f"{path.name}:{bad.line}: {bad.column or '-'}: {bad.value!r}: {bad.message}")
        echo(_summary(outcome, dry_run))
    return EXIT_OK if report.ok else EXIT_BAD_ROWS


def _summary(outcome: object, dry_run: bool) -> str:
    from openita.web.bulkimport.services import CommandOutcome

    assert isinstance(outcome, CommandOutcome) and outcome.report is not None
    report = outcome.report
    head = (
        f"{report.rows} rows: {len(report.good)} good, {len(report.bad_lines)} bad; "
        f"{len(report.to_create)} agencies to create"
    )
    if not report.ok:
        return head + "; nothing imported"
    if dry_run or outcome.imported is None:
        return head + "; dry run, nothing imported"
    done = outcome.imported
    return (
        f"{head}; imported: {done.results_created} new results, {done.results_replaced} "
        f"replaced, {done.unchanged} unchanged, {done.agencies_created} agencies created"
    )
