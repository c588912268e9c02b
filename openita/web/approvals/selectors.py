"""Reads about approvals; other apps (publishing, documents) ask here what is approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.plans.schema import Memo, Plan
from openita.web.agencies.models import Agency, Membership, Role
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.services import actor_name
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.ui.templatetags.openita_tags import be_date

AnyUser = User | AnonymousUser
ROUND_SUBJECTS: dict[Literal[6, 12], Subject] = {6: Subject.PROGRESS_6, 12: Subject.PROGRESS_12}


def approval_of(version: PlanVersion, subject: Subject) -> ApprovalRequest | None:
    """The approved request of exactly this version and subject, if any."""
    return (
        ApprovalRequest.objects.filter(version=version, subject=subject, status=Status.APPROVED)
        .select_related("decided_by", "submitted_by")
        .order_by("-decided_at")
        .first()
    )


def latest_approved(plan: MeasuresPlan, subject: Subject) -> ApprovalRequest | None:
    """The most recent approval of the plan for this subject (of whichever version); the
    version's content is loaded only when used."""
    return (
        ApprovalRequest.objects.filter(plan=plan, subject=subject, status=Status.APPROVED)
        .select_related("version", "decided_by", "submitted_by")
        .defer("version__content")
        .order_by("-decided_at", "-id")
        .first()
    )


# --- what an approval covers ------------------------------------------------------------------

SUBJECT_ROUND: dict[Subject, str | None] = {
    Subject.PLAN: None,
    Subject.PROGRESS_6: "6",
    Subject.PROGRESS_12: "12",
}


def covered(content: dict[str, Any], subject: Subject) -> dict[str, Any]:
    """The part of a plan version an approval of ``subject`` is about: for the plan, the plan
    without any round's progress; for a round's report, the plan with that round's progress.
    Memos (filled from decisions) are never part of it. Two versions that agree here are the
    same thing to approve: recording the 6-month progress does not make the plan's approval
    stale, nor does the 12-month round the 6-month report's; the 12-month report's covers the
    6-month progress too, which it carries forward where the 12-month round has nothing."""
    keep = SUBJECT_ROUND[subject]
    out = {k: v for k, v in content.items() if k != "memos"}
    measures = []
    for measure in content.get("measures", []):
        progress = measure.get("progress") or {}
        # A round's report shows the earlier rounds' entries where it has none of its own
        # (carried forward, openita.plans.rounds): they are part of what is approved.
        kept = {str(k): v for k, v in progress.items() if keep is not None and int(k) <= int(keep)}
        measures.append({**measure, "progress": kept})
    out["measures"] = measures
    return out


def same_for(subject: Subject, a: PlanVersion, b: PlanVersion) -> bool:
    """Whether an approval of ``subject`` on one version holds for the other."""
    return a.pk == b.pk or covered(a.content, subject) == covered(b.content, subject)


# --- when a round's report can be submitted ----------------------------------------------------


@dataclass(frozen=True)
class NotReady:
    message: str
    status: int  # 409: the plan must be approved first; 400: nothing reported in the round


def _reported(progress: Any) -> bool:
    """Whether a round's progress entry says anything (a status, figures, words, evidence)."""
    if not isinstance(progress, dict) or not progress:
        return False
    if progress.get("status", "not_started") != "not_started" or progress.get("percent"):
        return True
    return any(
        progress.get(name) for name in ("done", "outcome", "follow_up", "reason", "evidence")
    )


def not_ready(version: PlanVersion, subject: Subject) -> NotReady | None:
    """Why a round's report of ``version`` cannot be submitted yet, or None: the plan must be
    approved for this content, and some measure must have progress in that round."""
    months = SUBJECT_ROUND[Subject(subject)]
    if months is None:
        return None
    values = {"what": Subject(subject).label}
    if identical_approval(version, Subject.PLAN) is None:
        return NotReady(
            _("ยังเสนอ%(what)sไม่ได้ เพราะแผนมาตรการฉบับนี้ยังไม่ได้รับอนุมัติ โปรดเสนอแผนมาตรการก่อน") % values,
            409,
        )
    for measure in version.content.get("measures", []):
        progress = measure.get("progress") or {}
        if _reported(progress.get(months, progress.get(int(months)))):
            return None
    return NotReady(
        _("ยังเสนอ%(what)sไม่ได้ เพราะยังไม่ได้บันทึกผลการดำเนินงานของมาตรการใดในรอบนี้") % values,
        400,
    )


def _requests() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.select_related(
        "plan", "plan__agency", "version", "submitted_by", "decided_by"
    )


