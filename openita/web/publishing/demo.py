"""Demo data: the demo agency's measures plan, approved by its executive and published, so the
public page has something to show. Runs after the approvals demo and publishes the version it
approved; approves the current version itself only when nobody has (e.g. without that demo).
Safe to run again: nothing doubles."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone

from openita.web.agencies.models import Agency
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.approvals.selectors import latest_approved
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.models import MeasuresPlan
from openita.web.publishing import services
from openita.web.publishing.models import Publication

FISCAL_YEAR = 2566


def load(*, agency: Agency, officer: User, executive: User) -> Publication | None:
    """Publish the agency's FY2566 plan (drafting it and approving it first if nobody has);
    None when it cannot be published here (e.g. no Chromium for the PDF)."""
    plan = MeasuresPlan.objects.filter(agency=agency, fiscal_year=FISCAL_YEAR).first()
    if plan is None:
        try:
            plan = plan_services.plan_draft(agency=agency, fiscal_year=FISCAL_YEAR, user=officer)
        except plan_services.PlanRefused:
            return None
    approved = latest_approved(plan, Subject.PLAN)
    if approved is None:
        version = plan_selectors.current_version(plan)
        approved = ApprovalRequest.objects.create(
            plan=plan,
            version=version,
            subject=Subject.PLAN,
            status=Status.APPROVED,
            submitted_by=officer,
            decided_by=executive,
            decided_at=timezone.now(),
        )
    try:
        done = services.publication_publish(
            plan=plan, version=approved.version, subject=Subject.PLAN, user=officer
        )
    except services.PublishRefused:
        return None
    return done.publication
