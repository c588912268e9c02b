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


DOCUMENTS_CHUNK = 10  # plans per unit by default: a few commits per unit, shared by ten PDFs


def _documents_check(arguments: dict[str, Any]) -> dict[str, Any]:
    fmt = str(arguments.get("format") or "pdf")
    if fmt not in FORMATS:
        raise _error(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
    chunk = arguments.get("chunk") or DOCUMENTS_CHUNK
    try:
        chunk = int(str(chunk))
    except ValueError:
        raise _error(f"chunk: {chunk!r} is not a number of plans") from None
    if not 1 <= chunk <= 10:
        raise _error(f"chunk: {chunk} plans per unit; use 1 to 10")
    return {"fiscal_year": _year(arguments, required=False), "format": fmt, "chunk": chunk}


def _documents_keys(run: JobRun) -> list[str]:
    """Each agency's plan of the year asked for, else each agency's latest plan; ``chunk``
    plans per unit, the key listing their ids ("12,13,14")."""
    from openita.web.plans.models import MeasuresPlan

    plans = MeasuresPlan.objects.order_by("pk")
    if run.agency_id is not None:
        plans = plans.filter(agency_id=run.agency_id)
    year = run.arguments.get("fiscal_year")
    if year:
        ids = list(plans.filter(fiscal_year=year).values_list("pk", flat=True))
    else:
        latest = plans.values("agency_id").annotate(year=Max("fiscal_year")).order_by()
        wanted = {(r["agency_id"], r["year"]) for r in latest}
        ids = [
            pk
            for pk, agency_id, fy in plans.values_list("pk", "agency_id", "fiscal_year")
            if (agency_id, fy) in wanted
        ]
    size = int(run.arguments.get("chunk") or DOCUMENTS_CHUNK)
    return [",".join(str(pk) for pk in ids[n : n + size]) for n in range(0, len(ids), size)]


def _documents_prepare(run: JobRun, key: str) -> Writer:
    """Make the documents of the unit's plans (no writes); the writer stores each under its
    unique key (agency, kind, year, format, SHA-256), overwriting what an attempt before made."""
    from openita.documents import docx, pdf
    from openita.web.agencies.selectors import docx_template_of
    from openita.web.plans import selectors
    from openita.web.plans.models import MeasuresPlan

    fmt = run.arguments.get("format", "pdf")
    made = []
    ids = [int(pk) for pk in key.split(",")]
    for plan in MeasuresPlan.objects.select_related("agency").filter(pk__in=ids).order_by("pk"):
        version = selectors.current_version(plan)
        document = selectors.plan_document(version)
        if fmt == "pdf":
            data = pdf.render_pdf(document)
        else:
            data = docx.render_docx(document, template=docx_template_of(plan.agency))
        made.append((plan, version.number, data, hashlib.sha256(data).hexdigest()))

    def write() -> str:
        for plan, number, data, digest in made:
            GeneratedDocument.objects.update_or_create(
                agency=plan.agency,
                kind="plan",
                fiscal_year=plan.fiscal_year,
                format=fmt,
                content_hash=digest,
                defaults={
                    "data": data,
                    "size": len(data),
                    "source": f"plan {plan.pk} v{number}",
                    "run": run,
                },
            )
        return f"{len(made)} {fmt} ({sum(len(m[2]) for m in made)} bytes)"

    return write


# --- rescore a year after a framework correction ----------------------------------------------


def _rescore_check(arguments: dict[str, Any]) -> dict[str, Any]:
    return {"fiscal_year": _year(arguments, required=True)}


RESCORE_CHUNK = 200  # results per unit: scoring one is about a millisecond


def _rescore_keys(run: JobRun) -> list[str]:
    """Ranges of result ids ("first-last"), RESCORE_CHUNK results each."""
    from openita.web.results.models import Assessment

    found = Assessment.objects.filter(fiscal_year=run.arguments["fiscal_year"])
    if run.agency_id is not None:
        found = found.filter(agency_id=run.agency_id)
    ids = list(found.order_by("pk").values_list("pk", flat=True))
    chunks = [ids[n : n + RESCORE_CHUNK] for n in range(0, len(ids), RESCORE_CHUNK)]
    return [f"{c[0]}-{c[-1]}" for c in chunks]


def rescore_assessment(assessment: Any) -> dict[str, Any] | None:
    """The stored figures of one saved year recomputed with its framework as it is now (a
    corrected file changes its fingerprint); None when they are already those. The one place
    the jobs app knows how a year's stored figures are refreshed (decision 16)."""
    from openita.web.results import figures

    before = {f: getattr(assessment, f) for f in figures.FIELDS}
    figures.refresh(assessment)
    after = {f: getattr(assessment, f) for f in figures.FIELDS}
    return after if after != before else None


def _rescore_prepare(run: JobRun, key: str) -> Writer:
    from openita.web.results import figures
    from openita.web.results.models import Assessment

    first, last = (int(n) for n in key.split("-"))
    found = Assessment.objects.filter(
        fiscal_year=run.arguments["fiscal_year"], pk__gte=first, pk__lte=last
    )
    if run.agency_id is not None:
        found = found.filter(agency_id=run.agency_id)
    rows = list(found.only("pk", "framework_id", "scores", "fiscal_year", *figures.FIELDS))
    changed = {a.pk: new for a in rows if (new := rescore_assessment(a)) is not None}

    def write() -> str:
        for pk, values in changed.items():  # the same figures whichever attempt writes them
            Assessment.objects.filter(pk=pk).update(**values)
        return f"{len(rows)} results, {len(changed)} refreshed"

    return write


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