def open_request(plan: MeasuresPlan, subject: Subject) -> ApprovalRequest | None:
    """The request of this subject awaiting the executive, if any (at most one)."""
    return _requests().filter(plan=plan, subject=subject, status=Status.SUBMITTED).first()


def request_in(plan: MeasuresPlan, request_id: int) -> ApprovalRequest:
    """The request, if it is this plan's (another plan's or agency's id is 404 too)."""
    found = _requests().filter(plan=plan, pk=request_id).first()
    if found is None:
        raise Http404("no such request")
    return found


def requests_of(plan: MeasuresPlan) -> list[ApprovalRequest]:
    """Every request of the plan, newest first."""
    return list(_requests().filter(plan=plan).order_by("-submitted_at", "-id"))


def identical_approval(version: PlanVersion, subject: Subject) -> ApprovalRequest | None:
    """An approval for this subject of a version with the same content for that subject (this
    version, an earlier one the plan has come back to, or one that differs only in what the
    subject does not cover), if any."""
    for approved in (
        _requests()
        .filter(plan_id=version.plan_id, subject=subject, status=Status.APPROVED)
        .order_by("-decided_at", "-id")
    ):
        if same_for(subject, approved.version, version):
            return approved
    return None


def can_decide(user: AnyUser, agency: Agency) -> bool:
    """Only the agency's executives decide. A site admin is not the agency's executive: the
    memo prints the executive's name under the decision, so a decision taken by anyone else
    would be signed in a name that did not take it (docs/decisions, record rules)."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, agency=agency, role=Role.EXECUTIVE).exists()


def can_withdraw(user: AnyUser, request: ApprovalRequest) -> bool:
    """The submitter (an officer of the agency) withdraws an open request; superusers too."""
    if not user.is_authenticated or request.status != Status.SUBMITTED:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if request.submitted_by_id != user.pk:
        return False
    agency = request.plan.agency
    return Membership.objects.filter(user=user, agency=agency, role=Role.OFFICER).exists()


def executives_of(agency: Agency) -> list[User]:
    """The agency's executives with an e-mail address (who a new request is sent to)."""
    users = User.objects.filter(
        memberships__agency=agency, memberships__role=Role.EXECUTIVE, is_active=True
    ).exclude(email="")
    return list(users.order_by("pk"))


def awaiting_decision(user: AnyUser, agency: Agency) -> list[ApprovalRequest]:
    """Open requests of the agency, if this user decides them (else nothing)."""
    if not can_decide(user, agency):
        return []
    found = _requests().filter(plan__agency=agency, status=Status.SUBMITTED)
    return list(found.order_by("submitted_at", "id"))


# --- the state of each subject of a plan -------------------------------------------------------


@dataclass(frozen=True)
class SubjectState:
    """Where one subject of the plan stands, for the plan page."""

    subject: Subject
    current: PlanVersion
    open: ApprovalRequest | None  # awaiting the executive
    approved: ApprovalRequest | None  # the latest approval, of whichever version
    last: ApprovalRequest | None  # the latest request of any status

    @property
    def label(self) -> str:
        return str(self.subject.label)

    @property
    def current_approved(self) -> bool:
        """The current version is approved for this subject: it is the approved version, or
        differs from it only in what the subject does not cover."""
        return self.approved is not None and same_for(
            self.subject, self.approved.version, self.current
        )

    @property
    def stale(self) -> bool:
        """Approved once, but the current version is a later one, not approved."""
        return self.approved is not None and not self.current_approved

    @property
    def rejected(self) -> ApprovalRequest | None:
        """The latest request, when it was rejected and nothing was submitted since."""
        if self.last is not None and self.last.status == Status.REJECTED:
            return self.last
        return None

    @property
    def superseded(self) -> ApprovalRequest | None:
        """The latest request, when a newer version closed it and nothing was submitted since."""
        if self.last is not None and self.last.status == Status.SUPERSEDED:
            return self.last
        return None

    @property
    def blocked(self) -> str:
        """Why this subject cannot be submitted now (a round's report before its plan is
        approved, or with nothing reported), for the plan page; empty when it can be."""
        if self.open is not None or self.current_approved:
            return ""
        found = not_ready(self.current, self.subject)
        return found.message if found is not None else ""

    @property
    def can_submit(self) -> bool:
        return self.open is None and not self.current_approved and not self.blocked

    @property
    def summary(self) -> str:
        """One sentence for the plan page: approved (this version or an earlier one), awaiting,
        rejected, superseded, or not submitted yet."""
        if self.open is not None:
            return _("ฉบับที่ %(n)s รอผู้บริหารพิจารณา เสนอโดย %(who)s เมื่อ %(when)s") % {
                "n": self.open.version.number,
                "who": actor_name(self.open.submitted_by),
                "when": be_date(self.open.submitted_at),
            }
        if self.approved is not None:
            values = {
                "n": self.approved.version.number,
                "who": actor_name(self.approved.decided_by),
                "when": be_date(self.approved.decided_at),
                "current": self.current.number,
            }
            if self.current_approved:
                return _("ฉบับที่ %(n)s อนุมัติแล้วเมื่อ %(when)s โดย %(who)s") % values
            approved = _("ฉบับที่ %(n)s อนุมัติเมื่อ %(when)s โดย %(who)s") % values
            pending = _("แต่ฉบับปัจจุบัน (ฉบับที่ %(current)s) มีการเปลี่ยนแปลงที่ยังไม่ได้อนุมัติ")
            return f"{approved} {pending % values}"
        if self.rejected is not None:
            return _("ฉบับที่ %(n)s ไม่อนุมัติเมื่อ %(when)s โดย %(who)s เหตุผล: %(reason)s") % {
                "n": self.rejected.version.number,
                "who": actor_name(self.rejected.decided_by),
                "when": be_date(self.rejected.decided_at),
                "reason": self.rejected.reason,
            }
        if self.superseded is not None:
            return _("ฉบับที่ %(n)s ที่เสนอไว้มีฉบับใหม่แทนแล้ว โปรดเสนอฉบับปัจจุบันอีกครั้ง") % {
                "n": self.superseded.version.number
            }
        return _("ยังไม่ได้เสนอผู้บริหาร")

    @property
    def tone(self) -> str:
        """A CSS hint: ok (current version approved), wait, warn (changes not approved), none."""
        if self.current_approved:
            return "ok"
        if self.open is not None:
            return "wait"
        if self.approved is not None or self.rejected is not None:
            return "warn"
        return "none"


