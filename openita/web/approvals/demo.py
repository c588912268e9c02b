"""Demo data: the demo agency's FY2566 plan approved by the demo executive, then the 6-month
progress recorded (a later version, so the plan page shows what is not approved yet) and the
6-month report submitted and awaiting the executive's decision.

Runs after the other demo steps that save plan versions (a later save would supersede the open
request); if another step approved the plan already, that approval is kept.

Safe to run again: each step is skipped when it was done before (nothing doubles). Goes through
the services, so the audit log shows the submits and the approval as if made on the pages; no
e-mail is sent.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from openita.plans.schema import Progress
from openita.web.agencies.models import Agency
from openita.web.approvals import services
from openita.web.approvals.models import ApprovalRequest, Subject
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan

FISCAL_YEAR = 2566

# The first measures' progress at six months: one done, one under way.
PROGRESS = (
    Progress(
        status="done",
        percent=100,
        done="ดำเนินการตามขั้นตอนครบถ้วนแล้ว",
        outcome="เผยแพร่บนเว็บไซต์ของหน่วยงานแล้ว",
        updated=dt.date(2023, 3, 20),
    ),
    Progress(
        status="in_progress",
        percent=50,
        done="อยู่ระหว่างดำเนินการตามขั้นตอน",
        updated=dt.date(2023, 3, 20),
    ),
)


def _plan(agency: Agency, officer: User) -> MeasuresPlan | None:
    plan = MeasuresPlan.objects.filter(agency=agency, fiscal_year=FISCAL_YEAR).first()
    if plan is not None:
        return plan
    try:
        return plan_services.plan_draft(agency=agency, fiscal_year=FISCAL_YEAR, user=officer)
    except plan_services.PlanRefused:
        return None


def _record_progress(plan: MeasuresPlan, officer: User) -> None:
    version = plan_selectors.current_version(plan)
    content = plan_of(version.content)
    if any(6 in m.progress for m in content.measures):
        return
    reporting = [m for m in content.measures if 6 in m.rounds][: len(PROGRESS)]
    given = {m.id: p for m, p in zip(reporting, PROGRESS, strict=False)}
    measures = [
        m.model_copy(update={"progress": {**m.progress, 6: given[m.id]}}) if m.id in given else m
        for m in content.measures
    ]
    plan_services.plan_save(
        plan=plan,
        user=officer,
        content=content.model_copy(update={"measures": measures}),
        base_version=version.number,
        note="ความก้าวหน้ารอบ 6 เดือน",
    )


def load(*, agency: Agency, officer: User, executive: User) -> MeasuresPlan | None:
    """Record the approvals of the demo plan (drafting it if needed); None without a plan."""
    plan = _plan(agency, officer)
    if plan is None:
        return None
    requests = ApprovalRequest.objects.filter(plan=plan)
    if not requests.filter(subject=Subject.PLAN).exists():
        submitted = services.request_submit(
            plan=plan,
            subject=Subject.PLAN,
            user=officer,
            note="เสนอแผนมาตรการเพื่อโปรดพิจารณาอนุมัติ",
            notify=False,
        )
        services.request_decide(
            request=submitted.request, user=executive, approve=True, notify=False
        )
    _record_progress(plan, officer)  # a new version: the plan's approval stays with the old one
    if not requests.filter(subject=Subject.PROGRESS_6).exists():
        services.request_submit(
            plan=plan,
            subject=Subject.PROGRESS_6,
            user=officer,
            note="รายงานผลการดำเนินการรอบ 6 เดือน เพื่อโปรดทราบและพิจารณา",
            notify=False,
        )
    return plan
