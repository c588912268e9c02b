"""Who may see figures across agencies, and over which agencies: site admins and the national
role over all, a provincial viewer over its provinces; an agency's own people never (they see
their own agency's peers panel, which shows aggregates only)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openita.web.agencies.models import Agency, ProvincialViewer

AnyUser = User | AnonymousUser


def is_national(user: AnyUser) -> bool:
    """A national viewer (the agencies app's ``NationalViewer``, where installed)."""
    if not user.is_authenticated:
        return False
    try:
        model = apps.get_model("agencies", "NationalViewer")
    except LookupError:
        return False
    return bool(model._default_manager.filter(user=user).exists())


def comparable_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agencies whose figures this user may see across agencies; PermissionDenied for
    anyone without a national or provincial role (and anonymous users)."""
    if not user.is_authenticated:
        raise PermissionDenied("not signed in")
    if getattr(user, "is_superuser", False) or is_national(user):
        return Agency.objects.all()
    provinces = list(ProvincialViewer.objects.filter(user=user).values_list("province", flat=True))
    if not provinces:
        raise PermissionDenied("no national or provincial role")
    return Agency.objects.filter(province__in=provinces)


def may_compare(user: AnyUser) -> bool:
    """Whether the comparison across agencies is open to this user (for links to it)."""
    try:
        comparable_agencies(user)
    except PermissionDenied:
        return False
    return True
