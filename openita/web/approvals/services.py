"""Writes about approvals: submit a version to the executive, decide, withdraw, supersede.

Every change is recorded in the audit log in its transaction; e-mails go out only after the
transaction commits (``transaction.on_commit``), so nobody is told of something that was rolled
back. A request is always of the plan's current version: saving a newer version closes the open
requests of the plan as superseded (``supersede_open``, called when a version is created), since
the executive would otherwise approve a plan that is no longer the one in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.text import thai
from openita.web.approvals import selectors
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.audit.models import Action
from openita.web.audit.services import actor_name, record
from openita.web.plans.models import MeasuresPlan, PlanVersion


class ApprovalRefused(Exception):
    """The request cannot be made or decided; the message says why, for the user.

    ``status`` is the HTTP status a page answers with: 400 for input to fix, 403 for someone
    who may not do it, 409 when the request's state does not allow it (decided, withdrawn,
    superseded)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Submitted:
    request: ApprovalRequest
    created: bool  # False for a double submit: the open request was there already


def _snapshot(request: ApprovalRequest) -> dict[str, object]:
    return {
        "subject": request.subject,
        "version": request.version.number,
        "status": request.status,
        "reason": request.reason,
    }


def _when(request: ApprovalRequest) -> str:
    value = request.decided_at or request.submitted_at
    return thai.format_date(timezone.localdate(value))


def _closed_message(request: ApprovalRequest) -> str:
    """Why a request that is no longer open cannot be decided or withdrawn."""
    who = actor_name(request.decided_by) if request.decided_by else "-"
    if request.status == Status.APPROVED:
        text = _("เรื่องนี้ได้รับอนุมัติแล้วโดย %(who)s เมื่อ %(when)s")
    elif request.status == Status.REJECTED:
        text = _("เรื่องนี้ไม่ได้รับอนุมัติแล้วโดย %(who)s เมื่อ %(when)s")
    elif request.status == Status.WITHDRAWN:
        text = _("เรื่องนี้ถูกถอนแล้วเมื่อ %(when)s")
    else:
        text = _("เรื่องนี้มีแผนฉบับใหม่แทนแล้ว โปรดเสนอฉบับปัจจุบันใหม่")
    return text % {"who": who, "when": _when(request)}


def _current(plan: MeasuresPlan) -> PlanVersion:
    found = plan.versions.order_by("-number").first()
    if found is None:
        raise ApprovalRefused(_("แผนนี้ยังไม่มีฉบับที่บันทึกไว้"), 400)
    return found


def _mail(subject_line: str, body: str, users: list[User]) -> None:
    addresses = [u.email for u in users if u.email]
    if addresses:
        send_mail(subject_line, body, None, addresses, fail_silently=True)


def _notify_submitted(request: ApprovalRequest, link: str) -> None:
    executives = selectors.executives_of(request.plan.agency)
    if not executives:
        return
    values = {
        "what": request.get_subject_display(),
        "year": request.plan.fiscal_year,
        "agency": request.plan.agency.name,
        "n": request.version.number,
        "who": actor_name(request.submitted_by),
    }
    line = _("ขอเสนอ%(what)s ปี %(year)s ของ%(agency)s เพื่อพิจารณา") % values
    body = _("%(who)s เสนอ%(what)s ปี %(year)s (ฉบับที่ %(n)s) ของ%(agency)s เพื่อพิจารณา") % values
    if request.note:
        body += "\n\n" + request.note
    if link:
        body += "\n\n" + link
    transaction.on_commit(lambda: _mail(line, body, executives))


def _notify_decided(request: ApprovalRequest, link: str) -> None:
    submitter = request.submitted_by
    if submitter is None or not submitter.email:
        return
    values = {
        "what": request.get_subject_display(),
        "year": request.plan.fiscal_year,
        "n": request.version.number,
        "who": actor_name(request.decided_by),
        "status": request.get_status_display(),
    }
    line = _("ผลการพิจารณา%(what)s ปี %(year)s: %(status)s") % values
    body = _("%(who)s พิจารณา%(what)s ปี %(year)s (ฉบับที่ %(n)s) แล้ว: %(status)s") % values
    if request.reason:
        body += "\n" + _("เหตุผล") + ": " + request.reason
    if link:
        body += "\n\n" + link
    transaction.on_commit(lambda: _mail(line, body, [submitter]))


@transaction.atomic
def request_submit(
    *,
    plan: MeasuresPlan,
    subject: Subject,
    user: User | None,
    note: str = "",
    link: str = "",
    notify: bool = True,
) -> Submitted:
    """Submit the plan's current version for ``subject``. A second submit while one is open
    returns the open one (nothing added); a version whose content is already approved for this
    subject is refused, naming that approval. The agency's executives are e-mailed (``link``
    points them to the request) unless ``notify`` is off (demo data)."""
    locked = MeasuresPlan.objects.select_for_update().get(pk=plan.pk)
    current = _current(locked)
    _check_report_ready(current, subject)
    existing = selectors.open_request(locked, subject)
    if existing is not None:
        if existing.version_id == current.pk:
            return Submitted(existing, created=False)
        supersede_open(version=current)  # a version saved outside the usual path
    approved = selectors.identical_approval(current, subject)
    if approved is not None:
        raise ApprovalRefused(
            _("ฉบับที่ %(n)s ซึ่งมีเนื้อหาเดียวกันได้รับอนุมัติแล้วโดย %(who)s เมื่อ %(when)s ไม่ต้องเสนออีก")
            % {
                "n": approved.version.number,
                "who": actor_name(approved.decided_by) if approved.decided_by else "-",
                "when": _when(approved),
            }
        )
    try:
        with transaction.atomic():
            request = ApprovalRequest.objects.create(
                plan=locked,
                version=current,
                subject=subject,
                submitted_by=user,
                note=note.strip()[:2000],
            )
    except IntegrityError:  # a concurrent submit of the same subject won the race
        found = selectors.open_request(locked, subject)
        if found is None:
            raise
        return Submitted(found, created=False)
    record(
        actor=user,
        agency=locked.agency,
        action=Action.SUBMIT,
        obj=request,
        summary=_("เสนอ%(what)s ปี %(year)s ฉบับที่ %(n)s")
        % {"what": request.get_subject_display(), "year": locked.fiscal_year, "n": current.number},
        after=_snapshot(request),
    )
    if notify:
        _notify_submitted(request, link)
    return Submitted(request, created=True)


