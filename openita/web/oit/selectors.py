"""Reads of the OIT checklist: the page's rows, the predicted score, the export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import timezone

from openita import frameworks
from openita.documents.model import Document
from openita.oit.linkcheck import PROBLEMS, PROBLEMS_EN
from openita.oit.predict import Prediction, predict
from openita.web.agencies.models import Agency
from openita.web.oit.models import (
    LinkCheck,
    OitChecklist,
    OitEntry,
    Proposal,
    ProposalState,
    Stage,
    Status,
    Verdict,
)
from openita.web.results.models import Assessment
from openita.web.results.selectors import result_of
from openita.web.ui.cells import safe_cell


def checklists_of(agency: Agency) -> list[OitChecklist]:
    return list(OitChecklist.objects.filter(agency=agency).order_by("-fiscal_year"))


def checklist_for(agency: Agency, fiscal_year: int) -> OitChecklist | None:
    return OitChecklist.objects.filter(agency=agency, fiscal_year=fiscal_year).first()


def entry_for(checklist: OitChecklist, code: str) -> OitEntry | None:
    return checklist.entries.filter(code=code).first()


@dataclass(frozen=True)
class UrlState:
    url: str
    ok: bool | None  # None: not checked yet
    status: int | None
    problem: str  # words, in the page's language
    checked: object | None  # datetime of the last check
    broke: object | None  # when it first failed in the run of failures up to now


@dataclass(frozen=True)
class Row:
    entry: OitEntry
    label: str  # O1
    title: str
    title_known: bool
    components: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str | None
    urls: list[UrlState]
    counts: bool  # counted as published in the prediction
    worth: float | None  # points it would add, when not counted
    carried: str  # "", "new" or the earlier codes


@dataclass(frozen=True)
class ChecklistPage:
    checklist: OitChecklist
    framework: frameworks.Framework
    rows: list[Row]
    prediction: Prediction
    survey_year: int | None  # the results year whose IIT/EIT the prediction uses
    checking: bool
    broken: int


def _url_states(entry: OitEntry, checks: list[LinkCheck], lang: str) -> list[UrlState]:
    words = PROBLEMS_EN if lang == "en" else PROBLEMS
    states = []
    for url in entry.url_list:
        history = [c for c in checks if c.url == url]  # newest first
        if not history:
            states.append(UrlState(url, None, None, "", None, None))
            continue
        last = history[0]
        broke = None
        if not last.ok:
            for c in history:
                if c.ok:
                    break
                broke = c.checked
        states.append(
            UrlState(
                url,
                last.ok,
                last.status,
                "" if last.ok else words.get(last.problem, last.problem),
                last.checked,
                broke,
            )
        )
    return states


def survey_figures(checklist: OitChecklist) -> tuple[dict[str, float], int | None]:
    """IIT and EIT of the agency's latest results up to the checklist's year, the basis of the
    predicted total (the surveys of the year itself come later)."""
    latest = (
        Assessment.objects.filter(
            agency_id=checklist.agency_id, fiscal_year__lte=checklist.fiscal_year
        )
        .order_by("-fiscal_year")
        .first()
    )
    if latest is None:
        return {}, None
    result = result_of(latest)
    framework = result.framework
    figures = {t.code: result.scores[t.code] for t in framework.tools if t.kind != "checklist"}
    return figures, latest.fiscal_year


def checklist_page(checklist: OitChecklist, *, lang: str = "th") -> ChecklistPage:
    framework = frameworks.get(checklist.framework_id)
    entries = {e.code: e for e in checklist.entries.all()}
    checks: dict[int, list[LinkCheck]] = {}
    for check in LinkCheck.objects.filter(entry__checklist=checklist).order_by("-checked", "-id"):
        checks.setdefault(check.entry_id, []).append(check)
    states = {code: _url_states(e, checks.get(e.pk, []), lang) for code, e in entries.items()}
    # An item counts when it is marked ready and none of its links is known to be broken.
    counts = {
        code: e.status == Status.READY and all(s.ok is not False for s in states[code])
        for code, e in entries.items()
    }
    figures, survey_year = survey_figures(checklist)
    survey_codes = {t.code for t in framework.tools if t.kind != "checklist"}
    others = figures if set(figures) >= survey_codes else None
    prediction = predict(framework, counts, others)
    worth = {w.code: w.points for w in prediction.missing}
    rows = []
    tool = next(t for t in framework.tools if t.kind == "checklist")
    for item in tool.items:
        entry = entries.get(item.code)
        if entry is None:
            continue
        rows.append(
            Row(
                entry=entry,
                label=item.code.upper(),
                title=item.text,
                title_known=item.title_known,
                components=item.components,
                sources=item.sources,
                confidence=item.confidence,
                urls=states[item.code],
                counts=counts[item.code],
                worth=worth.get(item.code),
                carried=entry.carried,
            )
        )
    broken = sum(1 for r in rows for s in r.urls if s.ok is False)
    checking = checklist.check_requested is not None and checklist.check_finished is None
    return ChecklistPage(
        checklist, framework, rows, prediction, survey_year if others else None, checking, broken
    )


def export_rows(checklist: OitChecklist) -> list[tuple[str, str, str]]:
    """(code, title, URLs one a line) as the agency submits them."""
    framework = frameworks.get(checklist.framework_id)
    entries = {e.code: e for e in checklist.entries.all()}
    tool = next(t for t in framework.tools if t.kind == "checklist")
    return [
        (i.code.upper(), i.text, "\n".join(entries[i.code].url_list))
        for i in tool.items
        if i.code in entries
    ]


def export_csv(checklist: OitChecklist) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["code", "title", "urls"])
    for code, title, urls in export_rows(checklist):
        writer.writerow([code, safe_cell(title), safe_cell(urls)])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(checklist: OitChecklist) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"OIT {checklist.fiscal_year}"
    sheet.append(["code", "title", "urls"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for code, title, urls in export_rows(checklist):
        sheet.append([code, safe_cell(title), safe_cell(urls)])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def framework_item(checklist: OitChecklist, code: str) -> frameworks.Item | None:
    return frameworks.get(checklist.framework_id).item(code)


def checklist_document(checklist: OitChecklist) -> Document:
    """The list as the agency submits it, as a document (PDF/DOCX) in the documents' style."""
    from openita.documents.kinds.oit import oit_checklist

    rows = [
        (code, title, urls.split("\n") if urls else [])
        for code, title, urls in export_rows(checklist)
    ]
    return oit_checklist(
        agency=checklist.agency.name,
        fiscal_year=checklist.fiscal_year,
        framework=frameworks.get(checklist.framework_id),
        rows=rows,
        today=timezone.localdate(),
    )


