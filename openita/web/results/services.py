"""Writes about results: preview an uploaded score file, then save what was previewed.

The preview saves nothing: it reads the file with the importers, scores it with the engine and
lists every problem (file:row). When it is clean, the confirmation carries a signed token of
what was previewed (the figures and the hash of the file's content, and the hash of the
results it replaces); saving checks it, so a double submit saves once and a stale preview
(someone saved that year in between) is refused.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from openita import engine, frameworks
from openita.engine.analysis import TOLERANCE
from openita.engine.rounding import published
from openita.importers import FileProblem, InputInvalid, choose_framework, read_file, result_from
from openita.importers.report_files import load_report
from openita.importers.reports import ReportProblem, YearFindings
from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import actor_name, record
from openita.web.results.models import Assessment, HeadlineResult

TOKEN_SALT = "openita.results.preview"
TOKEN_MAX_AGE = 60 * 60  # seconds a preview may be confirmed


class StalePreview(Exception):
    """The preview cannot be saved: forged, expired, for another agency, or overtaken."""


@dataclass(frozen=True)
class Confirmation:
    """What a clean preview would save; travels signed in the confirm form."""

    agency_id: int
    fiscal_year: int
    framework_id: str
    scores: dict[str, float]
    source_name: str
    content_hash: str
    replaces_hash: str  # content hash of the results on file when previewed ("" for none)

    def token(self) -> str:
        return signing.dumps(self.__dict__, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class FigureWarning:
    """A figure the file gives that its own parts do not give (beyond rounding)."""

    code: str
    given: float
    computed: float
    row: int | None  # the file's row of the given figure

    @property
    def difference(self) -> float:
        return self.given - self.computed


@dataclass(frozen=True)
class Preview:
    source_name: str
    fiscal_year: int
    problems: tuple[FileProblem, ...] = ()
    result: engine.Result | None = None
    confirmation: Confirmation | None = None
    replaces: Assessment | None = field(default=None, compare=False)
    warnings: tuple[FigureWarning, ...] = ()  # shown before saving; saving is still allowed

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.problems


@dataclass(frozen=True)
class Saved:
    assessment: Assessment
    changed: bool  # False when this very content was already saved (a second submit)


def given_figures(result: engine.Result) -> dict[str, float]:
    """The figures a result was scored from: what was not computed, plus claimed figures."""
    given = {c: v for c, v in result.scores.items() if c not in result.computed}
    given.update(result.claimed)
    return given


def figure_warnings(result: engine.Result, rows: dict[str, int | None]) -> list[FigureWarning]:
    """Given totals, tool or indicator figures that the items beside them do not give: more
    than a rounding difference (TOLERANCE, 0.02) away from the recomputed figure, as
    published (2 decimals)."""
    found = []
    for code, given in result.claimed.items():
        computed = published(result.scores[code])
        if abs(given - computed) > TOLERANCE + 1e-9:
            found.append(FigureWarning(code, given, computed, rows.get(code)))
    return found


def _read_upload(path: Path, shown: str) -> tuple[Any, list[FileProblem]]:
    try:
        data = read_file(path)
    except InputInvalid as exc:
        return None, [_renamed(p, path, shown) for p in exc.problems]
    return data, [_renamed(p, path, shown) for p in data.problems]


def _renamed(problem: FileProblem, path: Path, shown: str) -> FileProblem:
    """Problems name the uploaded file, not the temporary copy the importer read."""
    if problem.file == str(path):
        return FileProblem(shown, problem.row, problem.message.replace(str(path), shown))
    return problem


def assessment_preview(
    *,
    agency: Agency,
    fiscal_year: int,
    framework_id: str | None,
    uploaded_file: UploadedFile,
) -> Preview:
    """Read and score an uploaded file (CSV, XLSX, JSON); save nothing."""
    content = b"".join(uploaded_file.chunks())
    shown = Path(uploaded_file.name or "upload.csv").name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="openita-upload-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(content)
        data, problems = _read_upload(path, shown)
        if data is None:
            return Preview(shown, fiscal_year, tuple(problems))
        if data.fiscal_year is not None and data.fiscal_year != fiscal_year:
            message = f"the file is for fiscal year {data.fiscal_year}, not {fiscal_year}"
            problems.append(
                FileProblem(shown, data.where.get("fiscal_year", (0, None))[1], message)
            )
        data.fiscal_year = fiscal_year
        data.problems = [p for p in data.problems if p.file != str(path)] + problems
        try:
            framework = choose_framework(framework_id or None, data)
            result = result_from(data, framework, label=shown)
        except InputInvalid as exc:
            return Preview(
                shown, fiscal_year, tuple(_renamed(p, path, shown) for p in exc.problems)
            )
        except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid) as exc:
            return Preview(shown, fiscal_year, (FileProblem(shown, None, str(exc)),))
    if problems:
        return Preview(shown, fiscal_year, tuple(problems))
    on_file = Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    confirmation = Confirmation(
        agency_id=agency.pk,
        fiscal_year=fiscal_year,
        framework_id=framework.id,
        scores=given_figures(result),
        source_name=shown,
        content_hash=hashlib.sha256(content).hexdigest(),
        replaces_hash=on_file.content_hash if on_file else "",
    )
    rows = {code: row for code, (_, row) in data.where.items()}
    warnings = tuple(figure_warnings(result, rows))
    return Preview(shown, fiscal_year, (), result, confirmation, on_file, warnings)


def confirmation_from_token(token: str, *, agency: Agency) -> Confirmation:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        confirmation = Confirmation(**payload)
    except (signing.BadSignature, TypeError) as exc:
        raise StalePreview("the preview is no longer valid; upload the file again") from exc
    if confirmation.agency_id != agency.pk:
        raise StalePreview("the preview belongs to another agency")
    return confirmation


@transaction.atomic
def assessment_save(*, agency: Agency, confirmation: Confirmation, user: User | None) -> Saved:
    """Save a previewed result: once, and only over the results it was previewed against."""
    if confirmation.agency_id != agency.pk:
        raise StalePreview("the preview belongs to another agency")
    framework = frameworks.get(confirmation.framework_id)
    engine.score(framework, confirmation.scores)  # signed, but never store what cannot score
    on_file = (
        Assessment.objects.select_for_update()
        .filter(agency=agency, fiscal_year=confirmation.fiscal_year)
        .first()
    )
    if on_file is not None and on_file.content_hash == confirmation.content_hash:
        return Saved(on_file, changed=False)
    if (on_file.content_hash if on_file else "") != confirmation.replaces_hash:
        raise StalePreview("the results of this year changed after the preview; upload again")
    before = dict(on_file.scores) if on_file else {}
    target = on_file or Assessment(agency=agency, fiscal_year=confirmation.fiscal_year)
    target.framework_id = confirmation.framework_id
    target.scores = confirmation.scores
    target.source_name = confirmation.source_name
    target.content_hash = confirmation.content_hash
    target.uploaded_by = user
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:  # a concurrent first save of the same year won the race
        raise StalePreview("the results of this year changed after the preview") from None
    old, new = changed_scores(before, confirmation.scores)
    record(
        actor=user,
        agency=agency,
        action=Action.CHANGE if on_file else Action.CREATE,
        obj=target,
        summary=f"ผลการประเมินปีงบประมาณ {target.fiscal_year} ({confirmation.source_name})",
        before=old if on_file else None,
        after=new,
    )
    return Saved(target, changed=True)


def changed_scores(
    before: dict[str, float], after: dict[str, float]
) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Only the codes whose figure differs, as (before, after); a code missing on one side is
    None there. What the audit log keeps of a results change."""
    codes = sorted(c for c in before.keys() | after.keys() if before.get(c) != after.get(c))
    return {c: before.get(c) for c in codes}, {c: after.get(c) for c in codes}