def _check_report_ready(version: PlanVersion, subject: Subject) -> None:
    """A round's report is submitted only once its plan is approved and something is reported
    in that round; otherwise the officer is told which of the two is missing."""
    blocked = selectors.not_ready(version, subject)
    if blocked is not None:
        raise ApprovalRefused(blocked.message, blocked.status)


def _locked_open(request: ApprovalRequest) -> ApprovalRequest:
    locked = (
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__agency", "version", "submitted_by", "decided_by")
        .get(pk=request.pk)
    )
    if locked.status != Status.SUBMITTED:
        raise ApprovalRefused(_closed_message(locked), 409)
    return locked


@transaction.atomic
def request_decide(
    *,
    request: ApprovalRequest,
    user: User,
    approve: bool,
    reason: str = "",
    link: str = "",
    notify: bool = True,
) -> ApprovalRequest:
    """Approve, or reject with a reason, an open request whose version is the current one for
    its subject. Deciding a request that is no longer open (decided, withdrawn, superseded) is
    refused."""
    if not selectors.can_decide(user, request.plan.agency):
        raise ApprovalRefused(_("เฉพาะผู้บริหารของหน่วยงานเท่านั้นที่พิจารณาได้"), 403)
    reason = reason.strip()
    if not approve and not reason:
        raise ApprovalRefused(_("โปรดระบุเหตุผลที่ไม่อนุมัติ"), 400)
    MeasuresPlan.objects.select_for_update().get(pk=request.plan_id)  # no save in between
    locked = _locked_open(request)
    current = _current(locked.plan)
    # A later version that changed what the request is about closes it as superseded when it
    # is saved; one that changed only something else (the other round) leaves it to decide.
    if not selectors.same_for(Subject(locked.subject), locked.version, current):
        raise ApprovalRefused(_("เรื่องนี้มีแผนฉบับใหม่แทนแล้ว โปรดเสนอฉบับปัจจุบันใหม่"), 409)
    before = _snapshot(locked)
    locked.status = Status.APPROVED if approve else Status.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.reason = reason[:2000]
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    values = {
        "what": locked.get_subject_display(),
        "year": locked.plan.fiscal_year,
        "n": locked.version.number,
    }
    if approve:
        summary = _("อนุมัติ%(what)s ปี %(year)s ฉบับที่ %(n)s") % values
    else:
        summary = _("ไม่อนุมัติ%(what)s ปี %(year)s ฉบับที่ %(n)s") % values
    record(
        actor=user,
        agency=locked.plan.agency,
        action=Action.APPROVE if approve else Action.REJECT,
        obj=locked,
        summary=summary,
        before=before,
        after=_snapshot(locked),
    )
    if notify:
        _notify_decided(locked, link)
    return locked


@transaction.atomic
def request_withdraw(*, request: ApprovalRequest, user: User) -> ApprovalRequest:
    """The submitter takes an open request back (e.g. to correct the plan first)."""
    locked = _locked_open(request)
    if not selectors.can_withdraw(user, locked):
        raise ApprovalRefused(_("เฉพาะผู้เสนอเรื่องเท่านั้นที่ถอนเรื่องได้"), 403)
    before = _snapshot(locked)
    locked.status = Status.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    record(
        actor=user,
        agency=locked.plan.agency,
        action=Action.CHANGE,
        obj=locked,
        summary=_("ถอนเรื่อง%(what)s ปี %(year)s ฉบับที่ %(n)s")
        % {
            "what": locked.get_subject_display(),
            "year": locked.plan.fiscal_year,
            "n": locked.version.number,
        },
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def supersede_open(*, version: PlanVersion) -> list[ApprovalRequest]:
    """Close the plan's open requests of older versions: ``version`` is now current. Recorded
    in the audit log as a change by whoever saved the version."""
    stale = list(
        ApprovalRequest.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__agency", "version")
        .filter(plan_id=version.plan_id, status=Status.SUBMITTED)
        .exclude(version=version)
    )
    # A request stays open when the new version changes nothing it is about (evidence for the
    # 12-month round while the 6-month report waits, progress while the plan waits).
    stale = [r for r in stale if not selectors.same_for(Subject(r.subject), r.version, version)]
    for request in stale:
        before = _snapshot(request)
        request.status = Status.SUPERSEDED
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at"])
        record(
            actor=version.created_by,
            agency=request.plan.agency,
            action=Action.CHANGE,
            obj=request,
            summary=_("%(what)s ฉบับที่ %(old)s ที่รอพิจารณามีฉบับที่ %(n)s แทนแล้ว")
            % {
                "what": request.get_subject_display(),
                "old": request.version.number,
                "n": version.number,
            },
            before=before,
            after=_snapshot(request),
        )
    return stale
