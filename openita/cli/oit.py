"""``openita oit``: OIT preparation from the command line (docs/cli.md).

``openita oit check FILE [--json] [--year YYYY] [--framework ID] [--history STATE.json]``
checks every link of a ``code,url`` list. Exit status: 0 every link is fine, 1 some are not,
2 bad input (unreadable file, unknown code, malformed URL), with the reason on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # imported by each command when it runs: --help starts fast
    from openita.frameworks import Framework


@click.group("oit")
def oit_group() -> None:
    """OIT preparation (แบบตรวจการเปิดเผยข้อมูลสาธารณะ): check the links of the checklist."""


def _framework(framework: str | None, year: int | None) -> Framework:
    from openita import frameworks
    from openita.frameworks import FrameworkNotFound

    if framework:
        return frameworks.get(framework)
    if year is not None:
        found = frameworks.for_year(year)
        if found is None:
            raise FrameworkNotFound(
                f"no framework covers fiscal year {year} (see 'openita frameworks list')"
            )
        return found
    today = dt.date.today()
    current = today.year + 543 + (1 if today.month >= 10 else 0)
    for fiscal_year in (current, current - 1):
        found = frameworks.for_year(fiscal_year)
        if found is not None:
            return found
    return frameworks.default()


def _load_history(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None or not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{path}: not a link history file ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise click.ClickException(
            f"{path}: not a link history file (expected url -> {{when: sha256}})"
        )
    return {str(k): {str(w): str(h) for w, h in v.items()} for k, v in data.items()}


@oit_group.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--year",
    type=click.IntRange(2500, 2700),
    help="Fiscal year (B.E.) the evidence must cover; pages must mention it.",
)
@click.option(
    "--framework",
    "-f",
    "framework",
    metavar="ID|PATH",
    help="Framework whose OIT items the codes are "
    "(default: that of --year, else of the current fiscal year).",
)
@click.option(
    "--history",
    "history_file",
    type=click.Path(path_type=Path),
    metavar="STATE.json",
    help="Remember each link's content here; a link unchanged since an earlier year is reported.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON list of {code, url, ok, status, problem}.",
)
@click.option(
    "--per-host",
    type=click.IntRange(1, 16),
    default=4,
    show_default=True,
    help="Connections at once to one host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1, 120),
    default=20.0,
    show_default=True,
    help="Seconds for one link.",
)
def check(
    file: Path,
    year: int | None,
    framework: str | None,
    history_file: Path | None,
    as_json: bool,
    per_host: int,
    timeout: float,
) -> None:  # fmt: skip
    """Check every URL of FILE (CSV of code,url rows, UTF-8 or cp874; or an exported
    checklist): unreachable, HTTP errors, redirects to a home page, files that are not what
    their name says, empty or tiny files, pages that do not mention the item or --year, pages
    unchanged since an earlier year (with --history)."""
    from openita.cli import terminal
    from openita.frameworks import FrameworkInvalid, FrameworkNotFound
    from openita.importers.scores import InputInvalid
    from openita.oit.linkcheck import PROBLEMS, Limits, check_links
    from openita.oit.linkfile import read_links

    try:
        fw = _framework(framework, year)
        links = read_links(file, fw, year=year)
    except InputInvalid as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        sys.exit(2)
    except (FrameworkNotFound, FrameworkInvalid) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    try:
        history = _load_history(history_file)
    except click.ClickException as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)

    limits = Limits(per_host=per_host, total_timeout=timeout)
    with terminal.progress_bar("links", show=sys.stderr.isatty()) as progress:
        results = check_links(links, limits=limits, history=history, progress=progress)
    if history_file is not None:
        label = str(year) if year else dt.date.today().isoformat()
        for r in results:
            if r.sha256 is not None and r.status is not None and r.status < 400:
                history.setdefault(r.url, {})[label] = r.sha256
        history_file.write_text(json.dumps(history, ensure_ascii=False, indent=1), encoding="utf-8")
    if as_json:
        click.echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        bad = [r for r in results if not r.ok]
        for r in results:
            status = str(r.status) if r.status is not None else "-"
            if r.ok:
                click.echo(f"{r.code:<4} {status:>3}  ok  {r.url}")
            else:
                what = PROBLEMS.get(r.problem or "", r.problem or "")
                click.echo(f"{r.code:<4} {status:>3}  {r.problem}: {what} ({r.detail})  {r.url}")
        click.echo(f"{len(results) - len(bad)} of {len(results)} links ok ({fw.id})")
    sys.exit(0 if all(r.ok for r in results) else 1)


@oit_group.command("crawl")
@click.argument("start_url", metavar="URL")
@click.option(
    "--year", type=click.IntRange(2500, 2700), help="Fiscal year (B.E.) of the checklist."
)
@click.option(
    "--framework", "-f", "framework", metavar="ID|PATH", help="Framework of the OIT items."
)
@click.option("--max-pages", type=click.IntRange(1, 5000), default=300, show_default=True)
@click.option("--max-depth", type=click.IntRange(0, 20), default=4, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (docs/cli.md).")
def crawl_command(
    start_url: str,
    year: int | None,
    framework: str | None,
    max_pages: int,
    max_depth: int,
    as_json: bool,
) -> None:
    """Crawl an agency's website politely (same site, robots.txt obeyed, two requests at a
    time, documents not downloaded) and propose, for each OIT item, the pages and files that
    most likely answer it, with the reasons. Nothing is saved: the officer confirms."""
    from openita.frameworks import FrameworkInvalid, FrameworkNotFound
    from openita.oit.crawl import CrawlLimits, crawl, oit_items, propose, summary
    from openita.oit.linkcheck import url_problem

    why = url_problem(start_url)
    if why is not None:
        click.echo(f"error: the address {start_url!r} {why}", err=True)
        sys.exit(2)
    try:
        fw = _framework(framework, year)
    except (FrameworkNotFound, FrameworkInvalid) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    found = crawl(start_url, CrawlLimits(max_pages=max_pages, max_depth=max_depth))
    if not found.pages:
        reason = found.errors[0][1] if found.errors else "robots.txt forbids it"
        click.echo(f"error: {start_url}: nothing could be read ({reason})", err=True)
        sys.exit(1)
    proposals = propose(found, oit_items(fw), year=year)
    if as_json:
        click.echo(json.dumps(summary(found, proposals), ensure_ascii=False, indent=2))
        return
    limit = " (page limit reached)" if found.truncated else ""
    click.echo(f"{len(found.pages)} pages read ({fw.id}){limit}")
    for code, props in proposals.items():
        if not props:
            click.echo(f"{code:<4} -")
            continue
        for n, p in enumerate(props):
            lead = f"{code:<4}" if n == 0 else "    "
            click.echo(f"{lead} {p.score:>4.1f}  {p.url}  ({'; '.join(p.reasons)})")


@oit_group.command("recheck")
@click.option("--dry-run", is_flag=True, help="List the checklists that are due; check nothing.")
def recheck_command(dry_run: bool) -> None:
    """Recheck the links of the web app's OIT checklists whose schedule (daily or weekly) is
    due, and e-mail the agency's officers about each link that worked and is now broken (once
    per breakage). Meant for cron, like ``openita remind``."""
    from openita.web.reminders.cli import setup

    setup()
    from django.utils import timezone

    from openita.web.oit.recheck import describe, run_recheck

    run = run_recheck(now=timezone.now(), dry_run=dry_run)
    for line in describe(run, dry_run=dry_run):
        click.echo(line)
