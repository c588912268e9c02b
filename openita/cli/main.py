"""The ``openita`` command. Its commands, options and output are a contract: see docs/cli.md.

Exit status: 0 done; 1 ``frameworks validate`` found problems; 2 bad input or usage (one line
per problem on stderr, naming the file and row); 3 an internal error (a bug: please report).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from openita import __version__

# Only click and the standard library at import time: 'openita --help' and every command's
# --help must start fast (docs/decisions/0018-cli-start-up.md). What a command needs (the
# engine, pydantic, the document renderers, matplotlib, Django) is imported in its body.
if TYPE_CHECKING:
    from openita.documents.model import Document
    from openita.engine import Analysis, Result
    from openita.importers.reports import ReportFindings, YearFindings
    from openita.plans import Agency, Plan, Results
    from openita.plans.nextyear import NextYear

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
        except Exception as exc:
            found = _user_problem(exc)
            if found is None:
                raise
            _fail(*found)

    return wrapper  # type: ignore[return-value]


def _user_problem(exc: Exception) -> tuple[list[str], int] | None:
    """The lines and exit status of bad input; None for anything else (a bug, or click's own
    exceptions). An exception's class can only have been raised once its module was imported:
    each is looked for only then, so no error path imports anything new."""
    loaded = sys.modules
    if "openita.importers.scores" in loaded:
        from openita.importers.scores import InputInvalid

        if isinstance(exc, InputInvalid):
            return [str(p) for p in exc.problems], 2
    if "openita.frameworks.loader" in loaded:
        from openita.frameworks.loader import FrameworkInvalid, FrameworkNotFound

        if isinstance(exc, FrameworkInvalid):
            return [f"framework does not validate: {e}" for e in exc.errors], 2
        if isinstance(exc, FrameworkNotFound):
            return [str(exc)], 2
    if "openita.plans.files" in loaded:
        from openita.plans.files import PlanInvalid

        if isinstance(exc, PlanInvalid):
            return list(exc.problems), 2
    if "openita.documents.pdf" in loaded:
        from openita.documents.pdf import PdfUnavailable

        if isinstance(exc, PdfUnavailable):
            return [str(exc)], 4
    return None


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


def history_option(help_text: str) -> Callable[[F], F]:
    """--history FILE, repeatable: scores of earlier years."""
    return click.option(
        "--history",
        "-H",
        "history",
        multiple=True,
        type=click.Path(path_type=Path),
        metavar="FILE",
        help=help_text,
    )


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON object on stdout instead of tables."
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="openita")
def cli() -> None:
    """OpenITA: score, analyse and plan for the ITA (การประเมินคุณธรรมและความโปร่งใส).

    Start with 'openita demo --serve' (the web app with demo data), 'openita example' (the
    analysis of an example agency), or 'openita analyze FILE' on your own scores.
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
    e.g. IIT raw answers plus OIT item scores. Where the file gives NACC's published
    indicator, tool or total figures beside their parts, those are printed.
    """
    from openita.cli import render
    from openita.engine import official
    from openita.importers import load_result

    result = official(load_result(files, framework))
    if as_json:
        _emit_json(render.result_json(result))
    else:
        click.echo(render.result_text(result))


@cli.command("analyze")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@history_option(
    "Scores of an earlier year, for the trend and the consistency "
    "check; repeat for more years. The year comes from the file's fiscal_year row, "
    "else from a year like 2564 in its name."
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
    from openita.importers import load_result

    result = load_result(files, framework)
    past = _load_history(history, framework)
    _print_analysis(result, past, as_json)


def _load_history(paths: Sequence[Path], framework: str | None) -> list[Result]:
    from openita.importers import InputInvalid, load_result

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
    from openita.cli import render
    from openita.engine import analyze

    analysis = analyze(result, past)
    if as_json:
        _emit_json(render.analysis_json(analysis))
    else:
        click.echo(render.analysis_text(analysis))


@cli.command()
@click.option("--serve", "then_serve", is_flag=True, help="Start the web app afterwards.")
@click.option("--port", default=8000, show_default=True, help="Port for --serve.")
@click.option("--debug", is_flag=True, help="Show Django's debug pages (for developers).")
@click.option(
    "--national",
    is_flag=True,
    help="Also load a synthetic country (fictional agencies over the 77 provinces).",
)
@click.option(
    "--agencies",
    type=click.IntRange(1, 100_000),
    default=8300,
    show_default=True,
    help="With --national: how many agencies.",
)
@click.option(
    "--years",
    type=click.IntRange(1, 10),
    default=5,
    show_default=True,
    help="With --national: fiscal years of results, ending FY2569.",
)
@click.option("--seed", type=int, default=1, show_default=True, help="With --national: seed.")
def demo(
    then_serve: bool, port: int, debug: bool, national: bool, agencies: int, years: int, seed: int
) -> None:
    """Set up the web app with demo data: create or migrate the database, load a demo province
    with a few fictional agencies and three years of results, print the demo logins. Safe to
    run twice. The database is SQLite in ./.openita unless DATABASE_URL names another. Errors
    show the Thai error pages unless --debug; logins last 8 hours (OPENITA_SESSION_HOURS).

    --national also loads a synthetic country (8,300 fictional agencies by default, item
    results of five years, plans for some): loading it again with the same seed gives the
    same data, and replaces the synthetic agencies only.
    """
    from openita.web import cli as web

    web.configure(debug=debug, demo=True)
    web.prepare_demo(click.echo)
    if national:
        web.prepare_national(agencies=agencies, years=years, seed=seed, echo=click.echo)
    if then_serve:
        click.echo(f"Open http://127.0.0.1:{port}/ (Ctrl+C to stop)")
        web.serve(port)


@cli.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Compute what is due as on this day (default: today).",
)
@click.option("--days", type=click.IntRange(0, 365), help="Days ahead to remind (default 14).")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and record nothing.")
def remind(today: Any, days: int | None, dry_run: bool) -> None:
    """Send the web app's e-mail reminders that are due: measures whose deadline is near, a
    reporting round about to end (to officers and unit heads with a unit link), and a round
    ended without a submitted report (to executives). Each is sent once; run it daily
    (docs/reminders.md). Migrates the database first; the same as 'python -m django
    send_reminders'.
    """
    from openita.web.reminders import cli as reminders

    reminders.remind(
        today=today.date() if today else None, days=days, dry_run=dry_run, echo=click.echo
    )


@cli.command("stats")
@click.option("--year", type=int, required=True, help="Fiscal year (B.E.), e.g. 2568.")
@click.option("--region", help="Region code (north, northeast, central, east, west, south).")
@click.option("--province", help="Province, Thai or English name (จังหวัด/จ. prefix optional).")
@click.option("--district", help="District (อำเภอ) of --province.")
@click.option("--type", "kind", help="Agency type: sao, tambon, town, city, pao, other.")
@json_option
def stats(
    year: int,
    region: str | None,
    province: str | None,
    district: str | None,
    kind: str | None,
    as_json: bool,
) -> None:
    """Figures across agencies from the web app's database (DATABASE_URL or the default
    SQLite): agencies, results, mean total, pass rate against the national target, ratings,
    qualitative levels, weakest indicators and, without --province, each province. The same
    figures as the web app's overview page (docs/cli.md)."""
    from openita.web.overview import cli as overview

    try:
        found = overview.stats(
            year=year, region=region, province=province, district=district, kind=kind
        )
    except overview.StatsRefused as exc:
        _fail([str(exc)])
    if as_json:
        click.echo(overview.dump(found))
    else:
        overview.print_text(found, click.echo)


