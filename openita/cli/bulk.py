"""``openita import-results``: many agencies' results from one file into the web app."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("import-results")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--create-agencies", is_flag=True, help="Create agencies the file names that are not on file."
)
@click.option("--dry-run", is_flag=True, help="Check every row; import nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_results(file: Path, create_agencies: bool, dry_run: bool, as_json: bool) -> None:
    """Import many agencies' results from one CSV or XLSX file (one row per agency and year:
    agency code or name, province, type, fiscal year, total, rating, tools, indicators,
    optionally items; docs/bulk-import.md) into the web app's database (DATABASE_URL or the
    default SQLite). Every row is checked first; when any is bad nothing is imported.
    Exit 0 all imported, 1 some rows bad, 2 unreadable file."""
    from openita.web.bulkimport.cli import import_results as run

    code = run(
        file,
        create_agencies=create_agencies,
        dry_run=dry_run,
        as_json=as_json,
        echo=click.echo,
        err=lambda line: click.echo(line, err=True),
    )
    sys.exit(code)
