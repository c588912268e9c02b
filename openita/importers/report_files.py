"""A report file (PDF or text) -> findings; findings -> one score file per fiscal year."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from openita.engine.rounding import published
from openita.importers.pdftext import PdfTextError, is_pdf, pdf_text
from openita.importers.reports import ReportFindings, YearFindings, read_report
from openita.importers.scores import FileProblem, InputInvalid, decode_text

MAX_BYTES = 50 * 1024 * 1024


def load_report(path: Path, years: Iterable[int] | None = None) -> ReportFindings:
    """Read a published report (PDF or text). Raises InputInvalid when it cannot be read."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid([FileProblem(name, None, f"cannot be read ({exc.strerror})")]) from None
    if len(data) > MAX_BYTES:
        raise InputInvalid([FileProblem(name, None, f"is larger than {MAX_BYTES // 2**20} MB")])
    wanted = list(years) if years is not None else None
    if not is_pdf(data):
        return read_report(
            decode_text(data, name) if data.strip() else "", source=name, years=wanted
        )
    try:
        found = read_report(pdf_text(path, layout=True), source=name, years=wanted)
        if not found.usable and not any(p.kind == "no_text" for p in found.problems):
            plain = read_report(pdf_text(path, layout=False), source=name, years=wanted)
            found = plain if plain.usable else found
    except PdfTextError as exc:
        raise InputInvalid([FileProblem(name, None, str(exc).removeprefix(f"{name}: "))]) from None
    return found


def slug(name: str | None) -> str:
    """A file name part from an agency's name (Thai letters kept)."""
    if not name:
        return "report"
    text = re.sub(r"[^\w\u0e00-\u0e7f]+", "-", name).strip("-")
    return text or "report"


def score_file_text(year: YearFindings) -> str:
    """The year's scores as a ``code,score`` file with ``fiscal_year`` and ``framework`` rows.

    The published tool scores and total go in too: the engine recomputes them from the items
    and keeps these as the report's claims, so ``openita analyze`` lists any that disagree."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "score"))
    writer.writerow(("fiscal_year", year.year))
    if year.framework:
        writer.writerow(("framework", year.framework))
    figures = {**year.scores(), **year.published()}  # NACC's own figures kept beside the items
    for code, value in figures.items():
        writer.writerow((code, f"{published(value):g}"))
    return buffer.getvalue()


def target_path(directory: Path, findings: ReportFindings, year: int) -> Path:
    agency = findings.agency.name if findings.agency else None
    return directory / f"{slug(agency)}-{year}.csv"


def save_year(path: Path, year: YearFindings, *, force: bool = False) -> None:
    """Write one year's score file; an existing file is kept unless ``force``."""
    if path.exists() and not force:
        raise InputInvalid([FileProblem(str(path), None, "exists: use --force to replace it")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(score_file_text(year), encoding="utf-8")
