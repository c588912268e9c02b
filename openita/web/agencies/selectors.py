"""Reads about agencies, and the one rule of access every agency-scoped view goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from pythainlp.util import collate

from openita.plans.schema import Person, Plan, Signers
from openita.web.agencies.models import (
    EDITING_ROLES,
    Agency,
    AgencyFile,
    AgencySettings,
    FileKind,
    Membership,
    NationalViewer,
    ProvincialViewer,
    Role,
    Unit,
)

T = TypeVar("T")
AnyUser = User | AnonymousUser


def thai_sorted(objects: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Sort by a Thai text in dictionary order (PyThaiNLP's collation), in Python, so SQLite
    and PostgreSQL give the same order."""
    items = list(objects)
    rank = {text: n for n, text in enumerate(collate({key(o) for o in items}))}
    return sorted(items, key=lambda o: rank[key(o)])


def _is_superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def is_national(user: AnyUser) -> bool:
    """May read every agency of the country: a superuser or a national viewer."""
    if not user.is_authenticated:
        return False
    return _is_superuser(user) or NationalViewer.objects.filter(user=user).exists()


def visible_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies the user may read: by a role there, or by a province; all for superusers and
    national viewers."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if is_national(user):
        return Agency.objects.all()
    provinces = ProvincialViewer.objects.filter(user=user).values("province")
    return Agency.objects.filter(Q(memberships__user=user) | Q(province__in=provinces)).distinct()


def agencies_for(user: AnyUser) -> list[Agency]:
    """The user's agencies in Thai dictionary order."""
    return thai_sorted(visible_agencies(user), key=lambda a: a.name)


def role_in(user: AnyUser, agency: Agency) -> Role | None:
    if not user.is_authenticated:
        return None
    found = Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)
    role = found.first()
    return Role(role) if role else None


def can_edit(user: AnyUser, agency: Agency) -> bool:
    return _is_superuser(user) or role_in(user, agency) in EDITING_ROLES


def agency_for_user(user: AnyUser, agency_id: int, *, write: bool = False) -> Agency:
    """The agency, if this user may read it (or edit it, with ``write``); else Http404.

    404 rather than 403: a user of one agency learns nothing about another, even by guessing
    ids. Superusers see and edit all; provincial viewers read their province's agencies.
    """
    agency = visible_agencies(user).filter(pk=agency_id).first()
    if agency is None or (write and not can_edit(user, agency)):
        raise Http404("no such agency")
    return agency


# --- agency settings: details, signers, units in use, emblem and letterhead -------------------


def settings_of(agency: Agency) -> AgencySettings:
    """The agency's settings; an unsaved empty one (version 0) when none were entered yet."""
    found = AgencySettings.objects.select_related("updated_by").filter(agency=agency).first()
    return found if found is not None else AgencySettings(agency=agency)


def person_of(data: Any) -> Person | None:
    """A stored person (name, position, position_extra), or None when incomplete."""
    if not isinstance(data, dict) or not data.get("name") or not data.get("position"):
        return None
    return Person(
        name=data["name"], position=data["position"], position_extra=data.get("position_extra")
    )


def signers_of(settings: AgencySettings) -> Signers | None:
    """The memo's signers, when both the officer and the executive are entered."""
    data = settings.signers or {}
    officer, executive = person_of(data.get("officer")), person_of(data.get("executive"))
    if officer is None or executive is None:
        return None
    reviewers = [p for p in (person_of(r) for r in data.get("reviewers", [])) if p is not None]
    return Signers(officer=officer, reviewers=reviewers, executive=executive)


def reviewers_of(settings: AgencySettings) -> list[Person]:
    data = settings.signers or {}
    return [p for p in (person_of(r) for r in data.get("reviewers", [])) if p is not None]


def units_of(agency: Agency) -> list[Unit]:
    """The agency's units in Thai dictionary order."""
    return thai_sorted(agency.units.all(), key=lambda u: u.name)


def unit_in(agency: Agency, unit_id: int) -> Unit | None:
    return agency.units.filter(pk=unit_id).first()


@dataclass(frozen=True)
class UnitUse:
    """A plan whose current version names the unit as responsible for some measures."""

    plan_id: int
    fiscal_year: int
    version: int
    measures: tuple[str, ...]  # measure ids


def _uses_by_unit(agency: Agency) -> dict[str, list[UnitUse]]:
    from openita.web.plans.models import MeasuresPlan  # plans build on agencies

    uses: dict[str, list[UnitUse]] = {}
    for plan in MeasuresPlan.objects.filter(agency=agency).order_by("-fiscal_year"):
        current = plan.versions.order_by("-number").first()
        if current is None or not isinstance(current.content, dict):
            continue
        by_unit: dict[str, list[str]] = {}
        for m in current.content.get("measures", []):
            by_unit.setdefault(str(m.get("unit")), []).append(str(m.get("id")))
        for unit, ids in by_unit.items():
            uses.setdefault(unit, []).append(
                UnitUse(plan.pk, plan.fiscal_year, current.number, tuple(ids))
            )
    return uses


def unit_uses(agency: Agency, name: str) -> list[UnitUse]:
    """Where the unit is responsible for a measure, in the current version of each plan."""
    return _uses_by_unit(agency).get(name, [])


def unit_rows(agency: Agency) -> list[tuple[Unit, list[UnitUse]]]:
    """The agency's units in Thai dictionary order, each with the plans that use it."""
    uses = _uses_by_unit(agency)
    return [(u, uses.get(u.name, [])) for u in units_of(agency)]


def file_of(agency: Agency, kind: FileKind, *, data: bool = False) -> AgencyFile | None:
    """The agency's emblem or letterhead; its bytes are loaded only with ``data``."""
    found = AgencyFile.objects.select_related("uploaded_by").filter(agency=agency, kind=kind)
    if not data:
        found = found.defer("data")
    return found.first()


def _file_bytes(agency: Agency, kind: FileKind) -> bytes | None:
    data = (
        AgencyFile.objects.filter(agency=agency, kind=kind).values_list("data", flat=True).first()
    )
    return bytes(data) if data is not None else None


def docx_template_of(agency: Agency) -> bytes | None:
    """The agency's letterhead DOCX for ``render_docx(template=...)``, or None."""
    return _file_bytes(agency, FileKind.LETTERHEAD)


def emblem_of(agency: Agency) -> bytes | None:
    """The agency's Garuda emblem as PNG for the memo, or None."""
    return _file_bytes(agency, FileKind.EMBLEM)


def with_agency_settings(plan: Plan, agency: Agency) -> Plan:
    """The plan with what its content lacks filled in from the agency's current settings:
    signers, address, website, memo_unit and memo_prefix. What the plan says wins (a saved
    version keeps what it was saved with); nothing is stored."""
    settings = settings_of(agency)
    current = plan.agency
    filled: dict[str, Any] = {}
    if current.signers is None:
        signers = signers_of(settings)
        if signers is not None:
            filled["signers"] = signers
    for name in ("address", "website", "memo_unit", "memo_prefix"):
        value = getattr(settings, name)
        if getattr(current, name) is None and value:
            filled[name] = value
    if not current.units:
        units = [u.name for u in units_of(agency)]
        if units:
            filled["units"] = units
    if not filled:
        return plan
    return plan.model_copy(update={"agency": current.model_copy(update=filled)})
