"""Writes about agencies and roles: keyword-only arguments, one transaction each."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from openita.web.agencies.models import (
    Agency,
    AgencyKind,
    Membership,
    ProvincialViewer,
    Role,
    Unit,
)
from openita.web.audit.models import Action
from openita.web.audit.services import record


@transaction.atomic
def agency_create(
    *,
    name: str,
    kind: AgencyKind,
    province: str,
    district: str = "",
    parent: Agency | None = None,
    units: tuple[str, ...] = (),
    actor: User | None = None,
) -> Agency:
    agency = Agency(name=name, kind=kind, province=province, district=district, parent=parent)
    agency.full_clean()
    agency.save()
    Unit.objects.bulk_create([Unit(agency=agency, name=u) for u in units])
    record(
        actor=actor,
        agency=agency,
        action=Action.CREATE,
        obj=agency,
        summary=f"หน่วยงาน {name}",
        after={"kind": str(kind), "province": province, "units": list(units)},
    )
    return agency


@transaction.atomic
def membership_grant(
    *, user: User, agency: Agency, role: Role, actor: User | None = None
) -> Membership:
    """Give the user this role in the agency (replacing the role it had there)."""
    before = Membership.objects.filter(user=user, agency=agency).values_list("role", flat=True)
    old = before.first()
    membership, created = Membership.objects.update_or_create(
        user=user, agency=agency, defaults={"role": role}
    )
    if old != role:
        record(
            actor=actor,
            agency=agency,
            action=Action.CREATE if created else Action.CHANGE,
            obj=membership,
            summary=f"บทบาทของ {user.get_username()}: {membership.get_role_display()}",
            before={"role": old} if old else None,
            after={"role": str(role)},
        )
    return membership


@transaction.atomic
def provincial_viewer_grant(*, user: User, province: str) -> ProvincialViewer:
    viewer, _ = ProvincialViewer.objects.get_or_create(user=user, province=province)
    return viewer
