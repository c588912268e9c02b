"""Reads about evidence files (never the bytes unless downloading)."""

from __future__ import annotations

from django.http import Http404

from openita.web.agencies.models import Agency
from openita.web.evidence.models import EvidenceFile
from openita.web.plans.models import MeasuresPlan


def files_of_round(plan: MeasuresPlan, months: int) -> dict[str, list[EvidenceFile]]:
    """measure id -> its files in the round, oldest first, without their bytes."""
    found: dict[str, list[EvidenceFile]] = {}
    rows = (
        EvidenceFile.objects.filter(plan=plan, months=months)
        .defer("data")
        .order_by("measure_id", "uploaded_at", "id")
    )
    for row in rows:
        found.setdefault(row.measure_id, []).append(row)
    return found


def file_in(agency: Agency, file_id: int) -> EvidenceFile:
    """The file, if it is this agency's (another agency's file id is 404 too)."""
    found = EvidenceFile.objects.filter(agency=agency, pk=file_id).select_related("plan").first()
    if found is None:
        raise Http404("no such file")
    return found


def file_of_plan(plan: MeasuresPlan, months: int, file_id: int) -> EvidenceFile:
    found = EvidenceFile.objects.filter(plan=plan, months=months, pk=file_id).first()
    if found is None:
        raise Http404("no such file")
    return found
