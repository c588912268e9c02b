"""Demo data: a unit link for the demo agency's FY2566 6-month round (with a fixed, published
token: only ever in the demo) and one evidence file. Safe to run again: nothing doubles.

Runs before the approvals demo (drafting the plan if needed): the evidence file is attached in
the 12-month round, so the 6-month progress and its submitted report, which the approvals demo
records next, are on the current version and a second run adds no version that would
supersede them."""

from __future__ import annotations

from django.contrib.auth.models import User

from openita.web.agencies.models import Agency
from openita.web.evidence.files import check
from openita.web.evidence.models import EvidenceFile
from openita.web.evidence.services import evidence_upload
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.services import PlanRefused, plan_draft
from openita.web.unitlinks.models import UnitLink
from openita.web.unitlinks.selectors import token_hash, unit_measures
from openita.web.unitlinks.services import link_create

DEMO_TOKEN = "demo-unit-link-not-secret-2566-6"
DEMO_PATH = f"/unit/{DEMO_TOKEN}/"
FISCAL_YEAR = 2566
MONTHS = 6  # the link's round
FILE_MONTHS = 12  # the evidence file's round


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (ASCII), built by hand: enough for the demo's file."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _plan(agency: Agency, officer: User) -> MeasuresPlan | None:
    plan = MeasuresPlan.objects.filter(agency=agency, fiscal_year=FISCAL_YEAR).first()
    if plan is not None:
        return plan
    try:
        return plan_draft(agency=agency, fiscal_year=FISCAL_YEAR, user=officer)
    except PlanRefused:
        return None


def load(*, agency: Agency, officer: User) -> str | None:
    """The demo link's path (None when the agency has no FY2566 plan and none can be drafted)."""
    plan = _plan(agency, officer)
    if plan is None or not plan.versions.exists():
        return None
    content = plan_of(plan.versions.order_by("-number").first().content)  # type: ignore[union-attr]
    reporting = [m for m in content.measures if MONTHS in m.rounds]
    if not reporting:
        return None
    own = set(agency.units.values_list("name", flat=True))  # a real unit, not "every unit"
    unit = next((m.unit for m in reporting if m.unit in own), reporting[0].unit)
    if not UnitLink.objects.filter(token_hash=token_hash(DEMO_TOKEN)).exists():
        link_create(
            plan=plan,
            months=MONTHS,
            unit=unit,
            person_name="นายตัวอย่าง หัวหน้าส่วน",
            email="unit-head@example.invalid",
            expires=None,
            user=officer,
            token=DEMO_TOKEN,
        )
    yearly = unit_measures(content, FILE_MONTHS, unit) or [
        m for m in content.measures if FILE_MONTHS in m.rounds
    ]
    if yearly and not EvidenceFile.objects.filter(plan=plan).exists():
        data = minimal_pdf("OpenITA demo evidence")
        evidence_upload(
            plan=plan,
            months=FILE_MONTHS,
            measure_id=yearly[0].id,
            files=[check("รายงานการประชุมคณะทำงาน.pdf", data)],
            user=officer,
        )
    return DEMO_PATH
