"""Reads about approvals; other apps (publishing, documents) ask here what is approved."""

from __future__ import annotations

from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.plans.models import MeasuresPlan, PlanVersion


def approval_of(version: PlanVersion, subject: Subject) -> ApprovalRequest | None:
    """The approved request of exactly this version and subject, if any."""
    return (
        ApprovalRequest.objects.filter(version=version, subject=subject, status=Status.APPROVED)
        .select_related("decided_by", "submitted_by")
        .order_by("-decided_at")
        .first()
    )


def latest_approved(plan: MeasuresPlan, subject: Subject) -> ApprovalRequest | None:
    """The most recent approval of the plan for this subject (of whichever version)."""
    return (
        ApprovalRequest.objects.filter(plan=plan, subject=subject, status=Status.APPROVED)
        .select_related("version", "decided_by", "submitted_by")
        .order_by("-decided_at", "-id")
        .first()
    )
