"""Reads about agencies, and the one rule of access every agency-scoped view goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404
from pythainlp.util import collate

from openita.web.agencies.models import EDITING_ROLES, Agency, Membership, ProvincialViewer, Role

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


def visible_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies the user may read: by a role there, or by a province; all for superusers."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if _is_superuser(user):
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
