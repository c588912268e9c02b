"""Many agencies with a plan each, fast (bulk inserts): for the worker tests and
bench/workers.py. The first agency's plan is drafted from the example results; the others get
the same results and a copy of its plan under their own name (so every PDF differs)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from openita.web.agencies.models import Agency, AgencyKind
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.figures import FIELDS
from openita.web.results.models import Assessment

EXAMPLES = ("bansong-2564.csv", "bansong-2565.csv")


@transaction.atomic
def agencies_with_plans(count: int, *, prefix: str = "หน่วยงานสังเคราะห์") -> list[int]:
    """Create ``count`` agencies, each with results for 2564-2565 and a plan for 2566;
    returns the plans' ids."""
    from pathlib import Path

    import openita
    from openita.web.plans.services import plan_draft
    from openita.web.results.services import assessment_preview, assessment_save

    examples = Path(openita.__file__).resolve().parent / "examples"
    agencies = Agency.objects.bulk_create(
        [
            Agency(name=f"{prefix} {n:05d}", kind=AgencyKind.TAMBON, province=f"จังหวัด {n % 77}")
            for n in range(count)
        ]
    )
    first = agencies[0]
    for name in EXAMPLES:
        found = assessment_preview(
            agency=first,
            fiscal_year=int(name[-8:-4]),
            framework_id=None,
            uploaded_file=SimpleUploadedFile(name, (examples / name).read_bytes()),
        )
        assert found.confirmation is not None, found
        assessment_save(agency=first, confirmation=found.confirmation, user=None)
    template = plan_draft(agency=first, fiscal_year=2566, user=None)
    content = template.versions.get().content
    Assessment.objects.bulk_create(
        [
            Assessment(
                agency=agency,
                fiscal_year=a.fiscal_year,
                framework_id=a.framework_id,
                scores=a.scores,
                source_name=a.source_name,
                content_hash=a.content_hash,
                **{f: getattr(a, f) for f in FIELDS},  # bulk: no save() to compute them
            )
            for agency in agencies[1:]
            for a in Assessment.objects.filter(agency=first)
        ]
    )
    plans = MeasuresPlan.objects.bulk_create(
        [MeasuresPlan(agency=agency, fiscal_year=2566) for agency in agencies[1:]]
    )
    PlanVersion.objects.bulk_create(
        [
            PlanVersion(
                plan=plan,
                number=1,
                content={**content, "agency": {**content["agency"], "name": plan.agency.name}},
            )
            for plan in plans
        ]
    )
    return [template.pk, *(p.pk for p in plans)]