@cli.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option("--debug", is_flag=True, help="Show Django's debug pages (for developers).")
def serve(port: int, debug: bool) -> None:
    """Start the web app on 127.0.0.1 (migrates first). For production use gunicorn with
    openita.web.settings_production (docs/deploy.md). Errors show the Thai error pages unless
    --debug; a secret key is kept in the data directory unless SECRET_KEY is set."""
    from openita.web import cli as web

    web.configure(debug=debug)
    web.serve(port)


@cli.command()
@json_option
@user_errors
def example(as_json: bool) -> None:
    """Analyse the bundled example agency (seed 003: FY2565 items, FY2563-2564 indicators)."""
    from openita.importers import load_result

    result = load_result([EXAMPLES / "bansong-2565.csv"], None, label="เทศบาลตำบลบ้านส้อง")
    past = [load_result([EXAMPLES / f"bansong-{y}.csv"], None) for y in (2563, 2564)]
    if not as_json:
        click.echo(
            "ตัวอย่าง / Example: เทศบาลตำบลบ้านส้อง (จากเอกสารที่เผยแพร่ / from its published report)\n"
        )
    _print_analysis(result, past, as_json)


FORMATS = ("pdf", "docx", "html")


def _format_of(output: Path, explicit: str | None) -> str:
    fmt = explicit or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.UsageError(
            f"cannot tell the format of '{output}': use .pdf, .docx or .html, or --format"
        )
    return fmt


def write_document(doc: Document, output: Path, fmt: str) -> None:
    """Render and write atomically: a failed render never leaves a half-written file."""
    from openita.documents import html, pdf

    if fmt == "pdf":
        data = pdf.render_pdf(doc)
    elif fmt == "docx":
        from openita.documents.docx import render_docx

        data = render_docx(doc)
    else:
        data = html.render_html(doc).encode("utf-8")
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"{output}: {fmt.upper()}, {len(data):,} bytes", err=True)


def output_options(func: F) -> F:
    func = click.option(
        "--thai-digits",
        is_flag=True,
        help="Print numbers, dates and page numbers in Thai digits (๐-๙).",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format; default: from the extension of -o.",
    )(func)
    return click.option(
        "--output",
        "-o",
        required=True,
        type=click.Path(path_type=Path),
        help="The file to write (.pdf, .docx or .html).",
    )(func)


