"""Deleting a wrongly uploaded year of results (a new upload of the year replaces it; this
removes it). Refused while the plan drafted from it is approved or published, since that
plan's analysis rests on these figures. The whole year (its figures too) stays in the audit
log, so nothing is lost for good."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from openita.web.agencies.models import Agency
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.results.models import Assessment


class DeleteRefused(Exception):
    """The year cannot be deleted; the message says why, for the user."""


def delete_refusal(assessment: Assessment) -> str | None:
    """Why the year cannot be deleted now, or None."""
    from openita.web.approvals.models import ApprovalRequest, Status
    from openita.web.plans.models import MeasuresPlan
    from openita.web.publishing.models import Publication

    year = assessment.fiscal_year
    plan = MeasuresPlan.objects.filter(agency=assessment.agency, fiscal_year=year + 1).first()
    if plan is None:
        return None
    if Publication.objects.filter(plan=plan, withdrawn_at__isnull=True).exists():
        return _("ลบผลปีงบประมาณ %(year)s ไม่ได้: แผนมาตรการปี %(plan)s ที่ร่างจากผลนี้เผยแพร่แล้ว") % {
            "year": year,
            "plan": year + 1,
        }
    if ApprovalRequest.objects.filter(plan=plan, status=Status.APPROVED).exists():
        return _("ลบผลปีงบประมาณ %(year)s ไม่ได้: แผนมาตรการปี %(plan)s ที่ร่างจากผลนี้ได้รับอนุมัติแล้ว") % {
            "year": year,
            "plan": year + 1,
        }
    return None


@transaction.atomic
def assessment_delete(*, agency: Agency, fiscal_year: int, user: User | None) -> None:
    locked = Assessment.objects.select_for_update().filter(agency=agency, fiscal_year=fiscal_year)
    assessment = locked.first()
    if assessment is None:
        raise DeleteRefused(_("ไม่มีผลการประเมินปีงบประมาณ %(year)s") % {"year": fiscal_year})
    refusal = delete_refusal(assessment)
    if refusal:
        raise DeleteRefused(refusal)
    record(
        actor=user,
        agency=agency,
        action=Action.DELETE,
        obj=assessment,
        summary=f"ลบผลการประเมินปีงบประมาณ {fiscal_year}"
        + (f" (จากไฟล์ {assessment.source_name})" if assessment.source_name else ""),
        before={
            "fiscal_year": fiscal_year,
            "framework": assessment.framework_id,
            "source": assessment.source_name,
            "scores": assessment.scores,
        },
    )
    assessment.delete()
