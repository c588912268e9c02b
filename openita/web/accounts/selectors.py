"""Reads about the agency's people: who may manage them, and the list."""

from __future__ import annotations

from django.http import Http404

from openita.web.accounts.services import MANAGERS
from openita.web.agencies.models import Agency, Membership
from openita.web.agencies.selectors import AnyUser, role_in, thai_sorted


def can_manage_people(user: AnyUser, agency: Agency) -> bool:
    """The agency's executives and officers manage its people; superusers everyone's."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return role_in(user, agency) in MANAGERS


def people_of(agency: Agency) -> list[Membership]:
    """Everyone with a role in the agency, in Thai order of their names."""
    found = Membership.objects.filter(agency=agency).select_related("user")
    return thai_sorted(found, key=lambda m: m.user.get_full_name() or m.user.get_username())


def member_in(agency: Agency, membership_id: int) -> Membership:
    found = Membership.objects.select_related("user").filter(agency=agency, pk=membership_id)
    membership = found.first()
    if membership is None:
        raise Http404("no such person in this agency")
    return membership
