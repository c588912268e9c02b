"""``{% evidence_section %}``: the evidence files of the round on the round page (and, for
editors, the upload and delete forms). Reads ``agency``, ``plan`` and ``round`` from the page."""

from __future__ import annotations

from typing import Any

from django import template

from openita.web.agencies.selectors import can_edit
from openita.web.evidence.files import ALLOWED
from openita.web.evidence.selectors import files_of_round
from openita.web.evidence.services import max_bytes

register = template.Library()


@register.inclusion_tag("evidence/section.html", takes_context=True)
def evidence_section(context: template.Context) -> dict[str, Any]:
    agency, plan, found = context["agency"], context["plan"], context["round"]
    request = context.get("request")
    files = files_of_round(plan, found.months)
    rows = []
    for r in found.rows:
        named = set(r.progress.evidence)  # a file whose name is not there is not in the report
        rows.append((r.measure, [(f, f.name in named) for f in files.get(r.measure.id, [])]))
    return {
        "agency": agency,
        "plan": plan,
        "months": found.months,
        "rows": [(m, f) for m, f in rows if f],
        "measures": [m for m, _ in rows],
        "editable": request is not None and can_edit(request.user, agency),
        "allowed": ALLOWED,
        "limit": f"{max_bytes() / (1024 * 1024):g}",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def filesize(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / (1024 * 1024):.1f} MB"
    if value >= 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value} B"
