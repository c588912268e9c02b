"""Publishing an approved plan version on the agency's public page, and withdrawing it.

Who may: the agency's officers and executives (and site admins). The officer usually runs
the agency's website, the executive approved the document; viewers, auditors and provincial
viewers only read. What may be published: a plan version approved for that subject
(``approvals.selectors.approval_of``), never an unapproved or merely newer one.

Publishing renders the documents once and stores the bytes with their SHA-256; publishing the
same version and subject again (a double submit) adds nothing; a newer approved version
replaces the current one, which stays in the history as superseded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openita.documents import docx, pdf
from openita.plans.files import PlanInvalid
from openita.web.agencies.models import Agency, Role
from openita.web.agencies.selectors import docx_template_of, role_in
from openita.web.approvals.models import Subject
from openita.web.approvals.selectors import approval_of, identical_approval
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.plans import selectors as plan_selectors
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing import opendata
from openita.web.publishing.models import CONTENT_TYPES, FileKind, Publication, PublishedFile

PUBLISHING_ROLES = frozenset({Role.OFFICER, Role.EXECUTIVE})
MONTHS = {Subject.PROGRESS_6: 6, Subject.PROGRESS_12: 12}
MONTHS_SUBJECT = {6: Subject.PROGRESS_6, 12: Subject.PROGRESS_12}


class PublishRefused(Exception):
    """The document cannot be published or withdrawn; the message says why, for the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Published:
    publication: Publication
    changed: bool  # False when this version was already the current publication (no-op)


def can_publish(user: User, agency: Agency) -> bool:
    return bool(user.is_superuser) or role_in(user, agency) in PUBLISHING_ROLES


def file_stem(plan: MeasuresPlan, subject: Subject, number: int) -> str:
    """ASCII file name without extension: ita-plan-2566-v3, ita-progress-2566-6m-v3."""
    if subject == Subject.PLAN:
        return f"ita-plan-{plan.fiscal_year}-v{number}"
    return f"ita-progress-{plan.fiscal_year}-{MONTHS[subject]}m-v{number}"


def subject_label(subject: Subject) -> str:
    return str(Subject(subject).label)


def _thai_label(subject: Subject) -> str:
    """The subject in Thai, for the audit log (kept in Thai whatever the user's language)."""
    with translation.override("th"):
        return subject_label(subject)


def _documents(version: PlanVersion, subject: Subject) -> dict[FileKind, bytes]:
    """The document as PDF and DOCX, rendered now by the documents code."""
    if subject == Subject.PLAN:
        document = plan_selectors.plan_document(version)
    else:
        document = plan_selectors.round_document(
            version, MONTHS[subject], "progress", timezone.localdate()
        )
    try:
        rendered = pdf.render_pdf(document)
    except pdf.PdfUnavailable:
        raise PublishRefused(
            _("เครื่องนี้ยังสร้าง PDF ไม่ได้ จึงยังเผยแพร่ไม่ได้ โปรดแจ้งผู้ดูแลระบบ"),
            status=503,
        ) from None
    letterhead = docx_template_of(version.plan.agency)  # the agency's own DOCX letterhead
    return {FileKind.PDF: rendered, FileKind.DOCX: docx.render_docx(document, template=letterhead)}


def approved_rounds(version: PlanVersion, subject: Subject) -> tuple[int, ...]:
    """The rounds whose progress the open data of ``version`` may carry: the published
    subject's own round, and another round only where its report is approved for this content.
    A plan approved while the 6-month report was rejected therefore goes out without the
    rejected progress; nothing that was not approved is published."""
    return tuple(
        months
        for months, round_subject in MONTHS_SUBJECT.items()
        if round_subject == subject or identical_approval(version, round_subject) is not None
    )