def proposals_by_code(checklist: OitChecklist) -> dict[str, list[Proposal]]:
    """The crawl's proposals still waiting for the officer, per item code, best first."""
    found: dict[str, list[Proposal]] = {}
    for p in checklist.proposals.filter(state=ProposalState.PROPOSED).order_by("code", "-score"):
        found.setdefault(p.code, []).append(p)
    return found


@dataclass(frozen=True)
class ReviewRow:
    label: str
    code: str
    title: str
    title_known: bool
    urls: list[UrlState]
    self_ready: bool
    verdict: Verdict | None


@dataclass(frozen=True)
class ReviewPage:
    rows: list[ReviewRow]
    self_score: float  # the agency's own: items marked ready with no broken link
    preliminary: float | None
    final: float | None
    source: str


def review_page(checklist: OitChecklist, *, lang: str = "th") -> ReviewPage:
    from openita.web.oit import review

    page = checklist_page(checklist, lang=lang)
    verdicts = review.verdicts_of(checklist)
    rows = [
        ReviewRow(
            r.label,
            r.entry.code,
            r.title,
            r.title_known,
            r.urls,
            r.counts,
            verdicts.get(r.entry.code),
        )
        for r in page.rows
    ]
    stage = checklist.stage
    return ReviewPage(
        rows=rows,
        self_score=page.prediction.oit,
        preliminary=review.preliminary_score(checklist) if stage != Stage.SELF else None,
        final=review.final_score(checklist) if stage == Stage.CONFIRMED else None,
        source=review.oit_source(checklist.agency, checklist.fiscal_year),
    )
