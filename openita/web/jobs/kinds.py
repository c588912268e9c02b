"""The kinds of long job: what units each has, and how one unit is done and written.

Each kind lists its units' keys (``keys``) and, for one key, does the work and returns a
function that writes its output (``prepare``); the runner calls that function inside the
transaction that marks the unit done, so an attempt that lost its claim writes nothing. Writes
are keyed by what they produce (``GeneratedDocument``'s unique key), so a retry overwrites.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from openita.web.jobs.models import GeneratedDocument, JobRun

Writer = Callable[[], str]


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any  # a lazy Thai string
    check: Callable[[dict[str, Any]], dict[str, Any]]
    keys: Callable[[JobRun], list[str]]
    prepare: Callable[[JobRun, str], Writer]


def _year(arguments: dict[str, Any], *, required: bool) -> int | None:
    value = arguments.get("fiscal_year")
    if value in (None, ""):
        if required:
            raise _error("fiscal_year: a fiscal year (B.E., e.g. 2567) is required")
        return None
    try:
        year = int(str(value))
    except (TypeError, ValueError):
        raise _error(f"fiscal_year: {value!r} is not a year") from None
    if not 2500 <= year <= 2700:
        raise _error(f"fiscal_year: {year} is not a Buddhist-era fiscal year (2500-2700)")
    return year


def _error(message: str) -> Exception:
    from openita.web.jobs.services import JobError

    return JobError(message)


# --- regenerate every agency's plan document --------------------------------------------------

FORMATS = ("pdf", "docx")


def _documents_check(arguments: dict[str, Any]) -> dict[str, Any]:
    fmt = str(arguments.get("format") or "pdf")
    if fmt not in FORMATS:
        raise _error(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return {"fiscal_year": _year(arguments, required=False), "format": fmt}


def _documents_keys(run: JobRun) -> list[str]:
    """Each agency's plan of the year asked for, else each agency's latest plan."""
    from openita.web.plans.models import MeasuresPlan

    plans = MeasuresPlan.objects.all()
    if run.agency_id is not None:
        plans = plans.filter(agency_id=run.agency_id)
    year = run.arguments.get("fiscal_year")
    if year:
        return [str(pk) for pk in plans.filter(fiscal_year=year).values_list("pk", flat=True)]
    latest = plans.values("agency_id").annotate(year=Max("fiscal_year"))
    wanted = {(r["agency_id"], r["year"]) for r in latest}
    return [
        str(pk)
        for pk, agency_id, fy in plans.values_list("pk", "agency_id", "fiscal_year")
        if (agency_id, fy) in wanted
    ]


def _documents_prepare(run: JobRun, key: str) -> Writer:
    from openita.documents import docx, pdf
    from openita.web.agencies.selectors import docx_template_of
    from openita.web.plans import selectors
    from openita.web.plans.models import MeasuresPlan

    plan = MeasuresPlan.objects.select_related("agency").get(pk=int(key))
    version = selectors.current_version(plan)
    document = selectors.plan_document(version)
    fmt = run.arguments.get("format", "pdf")
    if fmt == "pdf":
        data = pdf.render_pdf(document)
    else:
        data = docx.render_docx(document, template=docx_template_of(plan.agency))
    digest = hashlib.sha256(data).hexdigest()

    def write() -> str:
        GeneratedDocument.objects.update_or_create(
            agency=plan.agency,
            kind="plan",
            fiscal_year=plan.fiscal_year,
            format=fmt,
            content_hash=digest,
            defaults={
                "data": data,
                "size": len(data),
                "source": f"plan {plan.pk} v{version.number}",
                "run": run,
            },
        )
        return f"{plan.fiscal_year} v{version.number} {len(data)} bytes {digest[:12]}"

    return write


# --- rescore a year after a framework correction ----------------------------------------------


def _rescore_check(arguments: dict[str, Any]) -> dict[str, Any]:
    return {"fiscal_year": _year(arguments, required=True)}


def _rescore_keys(run: JobRun) -> list[str]:
    from openita.web.results.models import Assessment

    found = Assessment.objects.filter(fiscal_year=run.arguments["fiscal_year"])
    if run.agency_id is not None:
        found = found.filter(agency_id=run.agency_id)
    return [str(pk) for pk in found.order_by("pk").values_list("pk", flat=True)]


def rescore_assessment(assessment: Any) -> Writer:
    """Recompute one saved year with its framework as it is now; returns the writer of the
    figures. The one place that knows how a year's stored figures are refreshed."""
    from openita.web.results.selectors import result_of

    result = result_of(assessment)  # scored again from the stored scores
    total = f"{result.total:.2f}" if getattr(result, "total", None) is not None else "-"

    def write() -> str:
        return f"{assessment.fiscal_year} total {total}"

    return write


def _rescore_prepare(run: JobRun, key: str) -> Writer:
    from openita.web.results.models import Assessment

    return rescore_assessment(Assessment.objects.get(pk=int(key)))


# --- check every link of an OIT checklist -----------------------------------------------------


def _links_check(arguments: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"checklist_id": int(arguments["checklist_id"])}
    except (KeyError, TypeError, ValueError):
        raise _error("checklist_id: the id of an OIT checklist is required") from None


def _links_keys(run: JobRun) -> list[str]:
    return [str(run.arguments["checklist_id"])]


def _links_prepare(run: JobRun, key: str) -> Writer:
    """Checks the links now (network, not in a transaction); each check adds a history row,
    true whichever attempt made it."""
    from openita.web.oit.models import OitChecklist
    from openita.web.oit.services import check_now

    checklist = OitChecklist.objects.filter(pk=int(key)).first()
    checked = check_now(checklist) if checklist is not None else 0
    return lambda: f"{checked} links checked"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("documents", _("สร้างเอกสารแผนของทุกหน่วยงานใหม่"), _documents_check,
             _documents_keys, _documents_prepare),
        Kind("rescore", _("คำนวณคะแนนของปีใหม่หลังแก้หลักเกณฑ์"), _rescore_check,
             _rescore_keys, _rescore_prepare),
        Kind("oit_links", _("ตรวจลิงก์ OIT"), _links_check, _links_keys, _links_prepare),
    )
}  # fmt: skip


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise _error(f"no job kind {name!r}; known: {', '.join(sorted(KINDS))}") from None
