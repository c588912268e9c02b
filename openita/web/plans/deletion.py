"""Deleting a wrongly drafted plan (with its versions, unit links and evidence files), so it
can be drafted again. Refused, with the reason, once any of it was approved or published, or
while a request awaits a decision; the deletion is in the audit log."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.plans.models import MeasuresPlan


class DeleteRefused(Exception):
    """The plan cannot be deleted; the message says why, for the user."""


def delete_refusal(plan: MeasuresPlan) -> str | None:
    """Why the plan cannot be deleted now, or None."""
    from openita.web.approvals.models import ApprovalRequest, Status
    from openita.web.publishing.models import Publication

    year = plan.fiscal_year
    if Publication.objects.filter(plan=plan).exists():
        return _("ลบแผนมาตรการปี %(year)s ไม่ได้: แผนนี้เคยเผยแพร่แล้ว ประวัติการเผยแพร่ต้องอยู่ครบ") % {
            "year": year
        }
    requests = ApprovalRequest.objects.filter(plan=plan)
    if requests.filter(status=Status.APPROVED).exists():
        return _("ลบแผนมาตรการปี %(year)s ไม่ได้: ผู้บริหารอนุมัติแผนหรือรายงานของแผนนี้แล้ว") % {"year": year}
    if requests.filter(status=Status.SUBMITTED).exists():
        return _("ลบแผนมาตรการปี %(year)s ไม่ได้: มีเรื่องรอผู้บริหารพิจารณาอยู่ โปรดถอนเรื่องก่อน") % {
            "year": year
        }
    return None


@transaction.atomic
def plan_delete(*, plan: MeasuresPlan, user: User | None) -> None:
    locked = MeasuresPlan.objects.select_for_update().get(pk=plan.pk)
    refusal = delete_refusal(locked)
    if refusal:
        raise DeleteRefused(refusal)
    versions = locked.versions.order_by("-number")
    current = versions.first()
    record(
        actor=user,
        agency=locked.agency,
        action=Action.DELETE,
        obj=locked,
        summary=f"ลบแผนมาตรการปีงบประมาณ {locked.fiscal_year} ({versions.count()} ฉบับ)",
        before={
            "fiscal_year": locked.fiscal_year,
            "versions": versions.count(),
            "measures": [
                f"{m.get('id')} {m.get('title')}"
                for m in (current.content.get("measures", []) if current is not None else [])
            ],
        },
    )
    locked.requests.all().delete()  # withdrawn, rejected or superseded ones: they hold versions
    locked.delete()
