"""The ``openita`` command. Its commands, options and output are a contract: see docs/cli.md.

Exit status: 0 done; 1 ``frameworks validate`` found problems; 2 bad input or usage (one line
per problem on stderr, naming the file and row); 3 an internal error (a bug: please report).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from openita import __version__, frameworks
from openita.cli import render
from openita.engine import Result, analyze
from openita.frameworks import FrameworkInvalid, FrameworkNotFound
from openita.importers import InputInvalid, load_result

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
F = TypeVar("F", bound=Callable[..., Any])


def _fail(lines: Sequence[str], status: int = 2) -> NoReturn:
    for line in lines:
        click.echo(f"error: {line}", err=True)
    sys.exit(status)


def user_errors(func: F) -> F:
    """Turn bad input into one line per problem and exit status 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputInvalid as exc:
            _fail([str(p) for p in exc.problems])
        except FrameworkInvalid as exc:
            _fail([f"framework does not validate: {e}" for e in exc.errors])
        except FrameworkNotFound as exc:
            _fail([str(exc)])

    return wrapper  # type: ignore[return-value]


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


FRAMEWORK_HELP = (
    "Framework id (see 'openita frameworks list') or path of a framework YAML "
    "file. Default: the file's own 'framework' row, else the framework of its "
    "fiscal year, else the latest verified one. Env: OPENITA_FRAMEWORK."
)


def framework_option(func: F) -> F:
    return click.option(
        "--framework",
        "-f",
        "framework",
        metavar="ID|PATH",
        envvar="OPENITA_FRAMEWORK",
        help=FRAMEWORK_HELP,
    )(func)


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of tables."
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="openita")
def cli() -> None:
    """OpenITA: score, analyse and plan for the ITA (การประเมินคุณธรรมและความโปร่งใส).

    Start with 'openita demo', or 'openita analyze FILE' on your own scores.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@framework_option
@json_option
@user_errors
def score(files: tuple[Path, ...], framework: str | None, as_json: bool) -> None:
    """Score one year: total, rating, pass/fail, tools and indicators.

    FILE: CSV, XLSX or JSON of scores (codes i1…, e1…, o1…, ind1…ind10, columns code,score)
    or raw answers of respondents (see docs/input-formats.md). Several files are read as one,
    e.g. IIT raw answers plus OIT item scores.
    """
    result = load_result(files, framework)
    if as_json:
        _emit_json(render.result_json(result))
    else:
        click.echo(render.result_text(result))


@cli.command("analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--history",
    "-H",
    "history",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Scores of an earlier year, for the trend and the consistency "
    "check; repeat for more years. The year comes from the file's fiscal_year row, "
    "else from a year like 2564 in its name.",
)
@framework_option
@json_option
@user_errors
def analyze_command(
    files: tuple[Path, ...], history: tuple[Path, ...], framework: str | None, as_json: bool
) -> None:
    """Analyse one year: ranking, items to keep and to fix, zero items, trend, consistency of
    claimed figures, and the uplift plan (what each item is worth, the fewest fixes to pass).

    FILE: as for 'openita score'.
    """
    result = load_result(files, framework)
    past = _load_history(history, framework)
    _print_analysis(result, past, as_json)


def _load_history(paths: Sequence[Path], framework: str | None) -> list[Result]:
    past, problems = [], []
    for path in paths:
        try:
            past.append(load_result([path], framework))
        except InputInvalid as exc:
            problems += exc.problems
    if problems:
        raise InputInvalid(problems)
    return past


def _print_analysis(result: Result, past: Sequence[Result], as_json: bool) -> None:
    analysis = analyze(result, past)
    if as_json:
        _emit_json(render.analysis_json(analysis))
    else:
        click.echo(render.analysis_text(analysis))


@cli.command()
@json_option
@user_errors
def demo(as_json: bool) -> None:
    """Analyse the bundled example agency (seed 003: FY2565 items, FY2563-2564 indicators)."""
    result = load_result([EXAMPLES / "bansong-2565.csv"], None, label="เทศบาลตำบลบ้านส้อง")
    past = [load_result([EXAMPLES / f"bansong-{y}.csv"], None) for y in (2563, 2564)]
    if not as_json:
        click.echo(
            "ตัวอย่าง / Example: เทศบาลตำบลบ้านส้อง (จากเอกสารที่เผยแพร่ / from its published report)\n"
        )
    _print_analysis(result, past, as_json)


@cli.group("frameworks")
def frameworks_group() -> None:
    """List, show and validate frameworks (ITA methodologies as YAML data).

    Built-in frameworks ship with OpenITA; local ones are read from the directory in
    OPENITA_FRAMEWORKS_DIR, else ~/.config/openita/frameworks. A local file with a built-in
    id replaces the built-in one.
    """


@frameworks_group.command("list")
@json_option
@user_errors
def frameworks_list(as_json: bool) -> None:
    """List the frameworks available, with their status and file."""
    rows: list[dict[str, Any]] = []
    default_id = None
    with contextlib.suppress(FrameworkNotFound, FrameworkInvalid):
        default_id = frameworks.default().id
    for ref, path in sorted(frameworks.available().items()):
        try:
            fw = frameworks.get(str(path))
            rows.append(
                {
                    "id": ref,
                    "version": fw.version,
                    "status": fw.status,
                    "fiscal_years": list(fw.fiscal_years),
                    "default": ref == default_id,
                    "path": str(path),
                    "valid": True,
                }
            )
        except FrameworkInvalid as exc:
            rows.append(
                {
                    "id": ref,
                    "path": str(path),
                    "valid": False,
                    "errors": [str(e) for e in exc.errors],
                }
            )
    if as_json:
        _emit_json(rows)
        return
    click.echo(
        render.table(
            ["id", "version", "status", "fiscal years", "file"],
            [
                [
                    r["id"] + (" (default)" if r.get("default") else ""),
                    str(r.get("version", "-")),
                    r.get("status", "INVALID"),
                    ", ".join(str(y) for y in r.get("fiscal_years", [])),
                    r["path"],
                ]
                for r in rows
            ],
        )
    )
    click.echo(f"\nLocal frameworks directory: {frameworks.local_dir()}")


@frameworks_group.command("show")
@click.argument("ref", metavar="ID|PATH")
@json_option
@user_errors
def frameworks_show(ref: str, as_json: bool) -> None:
    """Show a framework: tools, weights, indicators, items, bands and notes."""
    fw = frameworks.get(ref)
    if as_json:
        _emit_json(render.framework_json(fw))
    else:
        click.echo(render.framework_text(fw))


@frameworks_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def frameworks_validate(paths: tuple[Path, ...]) -> None:
    """Validate framework files; print every problem as FILE:LINE: MESSAGE; exit 1 if any."""
    bad = False
    for path in paths:
        try:
            fw = frameworks.load_file(path)
            click.echo(f"{path}: ok ({fw.id} v{fw.version}, {len(fw.items)} items, {fw.status})")
        except FrameworkInvalid as exc:
            bad = True
            for err in exc.errors:
                click.echo(str(err), err=True)
        except FrameworkNotFound as exc:
            bad = True
            click.echo(str(exc), err=True)
    sys.exit(1 if bad else 0)


def main() -> None:
    try:
        cli(prog_name="openita")
    except Exception as exc:  # a bug, not bad input: say so without a wall of traceback
        if os.environ.get("OPENITA_DEBUG"):
            raise
        click.echo(
            f"openita: internal error: {type(exc).__name__}: {exc} "
            "(set OPENITA_DEBUG=1 to see the traceback; please report it)",
            err=True,
        )
        sys.exit(3)


if __name__ == "__main__":
    main()
