"""``openita jobs``: the web app's long background jobs from the command line.

``openita jobs list [--json]`` shows each job with its progress and failures;
``openita jobs retry RUN`` queues a job's failed parts again; ``openita jobs start KIND``
starts one (``documents [--year Y] [--format pdf|docx] [--chunk N]``, ``rescore --year Y``).
A worker (``openita worker``) does the work. Exit status: 0 done, 2 bad input (the reason on
stderr). Django is imported only when one of these commands runs (start-up time of ``openita``).
"""

from __future__ import annotations

import json
from typing import Any

import click


def _django() -> None:
    from openita.web import cli as web

    web._setup_django_only()


@click.group("jobs")
def jobs_group() -> None:
    """Long background jobs (งานเบื้องหลัง): progress, failures, retry."""


@jobs_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per job.")
@click.option("--limit", default=20, show_default=True, help="How many of the latest jobs.")
def list_jobs(as_json: bool, limit: int) -> None:
    """The latest jobs: kind, state, progress (done/total), attempts and failures."""
    _django()
    from openita.web.jobs import selectors

    rows = selectors.rows(selectors.latest_runs(limit=limit), failures=True)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.as_dict(), ensure_ascii=False))
        return
    if not rows:
        click.echo("no jobs yet")
    for row in rows:
        p = row.progress
        click.echo(
            f"#{row.run.pk:<5} {row.run.kind:<10} {p.state:<8} {p.done}/{p.total}"
            f" failed {p.failed}  {row.run.created:%Y-%m-%d %H:%M}  {row.arguments_text}"
        )
        for failure in row.failures:
            click.echo(
                f"        failed {failure.key} (attempts {failure.attempts}): {failure.reason}"
            )


@jobs_group.command("retry")
@click.argument("run_id", type=int)
def retry_job(run_id: int) -> None:
    """Queue the failed parts of job RUN_ID again."""
    _django()
    from openita.web.jobs import services
    from openita.web.jobs.models import JobRun

    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        raise click.UsageError(f"no job #{run_id} (see 'openita jobs list')")
    try:
        count = services.retry(run)
    except services.JobError as e:
        raise click.UsageError(str(e)) from None
    click.echo(f"job #{run_id}: {count} part(s) queued again")


@jobs_group.command("start")
@click.argument("kind", type=click.Choice(["documents", "rescore"]))
@click.option("--year", type=int, default=None, help="Fiscal year (B.E.).")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf")
@click.option("--chunk", type=int, default=None, help="documents: plans per unit (1-10, 10).")
def start_job(kind: str, year: int | None, fmt: str, chunk: int | None) -> None:
    """Start a job for every agency; a worker does it."""
    _django()
    from openita.web.jobs import services

    arguments: dict[str, Any] = {"fiscal_year": year}
    if kind == "documents":
        arguments |= {"format": fmt, "chunk": chunk}
    try:
        run = services.start(kind, arguments)
    except services.JobError as e:
        raise click.UsageError(str(e)) from None
    click.echo(f"job #{run.pk} started ({kind}); follow it with 'openita jobs list'")