@cli.group("report")
def report_group() -> None:
    """Make the official Thai documents as PDF, DOCX or HTML.

    analysis: the results analysis; plan: the integrity measures plan; progress: the 6- or
    12-month progress report; memo: the covering memo (บันทึกข้อความ) to the executive.
    """


def _warn(lines: Sequence[str]) -> None:
    """What the officer should check before sending the document: on stderr, never in it."""
    for line in lines:
        click.echo(f"warning: {line}", err=True)


def _figure_warnings(analysis: Analysis) -> list[str]:
    """Published figures the engine's recomputation does not give (beyond rounding)."""
    return [
        f"{m.year} {m.code}: the document prints the given {m.claimed:.2f}; its parts give "
        f"{m.computed:.2f} (difference {m.difference:+.2f}): check the source"
        for m in analysis.mismatches
    ]


def _read_emblem(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot read {path}: {exc.strerror}", param_hint="--emblem"
        ) from None


def _read_text(path: Path, option: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise click.BadParameter(f"cannot read {path}: {why}", param_hint=option) from None


def _read_lines(path: Path | None, option: str) -> list[str]:
    """Non-blank lines of a text file, each one entry."""
    if path is None:
        return []
    return [line.strip() for line in _read_text(path, option).splitlines() if line.strip()]


def _read_paragraphs(path: Path | None, option: str) -> list[str]:
    """Paragraphs of a text file (parted by blank lines), each joined onto one line."""
    if path is None:
        return []
    text = _read_text(path, option).replace("\r\n", "\n")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


COVER = click.option("--cover", is_flag=True, help="Start with a cover page (emblem, title, year).")


def _plan_emblem(plan: Plan, plan_file: Path) -> bytes | None:
    from openita.documents.kinds import memo as memo_doc

    return memo_doc.emblem_bytes(plan.agency.emblem, plan_file.resolve().parent)


@report_group.command("analysis")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--agency", required=True, help="The agency's name as it should be printed.")
@click.option(
    "--recommendations",
    type=click.Path(path_type=Path),
    help="A UTF-8 text file of NACC's own recommendations (ข้อเสนอแนะเพิ่มเติมของสำนักงาน "
    "ป.ป.ช.), one per line.",
)
@click.option("--issuer", help="The closing issuer line (ผู้จัดทำ); default: the agency.")
@click.option(
    "--issued",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date the analysis is issued (ISO, e.g. 2023-02-01): its month and B.E. year are "
    "printed under the foreword and the issuer line.",
)
@click.option(
    "--foreword",
    type=click.Path(path_type=Path),
    help="A UTF-8 text file with the คำนำ (blank lines part paragraphs); default: drafted.",
)
@click.option("--emblem", type=click.Path(path_type=Path), help="Emblem PNG for the cover page.")
@COVER
@click.option(
    "--year",
    type=int,
    help="Fiscal year (B.E.) of the results; default: the file's fiscal_year row.",
)
@history_option("Scores of an earlier year for the trend; repeatable.")
@framework_option
@output_options
@user_errors
def report_analysis(
    files: tuple[Path, ...],
    agency: str,
    year: int | None,
    history: tuple[Path, ...],
    framework: str | None,
    output: Path,
    fmt: str | None,
    thai_digits: bool,
    recommendations: Path | None,
    issuer: str | None,
    issued: Any,
    foreword: Path | None,
    emblem: Path | None,
    cover: bool,
) -> None:
    """The results analysis (การวิเคราะห์ผลการประเมิน ITA) of one fiscal year.

    FILE: the year's scores, as for 'openita score'. Where it gives NACC's published
    indicator, tool or total figures beside the items, the document prints those; a
    recomputation that differs beyond rounding is a warning on stderr.
    """
    from openita.documents.kinds import analysis as analysis_doc
    from openita.engine import analyze
    from openita.importers import load_result
    from openita.measures.catalog import directions_for

    kind = _format_of(output, fmt)
    result = load_result(files, framework, fiscal_year=year)
    if result.fiscal_year is None:
        raise click.UsageError("the fiscal year of the results is unknown: give --year")
    past = _load_history(history, framework)
    analysis = analyze(result, past)
    doc = analysis_doc.build(
        analysis,
        agency=agency,
        thai_digits=thai_digits,
        directions=directions_for(result.framework),
        recommendations=_read_lines(recommendations, "--recommendations"),
        issuer=issuer,
        issued=issued.date() if issued else None,
        foreword="\n\n".join(_read_paragraphs(foreword, "--foreword")) or None,
        cover=cover,
        emblem_png=_read_emblem(emblem),
    )
    write_document(doc, output, kind)
    _warn(_figure_warnings(analysis))


def _plan_directions(plan: Plan) -> dict[str, str]:
    from openita.measures.catalog import directions_for
    from openita.plans.results import plan_analysis

    analysis = plan_analysis(plan)
    return directions_for(analysis.result.framework) if analysis else {}


@report_group.command("plan")
@click.argument("plan_file", metavar="PLAN.yaml", type=click.Path(path_type=Path))
@COVER
@output_options
@user_errors
def report_plan(
    plan_file: Path, output: Path, fmt: str | None, thai_digits: bool, cover: bool
) -> None:
    """The integrity measures plan (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน)."""
    from openita.documents.kinds import plan as plan_doc
    from openita.plans import load_plan
    from openita.plans.results import plan_analysis

    kind = _format_of(output, fmt)
    plan = load_plan(plan_file)
    doc = plan_doc.build(
        plan,
        directions=_plan_directions(plan),
        thai_digits=thai_digits,
        cover=cover,
        emblem_png=_plan_emblem(plan, plan_file) if cover else None,
    )
    write_document(doc, output, kind)
    analysis = plan_analysis(plan)
    _warn(_figure_warnings(analysis) if analysis else [])


ROUND = click.option(
    "--round",
    "months",
    type=click.Choice(["6", "12"]),
    required=True,
    help="The reporting round: 6 (Oct-Mar) or 12 months (Oct-Sep).",
)


@report_group.command("progress")
@click.argument("plan_file", metavar="PLAN.yaml", type=click.Path(path_type=Path))
@ROUND
@COVER
@output_options
@user_errors
def report_progress(
    plan_file: Path, months: str, output: Path, fmt: str | None, thai_digits: bool, cover: bool
) -> None:
    """The progress report of a round: per measure what was done, outcome and status.

    A measure with nothing entered for the round shows the earlier round's entry, marked as
    carried forward; a round with nothing entered is a warning on stderr.
    """
    from openita.documents.kinds import progress as progress_doc
    from openita.plans import load_plan, rounds

    kind = _format_of(output, fmt)
    plan = load_plan(plan_file)
    doc = progress_doc.build(
        plan,
        int(months),
        thai_digits=thai_digits,
        cover=cover,
        emblem_png=_plan_emblem(plan, plan_file) if cover else None,
    )
    write_document(doc, output, kind)
    _warn(rounds.round_warnings(plan, int(months)))


@report_group.command("memo")
@click.argument("plan_file", metavar="PLAN.yaml", type=click.Path(path_type=Path))
@ROUND
@output_options
@user_errors
def report_memo(
    plan_file: Path, months: str, output: Path, fmt: str | None, thai_digits: bool
) -> None:
    """The covering memo (บันทึกข้อความ) of a round's progress report to the executive.

    Its reference number, date and the executive's decision come from the plan file's
    'memos' section (a missing date or number is a dotted blank and a warning, never today's
    date); the emblem from 'agency.emblem' (its space is kept when absent, with a warning on
    stderr). Laid out as the correspondence regulation's template: labels bold 20 pt,
    paragraphs indented 2.5 cm, page numbers from page 2 at the top.
    """
    from openita.documents.kinds import memo as memo_doc
    from openita.plans import load_plan, rounds

    kind = _format_of(output, fmt)
    plan = load_plan(plan_file)
    doc = memo_doc.build(
        plan, int(months), thai_digits=thai_digits, base=plan_file.resolve().parent
    )
    if not plan.agency.emblem:
        click.echo(
            f"warning: {plan_file}: agency.emblem is not set: the memo has no Garuda emblem "
            "(its place stays empty); set agency.emblem to the emblem's PNG file",
            err=True,
        )
    write_document(doc, output, kind)
    _warn([*rounds.round_warnings(plan, int(months)), *rounds.memo_warnings(plan, int(months))])


@cli.group("plan")
def plan_group() -> None:
    """Draft and check plan files (the agency's integrity measures for a fiscal year)."""


@plan_group.command("draft")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--agency", help="The agency's name (or give --agency-file).")
@click.option(
    "--agency-file",
    type=click.Path(path_type=Path),
    metavar="AGENCY.yaml",
    help="The agency's details: name, units, signers, memo settings, emblem.",
)
@click.option(
    "--year", type=int, help="The plan's fiscal year (B.E.); default: the year after the results."
)
@history_option("Scores of an earlier year, kept in the plan; repeatable.")
@framework_option
@click.option(
    "--focus",
    metavar="INDICATOR",
    help="For frameworks that plan on one indicator (FY2569 on, O25): the indicator to build "
    "the measures on, e.g. ind3. Default: the lowest-scoring indicator.",
)
@click.option(
    "--focus-note",
    default="",
    metavar="TEXT",
    help="Why the focus indicator was chosen (e.g. the risk the agency sees); kept in the plan.",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The plan file to write (YAML).",
)
@click.option("--force", is_flag=True, help="Replace the plan file if it exists.")
@user_errors
def plan_draft(
    files: tuple[Path, ...],
    agency: str | None,
    agency_file: Path | None,
    year: int | None,
    history: tuple[Path, ...],
    framework: str | None,
    focus: str | None,
    focus_note: str,
    output: Path,
    force: bool,
) -> None:
    """Draft a plan from a year's results, with measures from the catalog of the results'
    framework. Frameworks that plan a measure for every weak item (to FY2568): every item
    under the pass mark and every OIT item at 0 gets a measure, strongest gaps first.
    Frameworks that plan on one indicator (FY2569 on): the lowest indicator, or --focus,
    gets the measures, then the plan and report items. Edit it, then make the documents with
    'openita report plan'.

    FILE: the results year's scores, as for 'openita score'.
    """
    from openita.cli import render
    from openita.engine import analyze
    from openita.importers import load_result
    from openita.measures.catalog import CatalogInvalid, CatalogNotFound
    from openita.plans import load_agency, save_plan
    from openita.plans.draft import FocusRefused, draft_plan

    if (agency is None) == (agency_file is None):
        raise click.UsageError("give the agency: --agency NAME or --agency-file AGENCY.yaml")
    if output.exists() and not force:
        raise click.UsageError(f"{output} exists: use --force to replace it")
    details = load_agency(agency_file) if agency_file else _agency_named(agency or "")
    result = load_result(files, framework)
    past = _load_history(history, framework)
    try:
        plan = draft_plan(
            analyze(result, past),
            agency=details,
            fiscal_year=year,
            history=past,
            focus=focus,
            focus_note=focus_note,
        )
    except FocusRefused as exc:
        _fail([f"--focus {focus}: {exc}" if focus else str(exc)])
    except CatalogNotFound as exc:
        _fail([str(exc)])
    except CatalogInvalid as exc:
        _fail(exc.messages)
    save_plan(plan, output)
    click.echo(
        f"{output}: plan for fiscal year {plan.fiscal_year}, {len(plan.measures)} measures",
        err=True,
    )
    if plan.focus is not None:
        score = result.scores[plan.focus.indicator]
        why = "the lowest" if plan.focus.reason == "lowest" else "chosen"
        click.echo(
            f"focus indicator: {plan.focus.indicator} {render.fmt(score)} ({why}): "
            f"{result.framework.name_of(plan.focus.indicator)}",
            err=True,
        )


def _agency_named(name: str) -> Agency:
    from pydantic import ValidationError

    from openita.plans import Agency

    try:
        return Agency(name=name)
    except ValidationError as exc:
        _fail([f"--agency {name!r}: {e['msg']}" for e in exc.errors()])


@plan_group.command("check-catalog")
def plan_check_catalog() -> None:
    """Check the catalog of measures: the built-in files and your own (OPENITA_CATALOG_DIR,
    else ~/.config/openita/catalog): every entry, and every framework's list of the codes each
    entry serves, against the frameworks installed. Prints each problem as FILE:LINE: message
    and exits 1 when there is one.
    """
    from openita.measures.catalog import check_catalog, served_frameworks

    problems = check_catalog()
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    listed = ", ".join(served_frameworks())
    click.echo(f"catalog of measures: no problem (frameworks listed: {listed})")


@plan_group.command("next")
@click.argument("plan_file", type=click.Path(path_type=Path), metavar="PLAN.yaml")
@click.option(
    "--results",
    "results_files",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="SCORES",
    help="Scores of the plan's fiscal year (the results next year's plan answers), as for "
    "'openita score'; repeat to read several files as one. They replace the plan's results, "
    "and the measures are compared with them.",
)
@framework_option
@click.option(
    "--focus",
    metavar="INDICATOR",
    help="When the results' framework plans on one indicator (FY2569 on): next year's focus "
    "indicator, e.g. ind3. Default: the lowest of the results. Needs --results.",
)
@click.option(
    "--focus-note", default="", metavar="TEXT", help="Why the focus indicator was chosen."
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(path_type=Path),
    help="The next year's plan file to write (YAML).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@user_errors
def plan_next(
    plan_file: Path,
    results_files: tuple[Path, ...],
    framework: str | None,
    focus: str | None,
    focus_note: str,
    output: Path,
    force: bool,
) -> None:
    """Start next fiscal year's plan from this year's: the measures copied with their progress
    emptied and their deadlines a year later, the codes of the findings behind each measure
    kept, memos and publication date cleared, the foreword's years moved on.

    With --results, prints the weak items of the new results that no measure addresses (add
    measures for them) and the measures whose items all pass now (they may be dropped). When
    the results' framework plans on one focus indicator (FY2569 on) and the plan did not, or
    the other way round, it says so: only the measures on the focus indicator are carried (the
    others are listed), or the focus is dropped.
    """
    from openita.plans import load_plan, save_plan
    from openita.plans.draft import FocusRefused
    from openita.plans.nextyear import next_year_plan

    if output.exists() and not force:
        _fail([f"{output}: exists: use --force to replace it"])
    if (focus or focus_note) and not results_files:
        _fail(["--focus needs --results: the focus is chosen from the results of the plan's year"])
    plan = load_plan(plan_file)
    results = _plan_year_results(plan, results_files, framework) if results_files else None
    try:
        found = next_year_plan(plan, results=results, focus=focus, focus_note=focus_note)
    except FocusRefused as exc:
        _fail([f"--focus {focus}: {exc}" if focus else str(exc)])
    except ValueError as exc:
        _fail([f"{results_files[0]}: {exc}"])
    save_plan(found.plan, output)
    click.echo(_next_year_text(found))
    click.echo(
        f"{output}: plan for fiscal year {found.plan.fiscal_year}, "
        f"{len(found.plan.measures)} measures",
        err=True,
    )


def _next_year_text(found: NextYear) -> str:
    from openita.cli import render, terminal

    if not found.compared:
        return (
            "No results given (--results): the plan keeps its results; compare the measures "
            "with the results of the plan's year before publishing."
        )
    lines = _approach_lines(found)
    lines.append(f"Not addressed by any measure ({len(found.uncovered)}): add measures")
    lines += [
        f"  {f.code:<7} {render.fmt(f.score):>6}  {terminal.short(f.name)}" for f in found.uncovered
    ] or ["  none"]
    lines.append(f"Measures whose items all pass now ({len(found.resolved)}): may be dropped")
    lines += [
        f"  {r.measure_id:<7} {r.title}  ("
        + ", ".join(f"{code} {render.fmt(score)}" for code, score in r.scores)
        + ")"
        for r in found.resolved
    ] or ["  none"]
    return "\n".join(lines)


def _approach_lines(found: NextYear) -> list[str]:
    """What changed in the planning approach between this year's plan and next year's."""
    focus = found.plan.focus
    results = found.plan.results
    framework = results.framework if results else "?"
    if focus is None:
        if found.approach == "from_focus":
            return [
                f"Framework {framework} plans a measure for every weak item, not one focus "
                "indicator: the focus is dropped and every measure is carried."
            ]
        return []
    why = "the lowest" if focus.reason == "lowest" else "chosen"
    head = f"Focus indicator: {focus.indicator} ({why})"
    if found.approach == "same":
        return [head]
    lines = [
        (
            f"Framework {framework} plans on one focus indicator; this year's plan did not: "
            if found.approach == "to_focus"
            else "The focus indicator changed: "
        )
        + f"only the measures on {focus.indicator} and on the plan and report items are carried.",
        head,
        f"Not carried ({len(found.not_carried)}):",
    ]
    lines += [
        f"  {m.measure_id:<7} {m.title}  ({', '.join(m.addresses)})" for m in found.not_carried
    ] or ["  none"]
    if found.drafted:
        lines.append(
            f"Drafted from the catalog (for {focus.indicator}, or for the plan and report "
            f"items): {', '.join(found.drafted)}"
        )
    return lines


def _plan_year_results(plan: Plan, files: Sequence[Path], framework: str | None) -> Results:
    """The scores of the plan's fiscal year; a file without a year is taken as that year."""
    from openita.importers import load_result
    from openita.plans import Results
    from openita.plans.draft import year_scores

    result = load_result(files, framework)
    if result.fiscal_year is None:
        result = load_result(files, framework, fiscal_year=plan.fiscal_year)
    if result.fiscal_year != plan.fiscal_year:
        _fail(
            [
                f"{files[0]}: the scores are of fiscal year {result.fiscal_year}; next year's "
                f"plan answers the results of the plan's year {plan.fiscal_year}"
            ]
        )
    return Results(framework=result.framework.id, current=year_scores(result))


@cli.command("check")
@click.argument("document", type=click.Path(path_type=Path))
@user_errors
def check_document(document: Path) -> None:
    """Point out the slips of a published document (PDF or text): other agencies' names left
    from copy-paste, a plan year that changes, a total or score that its own figures do not
    give. Prints FILE:LINE: message per slip; exit 1 when there is any, 0 when none.
    """
    from openita.importers.slips import check_file

    findings, found = check_file(document)
    for slip in found:
        where = f"{document}:{slip.line}" if slip.line else str(document)
        click.echo(f"{where}: {slip.message}")
    if not findings.usable and not found:
        click.echo(f"{document}: no ITA figures found to check", err=True)
    if found:
        sys.exit(1)
    click.echo(f"{document}: no slips found", err=True)


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
    from openita import frameworks
    from openita.cli import terminal
    from openita.frameworks import FrameworkInvalid, FrameworkNotFound

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
        terminal.table(
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
    from openita import frameworks
    from openita.cli import render

    fw = frameworks.get(ref)
    if as_json:
        _emit_json(render.framework_json(fw))
    else:
        click.echo(render.framework_text(fw))


@frameworks_group.command("diff")
@click.argument("old_ref", metavar="OLD")
@click.argument("new_ref", metavar="NEW")
@click.option(
    "--propose-mapping",
    "propose",
    is_flag=True,
    help="Print a mapping file proposed from the titles (YAML), to review and save.",
)
@json_option
@user_errors
def frameworks_diff(old_ref: str, new_ref: str, propose: bool, as_json: bool) -> None:
    """What changed from framework OLD to NEW: items moved, renamed, added, removed, and the
    indicators whose items changed (titles compared after normalising the Thai)."""
    from openita import frameworks
    from openita.cli import render
    from openita.frameworks import diff as fwdiff

    old, new = frameworks.get(old_ref), frameworks.get(new_ref)
    found = fwdiff.diff(old, new)
    if propose:
        click.echo(fwdiff.proposed_mapping_yaml(found), nl=False)
    elif as_json:
        _emit_json(fwdiff.as_json(found))
    else:
        click.echo(render.diff_text(found, old, new))


@frameworks_group.command("mapping")
@click.argument("old_ref", metavar="OLD")
@click.argument("new_ref", metavar="NEW")
@json_option
@user_errors
def frameworks_mapping(old_ref: str, new_ref: str, as_json: bool) -> None:
    """The reviewed item mapping from OLD to NEW (mapping files composed along the years)."""
    from openita.cli import terminal
    from openita.frameworks import mappings

    try:
        found = mappings.get(old_ref, new_ref)
    except mappings.MappingNotFound as exc:
        _fail([str(exc)])
    pairs = [
        {"old": p.old, "new": p.new, "confidence": p.confidence, "note": p.note}
        for p in found.pairs
    ]
    if as_json:
        _emit_json(
            {
                "from": found.source,
                "to": found.target,
                "chain": list(found.chain),
                "status": found.status,
                "same_codes": list(found.same_codes),
                "pairs": pairs,
                "removed": sorted(found.removed, key=_code_order),
                "added": sorted(found.added, key=_code_order),
            }
        )
        return
    click.echo(f"{found.source} -> {found.target} ({' -> '.join(found.chain)}, {found.status})")
    if found.same_codes:
        click.echo(f"same codes: {', '.join(found.same_codes)}")
    click.echo(
        terminal.table(
            ["old", "new", "confidence", "note"],
            [[p.old, p.new, p.confidence, terminal.short(p.note or "", 70)] for p in found.pairs],
        )
    )
    click.echo("removed: " + (", ".join(sorted(found.removed, key=_code_order)) or "-"))
    click.echo("added: " + (", ".join(sorted(found.added, key=_code_order)) or "-"))


def _code_order(code: str) -> tuple[str, int]:
    prefix = code.rstrip("0123456789")
    return (prefix, int(code[len(prefix) :] or 0))


def _is_mapping_file(path: Path) -> bool:
    """A mapping file names its two frameworks (``from:`` and ``to:``)."""
    if "__" in path.stem:
        return True
    try:
        head = path.read_text(encoding="utf-8-sig")[:4000]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("from:") for line in head.splitlines())


@frameworks_group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def frameworks_validate(paths: tuple[Path, ...]) -> None:
    """Validate framework or mapping files; print every problem as FILE:LINE: MESSAGE; exit 1
    if any."""
    from openita import frameworks
    from openita.frameworks import FrameworkInvalid, FrameworkNotFound, mappings

    bad = False
    for path in paths:
        try:
            if _is_mapping_file(path):
                found = mappings.load_file(path)
                click.echo(
                    f"{path}: ok (mapping {found.source} -> {found.target}, "
                    f"{len(found.pairs)} pairs)"
                )
                continue
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


# --- import: earlier reports, and templates to fill in ------------------------------------


@cli.group("import")
def import_group() -> None:
    """Bring earlier results in: the text or PDF of a published ITA report."""


def _report_year_lines(year: YearFindings) -> list[str]:
    from openita.cli import render, terminal

    if year.headline_only:
        state = "headline only (a stated total and rating; no scores to analyse)"
    else:
        state = "complete" if year.complete else "PARTIAL (incomplete: not saved)"
    head = f"FY{year.year} ({year.framework or '?'}): {state}"
    lines = [head, "-" * len(head)]
    rows = [
        [
            fig.code,
            render.fmt(fig.value),
            str(fig.where.line),
            fig.how,
            terminal.short(" ".join(fig.where.text.split()), 60),
        ]
        for bucket in (year.indicators, year.sub_indicators, year.items)
        for fig in bucket.values()
    ]
    if rows:
        lines.append(terminal.table(["code", "score", "line", "how", "found in"], rows, (1, 2)))
    if not year.headline_only:
        lines.append(
            f"computed total: {render.fmt(year.computed_total)}"
            + (f"  rating {year.computed_rating}" if year.computed_rating else "")
        )
    for claim in [*year.totals, *year.tools]:
        verdict = {True: "agrees", False: "DISAGREES", None: "not checked"}[claim.agrees]
        where = f"line {claim.where.line}, {claim.how}"
        lines.append(f"claimed {claim.code} {claim.value:g} ({where}): {verdict}")
    for rating in year.ratings:
        lines.append(f"claimed rating {rating.value} (line {rating.where.line})")
    return lines


def _report_text(found: ReportFindings) -> str:
    agency = found.agency
    lines = [
        f"{found.source}: "
        + (
            f"{agency.name} (line {agency.where.line}, named {agency.count} times)"
            if agency
            else "agency not found"
        )
        + (f", results of FY{found.results_year}" if found.results_year else "")
    ]
    for year in found.years.values():
        lines += ["", *_report_year_lines(year)]
    if found.problems:
        lines += ["", "problems:"] + [f"  {p}" for p in found.problems]
    return "\n".join(lines)


@import_group.command("report")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--year",
    "years",
    type=int,
    multiple=True,
    metavar="YYYY",
    help="Only these fiscal years (B.E.); repeat for more.",
)
@click.option(
    "--save-dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Write one score file per complete year, DIR/<agency>-<year>.csv, after "
    "asking for each (headline-only years have no score file). Without it nothing is "
    "written.",
)
@click.option("--yes", is_flag=True, help="Save without asking (with --save-dir).")
@click.option("--force", is_flag=True, help="Replace score files that exist.")
@json_option
@user_errors
def import_report(
    file: Path,
    years: tuple[int, ...],
    save_dir: Path | None,
    yes: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Read a published ITA report (PDF or text) and show what it holds.

    Agency, fiscal years, indicator, sub-indicator and item scores, claimed totals and
    ratings, each with the line it was found on; each year recomputed and every claim
    checked. A year the document gives only a total and rating for (an announcement, a news
    item, a table of totals) is a headline-only year. Exit 0 when scores or a stated total
    were found, 2 when nothing usable (problems on stderr).
    """
    from openita.importers.report_files import load_report
    from openita.importers.reports import findings_json

    found = load_report(file, years or None)
    if as_json:
        _emit_json(findings_json(found))
    else:
        click.echo(_report_text(found))
    if not found.usable:
        _fail([f"{file}: {p}" for p in found.problems])
    if save_dir is not None:
        _save_years(found, save_dir, yes=yes, force=force)


def _save_years(found: ReportFindings, directory: Path, *, yes: bool, force: bool) -> None:
    from openita.importers.report_files import save_year, target_path

    plans = [(y, target_path(directory, found, y.year)) for y in found.years.values()]
    for year, path in plans:
        if year.headline_only:
            click.echo(f"FY{year.year}: headline only (total and rating), no score file", err=True)
            continue
        if not year.complete:
            click.echo(f"FY{year.year}: incomplete, not saved", err=True)
            continue
        if path.exists() and not force:
            _fail([f"{path}: exists: use --force to replace it"])
        question = f"Save FY{year.year} ({len(year.scores())} scores) to {path}?"
        if yes or click.confirm(question, default=False, err=True):
            save_year(path, year, force=force)
            click.echo(f"saved {path}", err=True)
        else:
            click.echo(f"FY{year.year}: not saved", err=True)


@cli.command("template")
@framework_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    metavar="FILE.csv|FILE.xlsx",
    help="The template to write (format from extension).",
)
@click.option(
    "--level",
    type=click.Choice(["items", "indicators"]),
    default="items",
    show_default=True,
    help="One row per item, or per indicator (older results).",
)
@click.option(
    "--year", "fiscal_year", type=int, metavar="YYYY", help="Fill the fiscal_year row (B.E.)."
)
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@user_errors
def template_command(
    framework: str | None, output: Path, level: str, fiscal_year: int | None, force: bool
) -> None:
    """Write a score template to fill in: code, score and the Thai label of every item (or
    indicator); 'openita score' reads it back once the scores are filled."""
    from openita import frameworks
    from openita.importers.templates import write_template

    if output.suffix.lower() not in (".csv", ".xlsx"):
        _fail([f"{output}: the template is .csv or .xlsx"])
    if output.exists() and not force:
        _fail([f"{output}: exists: use --force to replace it"])
    fw = (
        frameworks.get(framework)
        if framework
        else (frameworks.for_year(fiscal_year) if fiscal_year else None) or frameworks.default()
    )
    write_template(fw, output, "indicators" if level == "indicators" else "items", fiscal_year)
    click.echo(f"wrote {output} ({fw.id}, {level})")


def _register_subcommands() -> None:
    # Feature command groups live in their own modules (openita/cli/<feature>.py).
    from openita.cli.bulk import import_results
    from openita.cli.jobs import jobs_group
    from openita.cli.oit import oit_group

    cli.add_command(oit_group)
    cli.add_command(jobs_group)
    cli.add_command(import_results)
    cli.add_command(worker)


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Run the web app's background tasks (documents, rescoring, OIT link checks...) until
    stopped: from the database queue, or from Redis with OPENITA_TASKS=rq. 'openita serve'
    and 'openita demo --serve' start one beside the web server; run more for more throughput,
    on any machine that reaches the database (docs/deploy.md, docs/decisions/0019)."""
    from openita.web import cli as web

    web.worker(burst=burst)


_register_subcommands()


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
