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


@transaction.atomic
def agency_create(
    *,
    name: str,
    kind: AgencyKind,
    province: str,
    district: str = "",
    parent: Agency | None = None,
    units: tuple[str, ...] = (),
) -> Agency:
    agency = Agency(name=name, kind=kind, province=province, district=district, parent=parent)
    agency.full_clean()
    agency.save()
    Unit.objects.bulk_create([Unit(agency=agency, name=u) for u in units])
    return agency


@transaction.atomic
def membership_grant(*, user: User, agency: Agency, role: Role) -> Membership:
    """Give the user this role in the agency (replacing the role it had there)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, agency=agency, defaults={"role": role}
    )
    return membership


@transaction.atomic
def provincial_viewer_grant(*, user: User, province: str) -> ProvincialViewer:
    viewer, _ = ProvincialViewer.objects.get_or_create(user=user, province=province)
    return viewer