def _store(publication: Publication, kind: FileKind, stem: str, data: bytes) -> PublishedFile:
    return PublishedFile.objects.create(
        publication=publication,
        kind=kind,
        name=f"{stem}.{kind.value}",
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _snapshot(publication: Publication) -> dict[str, object]:
    return {
        "subject": publication.subject,
        "version": publication.version.number,
        "files": {f.name: f.sha256 for f in publication.files.all()},
    }


@transaction.atomic
def publication_publish(
    *, plan: MeasuresPlan, version: PlanVersion, subject: Subject, user: User
) -> Published:
    """Publish ``version`` of ``plan`` for ``subject``; it must be approved for that subject."""
    agency = plan.agency
    if not can_publish(user, agency):
        raise PublishRefused(_("เฉพาะเจ้าหน้าที่หรือผู้บริหารของหน่วยงานจึงเผยแพร่เอกสารได้"), 403)
    if version.plan_id != plan.pk:
        raise PublishRefused(_("ฉบับนี้ไม่ใช่ของแผนนี้"))
    label = subject_label(subject)
    approval = approval_of(version, subject)
    if approval is None:
        raise PublishRefused(
            _("%(subject)s ฉบับที่ %(n)s ยังไม่ได้รับอนุมัติ จึงเผยแพร่ไม่ได้")
            % {"subject": label, "n": version.number},
            409,
        )
    # One publisher at a time per plan: a double submit waits here, then finds the first.
    MeasuresPlan.objects.select_for_update().filter(pk=plan.pk).first()
    current = (
        Publication.objects.select_related("version")
        .filter(plan=plan, subject=subject, withdrawn_at__isnull=True, superseded_at__isnull=True)
        .first()
    )
    if current is not None and current.version_id == version.pk:
        return Published(current, changed=False)
    if current is not None and current.version.number > version.number:
        raise PublishRefused(
            _("เผยแพร่%(subject)s ฉบับที่ %(m)s ซึ่งใหม่กว่าไว้แล้ว")
            % {"subject": label, "m": current.version.number},
            409,
        )
    try:
        content = plan_of(version.content)
        rounds = approved_rounds(version, subject)
        documents = _documents(version, subject)
    except PlanInvalid as exc:
        raise PublishRefused(
            _("สร้างเอกสารไม่ได้: %(problems)s") % {"problems": "; ".join(exc.problems)}
        ) from None
    now = timezone.now()
    try:
        with transaction.atomic():
            if current is not None:
                # Out of the "current" slot first, so the new one can take it.
                Publication.objects.filter(pk=current.pk).update(superseded_at=now)
            publication = Publication.objects.create(
                agency=agency,
                plan=plan,
                version=version,
                subject=subject,
                approval=approval,
                published_by=user,
            )
            if current is not None:
                Publication.objects.filter(pk=current.pk).update(superseded_by=publication)
    except IntegrityError:  # another publish of this subject won the race
        raise PublishRefused(_("มีผู้เผยแพร่เรื่องนี้พร้อมกัน โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง"), 409) from None
    stem = file_stem(plan, subject, version.number)
    for kind, data in documents.items():
        _store(publication, kind, stem, data)
    _store(publication, FileKind.CSV, stem, opendata.plan_csv(content, rounds=rounds))
    opened = opendata.plan_json(
        content,
        subject=str(subject),
        version=version.number,
        approved_at=approval.decided_at,
        published_at=publication.published_at,
        rounds=rounds,
    )
    _store(publication, FileKind.JSON, stem, opened)
    record(
        actor=user,
        agency=agency,
        action=Action.PUBLISH,
        obj=publication,
        summary=(
            f"เผยแพร่{_thai_label(subject)} ปีงบประมาณ {plan.fiscal_year} ฉบับที่ {version.number}"
        ),
        before=_snapshot(current) if current is not None else None,
        after=_snapshot(publication),
    )
    return Published(publication, changed=True)


@transaction.atomic
def publication_unpublish(*, publication: Publication, user: User, reason: str) -> bool:
    """Take a publication off the public page, with a reason; False if it already was."""
    agency = publication.agency
    if not can_publish(user, agency):
        raise PublishRefused(_("เฉพาะเจ้าหน้าที่หรือผู้บริหารของหน่วยงานจึงยกเลิกการเผยแพร่ได้"), 403)
    reason = reason.strip()
    if not reason:
        raise PublishRefused(_("โปรดระบุเหตุผลที่ยกเลิกการเผยแพร่"))
    locked = (
        Publication.objects.select_for_update().select_related("version").get(pk=publication.pk)
    )
    if locked.withdrawn_at is not None:
        return False
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user
    locked.withdrawn_reason = reason[:1000]
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    label = _thai_label(Subject(locked.subject))
    record(
        actor=user,
        agency=agency,
        action=Action.UNPUBLISH,
        obj=locked,
        summary=(
            f"ยกเลิกการเผยแพร่{label} ปีงบประมาณ {locked.plan.fiscal_year} "
            f"ฉบับที่ {locked.version.number}"
        ),
        before={"withdrawn": False, "version": locked.version.number},
        after={"withdrawn": True, "version": locked.version.number, "reason": reason},
    )
    return True