def states_of(plan: MeasuresPlan, current: PlanVersion) -> list[SubjectState]:
    """The plan, then the 6- and 12-month reports: open request, latest approval, last one."""
    requests = requests_of(plan)
    states = []
    for subject in Subject:
        mine = [r for r in requests if r.subject == subject]
        approved = [r for r in mine if r.status == Status.APPROVED]
        approved.sort(key=lambda r: (r.decided_at or r.submitted_at, r.pk), reverse=True)
        states.append(
            SubjectState(
                subject=subject,
                current=current,
                open=next((r for r in mine if r.status == Status.SUBMITTED), None),
                approved=approved[0] if approved else None,
                last=mine[0] if mine else None,
            )
        )
    return states


# --- documents ---------------------------------------------------------------------------------


def decided_request(version: PlanVersion, subject: Subject) -> ApprovalRequest | None:
    """The latest decision (approved or rejected) taken on this version for this subject, or
    on an earlier version that is the same for the subject (the 12-month round's progress does
    not change the 6-month report the executive decided on)."""
    decided = (
        _requests()
        .filter(plan_id=version.plan_id, subject=subject)
        .filter(status__in=[Status.APPROVED, Status.REJECTED])
        .order_by("-decided_at", "-id")
    )
    exact = next((r for r in decided if r.version_id == version.pk), None)
    if exact is not None:
        return exact
    return next((r for r in decided if same_for(subject, r.version, version)), None)


def local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def plan_with_decisions(version: PlanVersion, request: ApprovalRequest | None = None) -> Plan:
    """The plan of this version with each round's memo carrying the executive's decision as
    recorded here (decision, reason, date), never what was typed into the plan: a round with no
    decision on this version has its decision left blank for the executive to fill in by hand.

    With ``request``, its round's memo carries that request's own decision only (blank while it
    is open, withdrawn or superseded): a decided request is history, and a later decision on the
    same version (a resubmission after a rejection) never rewrites its memo."""
    plan = plan_of(version.content)
    memos: dict[Literal[6, 12], Memo] = dict(plan.memos)
    for months, subject in ROUND_SUBJECTS.items():
        if request is not None and request.subject == subject:
            decided = request.status in (Status.APPROVED, Status.REJECTED)
            found: ApprovalRequest | None = request if decided else None
        else:
            found = decided_request(version, subject)
        memo = memos.get(months) or Memo()
        update: dict[str, object] = {"decision": None, "reason": "", "decided": None}
        if found is not None:
            approved = found.status == Status.APPROVED
            update = {
                "decision": "approved" if approved else "rejected",
                "reason": "" if approved else found.reason,
                "decided": local_date(found.decided_at),
            }
        memos[months] = memo.model_copy(update=update)
    return plan.model_copy(update={"memos": memos})
