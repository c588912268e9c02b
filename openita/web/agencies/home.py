"""Reads for the home page: each agency's status at a glance (results, plan, rounds,
publishing), for a provincial office's list, and what awaits the user's decision.

A handful of queries for the whole list, not per agency: a province has hundreds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q

from openita.web.agencies.models import Agency, Membership, Role
from openita.web.agencies.selectors import AnyUser
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.approvals.selectors import awaiting_decision, same_for
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing.models import Publication


@dataclass(frozen=True)
class RoundStatus:
    months: int
    reporting: int  # measures reporting in the round
    done: int
    started: int  # in progress or done


@dataclass
class PlanStatus:
    plan: MeasuresPlan
    version: int
    approval: str  # "approved", "submitted", "changed" (since approved) or "" (not submitted)
    rounds: list[RoundStatus] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # subject labels published now


def _rounds(content: dict[str, Any]) -> list[RoundStatus]:
    found = []
    for months in (6, 12):
        reporting = done = started = 0
        for m in content.get("measures", []):
            if months not in (m.get("rounds") or []):
                continue
            reporting += 1
            status = ((m.get("progress") or {}).get(str(months)) or {}).get("status")
            done += status == "done"
            started += status in ("done", "in_progress")
        found.append(RoundStatus(months, reporting, done, started))
    return found


def plan_status(agencies: list[Agency]) -> dict[int, PlanStatus]:
    """The newest plan of each agency that has one, with where it stands."""
    newest: dict[int, MeasuresPlan] = {}
    for plan in MeasuresPlan.objects.filter(agency__in=agencies).order_by("fiscal_year"):
        newest[plan.agency_id] = plan
    plans = list(newest.values())
    numbers = dict(
        PlanVersion.objects.filter(plan__in=plans)
        .values("plan")
        .annotate(n=Max("number"))
        .values_list("plan", "n")
    )
    wanted = Q(pk__in=[])
    for plan_id, number in numbers.items():
        wanted |= Q(plan_id=plan_id, number=number)
    versions = {v.plan_id: v for v in PlanVersion.objects.filter(wanted)} if numbers else {}
    states: dict[int, str] = {}
    requests = ApprovalRequest.objects.filter(
        plan__in=plans, subject=Subject.PLAN, status__in=(Status.APPROVED, Status.SUBMITTED)
    ).select_related("version")
    for r in requests.order_by("id"):
        current = versions.get(r.plan_id)
        if r.status == Status.SUBMITTED:
            states[r.plan_id] = Status.SUBMITTED
        elif current is not None and same_for(Subject.PLAN, r.version, current):
            states[r.plan_id] = Status.APPROVED
        elif states.get(r.plan_id) != Status.SUBMITTED:
            states[r.plan_id] = "changed"  # approved once, changed since
    published: dict[int, list[str]] = {}
    live = Publication.objects.filter(
        plan__in=plans, withdrawn_at__isnull=True, superseded_at__isnull=True
    )
    for pub in live.order_by("subject"):
        published.setdefault(pub.plan_id, []).append(pub.get_subject_display())
    found = {}
    for agency_id, plan in newest.items():
        version = versions.get(plan.pk)
        found[agency_id] = PlanStatus(
            plan=plan,
            version=version.number if version else 0,
            approval=str(states.get(plan.pk, "")),
            rounds=_rounds(version.content)
            if version and isinstance(version.content, dict)
            else [],
            published=published.get(plan.pk, []),
        )
    return found


def awaiting_for(user: AnyUser) -> list[tuple[Agency, list[ApprovalRequest]]]:
    """Requests awaiting this user's decision, per agency where the user is an executive."""
    if not user.is_authenticated:
        return []
    ids = Membership.objects.filter(user=user, role=Role.EXECUTIVE).values_list("agency", flat=True)
    found = []
    for agency in Agency.objects.filter(pk__in=ids).order_by("name"):
        waiting = awaiting_decision(user, agency)
        if waiting:
            found.append((agency, waiting))
    return found
