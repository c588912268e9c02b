"""The slips a published document carries: what `openita check` points out.

Seeds show them all: a memo that names three agencies, a report whose plan year changes
between its title and its body, a total of 85.29 in the text where its own indicators give
85.26. The report reader finds the figures and the names; this module adds the year check
and puts every slip on its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openita.importers.pdftext import PdfTextError, is_pdf, pdf_text
from openita.importers.report_files import load_report
from openita.importers.reports import ReportFindings, normalize
from openita.importers.scores import FileProblem, InputInvalid, decode_text

SLIP_KINDS = ("agency", "mismatch", "conflict")
# "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ... ประจำปีงบประมาณ พ.ศ. 2566" and the like
_PLAN_YEAR = re.compile(
    r"มาตรการส่งเสริมคุณธรรม[^\n]{0,120}?(?:ประจำ)?ปี(?:งบประมาณ)?\s*(?:พ\.\s*ศ\.)?\s*(25\d\d)"
)


@dataclass(frozen=True)
class Slip:
    line: int | None
    message: str


def plan_year_slips(text: str) -> list[Slip]:
    """The measures' fiscal year should be one year throughout a document."""
    found: list[tuple[int, int]] = []
    for number, line in enumerate(normalize(text).splitlines(), 1):
        found += [(number, int(m.group(1))) for m in _PLAN_YEAR.finditer(line)]
    title = _title_year(text)
    if title is not None:
        found.insert(0, title)
    years = [year for _, year in found]
    if len(set(years)) < 2:
        return []
    # the title's year wins; without a title, the most named (ties: the first named)
    usual = title[1] if title else max(dict.fromkeys(years), key=years.count)
    lines = ", ".join(str(line) for line, year in found if year == usual)
    return [
        Slip(
            line, f"the measures are of fiscal year {year} here, but of {usual} on line(s) {lines}"
        )
        for line, year in found
        if year != usual
    ]


_TITLE_YEAR = re.compile(r"ประจำปี(?:งบประมาณ)?\s*(?:พ\.\s*ศ\.)?\s*(25\d\d)")
TITLE_LINES = 8


def _title_year(text: str) -> tuple[int, int] | None:
    """(line, year) of "ประจำปีงบประมาณ ..." in the title block at the top, if any."""
    lines = [ln for ln in normalize(text).splitlines()][:TITLE_LINES]
    for number, line in enumerate(lines, 1):
        match = _TITLE_YEAR.search(line)
        if match:
            return number, int(match.group(1))
    return None


def slips(findings: ReportFindings, text: str) -> list[Slip]:
    out = [Slip(p.line, p.message) for p in findings.problems if p.kind in SLIP_KINDS]
    out += plan_year_slips(text)
    return sorted(out, key=lambda s: s.line or 0)


def check_file(path: Path) -> tuple[ReportFindings, list[Slip]]:
    """Read a document (PDF or text) and list its slips. InputInvalid when unreadable."""
    findings = load_report(path)
    data = path.read_bytes()
    if is_pdf(data):
        try:
            text = pdf_text(path, layout=False)
        except PdfTextError as exc:
            raise InputInvalid([FileProblem(str(path), None, str(exc))]) from None
    else:
        text = decode_text(data, str(path))
    return findings, slips(findings, text)
