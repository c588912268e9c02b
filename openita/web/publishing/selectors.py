"""Reads about publications: the public page of an agency, one public file, the plan's
publishing section."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from openita.web.agencies.models import Agency
from openita.web.approvals.models import ApprovalRequest, Subject
from openita.web.approvals.selectors import latest_approved
from openita.web.plans.models import MeasuresPlan
from openita.web.publishing.models import Publication, PublishedFile
from openita.web.publishing.services import can_publish

SUBJECTS = (Subject.PLAN, Subject.PROGRESS_6, Subject.PROGRESS_12)


class Withdrawn(Exception):
    """The file was published once and has been withdrawn (the page says so, status 410)."""

    def __init__(self, publication: Publication) -> None:
        super().__init__(f"publication {publication.pk} withdrawn")
        self.publication = publication


def _with_files(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    """Publications with their files' details (never the bytes) and versions."""
    files = PublishedFile.objects.defer("data").order_by("id")
    return queryset.select_related("version", "plan", "published_by", "approval").prefetch_related(
        Prefetch("files", queryset=files)
    )


def _order(publication: Publication) -> int:
    return SUBJECTS.index(Subject(publication.subject))


@dataclass
class PublicYear:
    fiscal_year: int
    current: list[Publication] = field(default_factory=list)
    earlier: list[Publication] = field(default_factory=list)


def public_agency(agency_id: int) -> Agency:
    found = Agency.objects.filter(pk=agency_id).first()
    if found is None:
        raise Http404("no such agency")
    return found


def public_years(agency: Agency) -> list[PublicYear]:
    """The agency's publications by fiscal year, newest year first: the current ones, and the
    earlier ones (superseded or withdrawn) for the record."""
    years: dict[int, PublicYear] = {}
    found = _with_files(Publication.objects.filter(agency=agency))
    for p in found.order_by("-plan__fiscal_year", "-published_at", "-id"):
        year = years.setdefault(p.plan.fiscal_year, PublicYear(p.plan.fiscal_year))
        (year.current if p.is_current else year.earlier).append(p)
    for year in years.values():
        year.current.sort(key=_order)
    return list(years.values())


def public_file(agency_id: int, publication_id: int, name: str) -> PublishedFile:
    """A published file by its public address; Http404 for anything never published there,
    ``Withdrawn`` for a file whose publication was withdrawn."""
    found = (
        PublishedFile.objects.select_related("publication")
        .filter(publication__agency_id=agency_id, publication_id=publication_id, name=name)
        .first()
    )
    if found is None:
        raise Http404("no such file")
    if found.publication.withdrawn_at is not None:
        raise Withdrawn(found.publication)
    return found


def publication_in(agency: Agency, publication_id: int) -> Publication:
    found = (
        Publication.objects.select_related("plan", "version", "agency")
        .filter(agency=agency, pk=publication_id)
        .first()
    )
    if found is None:
        raise Http404("no such publication")
    return found


@dataclass(frozen=True)
class SubjectRow:
    """One subject of a plan in the plan page's publishing section."""

    subject: Subject
    label: str
    current: Publication | None
    approved: ApprovalRequest | None  # the latest approval, of whichever version
    can_publish_approved: bool  # that approval's version is newer than what is published


@dataclass(frozen=True)
class PlanSection:
    rows: list[SubjectRow]
    history: list[Publication]
    can_publish: bool


def plan_section(plan: MeasuresPlan, user: User | AnonymousUser) -> PlanSection:
    # Only numbers and dates are shown: no files, no plan content.
    found = list(
        Publication.objects.filter(plan=plan)
        .select_related("version", "published_by")
        .defer("version__content")
        .order_by("-published_at")
    )
    rows = []
    for subject in SUBJECTS:
        current = next((p for p in found if p.subject == subject and p.is_current), None)
        approved = latest_approved(plan, subject)
        newer = approved is not None and (
            current is None or approved.version.number > current.version.number
        )
        rows.append(SubjectRow(subject, str(subject.label), current, approved, newer))
    allowed = isinstance(user, User) and can_publish(user, plan.agency)
    return PlanSection(rows, [p for p in found if not p.is_current], allowed)