# --- scores entered in a form ------------------------------------------------------------------

ENTRY_SOURCE = "กรอกในแบบฟอร์ม"  # source_name of results entered on the web


class StaleEntry(StalePreview):
    """The year's results changed after the form was opened: who saved them and when."""

    def __init__(self, on_file: Assessment | None) -> None:
        self.on_file = on_file
        self.author = actor_name(on_file.uploaded_by) if on_file is not None else "-"
        self.when = on_file.updated if on_file is not None else None
        super().__init__(f"the results were saved by {self.author} at {self.when} meanwhile")


def entry_stamp(on_file: Assessment | None) -> str:
    """What the form remembers of the results it was opened on, to detect a stale edit."""
    return on_file.updated.isoformat() if on_file is not None else ""


@transaction.atomic
def assessment_enter(
    *,
    agency: Agency,
    fiscal_year: int,
    framework_id: str,
    scores: dict[str, float],
    based_on: str,
    user: User | None,
) -> Saved:
    """Save scores entered in a form, through ``assessment_save`` (one audit entry with the
    changed codes only). The same figures again (a double submit) save nothing; results saved
    by someone else after the form was opened (``based_on``) are not overwritten."""
    on_file = (
        Assessment.objects.select_for_update()
        .filter(agency=agency, fiscal_year=fiscal_year)
        .first()
    )
    if on_file is not None and on_file.framework_id == framework_id and on_file.scores == scores:
        return Saved(on_file, changed=False)
    if entry_stamp(on_file) != based_on:
        raise StaleEntry(on_file)
    content = json.dumps({"framework": framework_id, "scores": scores}, sort_keys=True)
    confirmation = Confirmation(
        agency_id=agency.pk,
        fiscal_year=fiscal_year,
        framework_id=framework_id,
        scores=dict(scores),
        source_name=ENTRY_SOURCE,
        content_hash=hashlib.sha256(content.encode()).hexdigest(),
        replaces_hash=on_file.content_hash if on_file is not None else "",
    )
    return assessment_save(agency=agency, confirmation=confirmation, user=user)


# --- earlier published reports: preview the years found, then save the chosen ones ----------

IMPORT_SALT = "openita.results.import"
REPORT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ClaimRow:
    value: float
    computed: float | None
    off: bool  # the report's figure disagrees with what its scores give
    line: int | None = None  # where the report states it


@dataclass(frozen=True)
class ImportYear:
    """One fiscal year found in a report, ready to show (and, when complete or headline-only
    with a total, to save)."""

    year: int
    framework_id: str | None
    indicators: int
    items: int
    computed_total: float | None
    rating: str | None
    claims: tuple[ClaimRow, ...]
    complete: bool
    on_file: bool  # the agency already has results for this year
    headline_only: bool = False  # only a stated total and rating
    claimed_total: float | None = None
    claimed_rating: str | None = None
    source_line: str = ""
    headline_on_file: bool = False  # a stated total of this year is on file already

    @property
    def savable(self) -> bool:
        if self.headline_only:
            return self.claimed_total is not None and not self.on_file
        return self.complete

    @property
    def distinct_claims(self) -> list[tuple[ClaimRow, int]]:
        """Each figure the report prints once, with how many times it printed it."""
        counts: dict[tuple[float, bool], int] = {}
        first: dict[tuple[float, bool], ClaimRow] = {}
        for claim in self.claims:
            key = (round(claim.value, 2), claim.off)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, claim)
        return [(first[k], n) for k, n in counts.items()]


@dataclass(frozen=True)
class HeadlineConfirmation:
    """A headline-only year a preview would save; travels signed like Confirmation."""

    agency_id: int
    fiscal_year: int
    total: float
    rating: str
    source_name: str
    source_line: str
    content_hash: str
    replaces_hash: str


@dataclass(frozen=True)
class ImportChoice:
    years: tuple[Confirmation, ...] = ()
    headlines: tuple[HeadlineConfirmation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.years or self.headlines)


@dataclass(frozen=True)
class ReportPreview:
    source_name: str
    years: tuple[ImportYear, ...] = ()
    problems: tuple[ReportProblem, ...] = ()
    agency_name: str | None = None
    other_agencies: tuple[str, ...] = ()
    token: str = ""  # signed: every savable year's figures; the form picks which to save

    @property
    def ok(self) -> bool:
        return any(y.savable for y in self.years)

    @property
    def no_text(self) -> bool:
        return any(p.kind == "no_text" for p in self.problems)


def _year_figures(found: YearFindings) -> tuple[str, dict[str, float]]:
    """The framework and the figures to store for a complete year: the items (or indicators)
    and, beside them, the figures the report publishes above them (indicators, tools, total).
    The engine recomputes every node from its parts and keeps a published figure at a computed
    node as the report's claim, so the page and documents can print both and flag a gap."""
    fw = frameworks.get(found.framework) if found.framework else frameworks.for_year(found.year)
    fw = fw or frameworks.default()
    scores = found.scores()
    for code, value in found.published().items():
        if code in scores:
            continue
        with_claim = {**scores, code: value}
        try:
            engine.score(fw, with_claim, fiscal_year=found.year)
            scores = with_claim
        except ValueError:  # a figure the engine cannot take is only dropped
            pass
    engine.score(fw, scores, fiscal_year=found.year)
    return fw.id, scores


def _import_year(found: YearFindings, on_file: bool, headline_on_file: bool) -> ImportYear:
    claims = tuple(
        ClaimRow(c.value, c.computed, c.agrees is False, c.where.line)
        for c in found.totals
        if c.value
    )
    first = next((c for c in found.totals if c.value == found.claimed_total), None)
    return ImportYear(
        year=found.year,
        framework_id=found.framework,
        indicators=len(found.indicators),
        items=len(found.items),
        computed_total=found.computed_total,
        rating=found.computed_rating,
        claims=claims,
        complete=found.complete,
        on_file=on_file,
        headline_only=found.headline_only,
        claimed_total=found.claimed_total,
        claimed_rating=found.rating,
        source_line=" ".join(first.where.text.split())[:500] if first else "",
        headline_on_file=headline_on_file,
    )


def report_preview(*, agency: Agency, uploaded_file: UploadedFile) -> ReportPreview:
    """Read a published report (PDF or text) and list the years found; save nothing."""
    content = b"".join(uploaded_file.chunks())
    shown = Path(uploaded_file.name or "report.txt").name or "report.txt"
    with tempfile.TemporaryDirectory(prefix="openita-report-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(content)
        try:
            findings = load_report(path)
        except InputInvalid as exc:
            problems = tuple(
                ReportProblem("unreadable", _renamed(p, path, shown).message) for p in exc.problems
            )
            return ReportPreview(shown, problems=problems)
    found_years = list(findings.years)
    on_file = {
        a.fiscal_year: a
        for a in Assessment.objects.filter(agency=agency, fiscal_year__in=found_years)
    }
    heads_on_file = {
        h.fiscal_year: h
        for h in HeadlineResult.objects.filter(agency=agency, fiscal_year__in=found_years)
    }
    file_hash = hashlib.sha256(content).hexdigest()
    years, confirmations, headlines = [], [], []
    for year in sorted(findings.years):
        found = findings.years[year]
        shown_year = _import_year(found, year in on_file, year in heads_on_file)
        years.append(shown_year)
        year_hash = hashlib.sha256(f"{file_hash}:{year}".encode()).hexdigest()
        if found.headline_only:
            if shown_year.savable and shown_year.claimed_total is not None:
                before = heads_on_file.get(year)
                headlines.append(
                    HeadlineConfirmation(
                        agency_id=agency.pk,
                        fiscal_year=year,
                        total=shown_year.claimed_total,
                        rating=shown_year.claimed_rating or "",
                        source_name=shown,
                        source_line=shown_year.source_line,
                        content_hash=year_hash,
                        replaces_hash=before.content_hash if before else "",
                    ).__dict__
                )
            continue
        if not found.complete:
            continue
        try:
            framework_id, scores = _year_figures(found)
        except (ValueError, frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
            continue
        replaces = on_file.get(year)
        confirmations.append(
            Confirmation(
                agency_id=agency.pk,
                fiscal_year=year,
                framework_id=framework_id,
                scores=scores,
                source_name=shown,
                content_hash=year_hash,
                replaces_hash=replaces.content_hash if replaces else "",
            ).__dict__
        )
    payload = {"agency_id": agency.pk, "years": confirmations, "headlines": headlines}
    signed = confirmations or headlines
    return ReportPreview(
        source_name=shown,
        years=tuple(years),
        problems=tuple(findings.problems),
        agency_name=findings.agency.name if findings.agency else None,
        other_agencies=tuple(a.name for a in findings.other_agencies),
        token=signing.dumps(payload, salt=IMPORT_SALT, compress=True) if signed else "",
    )


def import_choice_from_token(token: str, *, agency: Agency, chosen: Iterable[int]) -> ImportChoice:
    """The chosen years of a signed report preview (a year not in the preview is ignored)."""
    try:
        payload = signing.loads(token, salt=IMPORT_SALT, max_age=TOKEN_MAX_AGE)
        if payload["agency_id"] != agency.pk:
            raise StalePreview("the preview belongs to another agency")
        offered = [Confirmation(**year) for year in payload["years"]]
        heads = [HeadlineConfirmation(**h) for h in payload.get("headlines", [])]
    except (signing.BadSignature, TypeError, KeyError) as exc:
        raise StalePreview("the preview is no longer valid; upload the report again") from exc
    wanted = set(chosen)
    return ImportChoice(
        tuple(c for c in offered if c.fiscal_year in wanted),
        tuple(h for h in heads if h.fiscal_year in wanted),
    )


def import_years_from_token(
    token: str, *, agency: Agency, chosen: Iterable[int]
) -> list[Confirmation]:
    """The chosen complete years of a signed report preview."""
    return list(import_choice_from_token(token, agency=agency, chosen=chosen).years)


@transaction.atomic
def assessments_import(
    *,
    agency: Agency,
    years: Sequence[Confirmation],
    user: User | None,
    headlines: Sequence[HeadlineConfirmation] = (),
) -> list[Saved]:
    """Save the chosen years of a report, all or none; a year saved already is kept once."""
    saved = [assessment_save(agency=agency, confirmation=c, user=user) for c in years]
    for head in headlines:
        headline_save(agency=agency, confirmation=head, user=user)
    return saved


@dataclass(frozen=True)
class HeadlineSaved:
    headline: HeadlineResult
    changed: bool


@transaction.atomic
def headline_save(
    *, agency: Agency, confirmation: HeadlineConfirmation, user: User | None
) -> HeadlineSaved:
    """Save a year known only by its stated total and rating (never over full results)."""
    if confirmation.agency_id != agency.pk:
        raise StalePreview("the preview belongs to another agency")
    if not 0 <= confirmation.total <= 100:
        raise StalePreview("a total outside 0-100 cannot be saved")
    year = confirmation.fiscal_year
    if Assessment.objects.filter(agency=agency, fiscal_year=year).exists():
        raise StalePreview("full results of this year are on file; a stated total is not saved")
    on_file = (
        HeadlineResult.objects.select_for_update().filter(agency=agency, fiscal_year=year).first()
    )
    if on_file is not None and on_file.content_hash == confirmation.content_hash:
        return HeadlineSaved(on_file, changed=False)
    if (on_file.content_hash if on_file else "") != confirmation.replaces_hash:
        raise StalePreview("the stated total of this year changed after the preview")
    before = (
        {"total": float(on_file.total), "rating": on_file.rating} if on_file is not None else None
    )
    target = on_file or HeadlineResult(agency=agency, fiscal_year=year)
    target.total = Decimal(str(round(confirmation.total, 2)))
    target.rating = confirmation.rating
    target.source_name = confirmation.source_name
    target.source_line = confirmation.source_line
    target.content_hash = confirmation.content_hash
    target.uploaded_by = user
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise StalePreview("the stated total of this year changed after the preview") from None
    record(
        actor=user,
        agency=agency,
        action=Action.CHANGE if on_file else Action.CREATE,
        obj=target,
        summary=(
            f"คะแนนรวมที่ประกาศ ปีงบประมาณ {year}: {confirmation.total:.2f}"
            + (f" ระดับ {confirmation.rating}" if confirmation.rating else "")
            + f" ({confirmation.source_name})"
        ),
        before=before,
        after={"total": round(confirmation.total, 2), "rating": confirmation.rating},
    )
    return HeadlineSaved(target, changed=True)


def refresh_stale_figures(*, batch: int = 500) -> int:
    """Recompute the stored figures of every result whose framework changed since they were
    computed (a corrected framework file, a new version): returns how many were refreshed.
    Scored ``batch`` at a time with the engine's batch scorer (the same figures as one by
    one). Safe to run again and from several processes (each row is written whole)."""
    from openita.web.results import figures

    current: dict[str, tuple[frameworks.Framework | None, str]] = {}
    for fw_id in Assessment.objects.values_list("framework_id", flat=True).distinct():
        try:
            found = frameworks.get(fw_id)
            current[fw_id] = (found, figures.fingerprint(found))
        except (frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
            current[fw_id] = (None, "")
    refreshed = 0
    for fw_id, (framework, key) in current.items():
        stale = Assessment.objects.filter(framework_id=fw_id).exclude(figures_key=key)
        chunk: list[Assessment] = []
        rows = stale.only("pk", "framework_id", "scores", "fiscal_year").order_by("pk")
        for a in rows.iterator(batch):
            chunk.append(a)
            if len(chunk) >= batch:
                refreshed += _refresh_chunk(chunk, framework)
                chunk = []
        if chunk:
            refreshed += _refresh_chunk(chunk, framework)
    return refreshed


def _refresh_chunk(chunk: list[Assessment], framework: frameworks.Framework | None) -> int:
    from openita.engine import batch as batch_scoring
    from openita.web.results import figures

    by_year: dict[int, list[Assessment]] = {}
    for a in chunk:
        by_year.setdefault(a.fiscal_year, []).append(a)
    for year, found in by_year.items():
        if framework is None:
            for a in found:
                figures.apply(a, None)
            continue
        given = [{str(k): float(v) for k, v in a.scores.items()} for a in found]
        for a, fig in zip(
            found, batch_scoring.score_many(framework, given, fiscal_year=year), strict=True
        ):
            figures.apply(a, figures.from_batch(fig, framework))
    with transaction.atomic():
        Assessment.objects.bulk_update(chunk, list(figures.FIELDS))
    return len(chunk)
