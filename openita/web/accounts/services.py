"""The agency's people: invite (an account with a one-time set-password link), change a
role, remove. Its executives and officers manage them; nobody changes or removes themselves,
and the last executive stays (someone must decide). Every change is in the audit log, in the
same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from openita.web.agencies.models import Agency, Membership, NationalViewer, Role
from openita.web.audit.models import Action
from openita.web.audit.services import record

MANAGERS = frozenset({Role.EXECUTIVE, Role.OFFICER})


class PeopleRefused(Exception):
    """The change is not allowed; the message says why, for the user."""


@dataclass(frozen=True)
class Invited:
    membership: Membership
    uid: str  # with ``token``: the one-time set-password link (Django's reset confirm page)
    token: str


def display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _snapshot(m: Membership) -> dict[str, str]:
    return {"username": m.user.get_username(), "role": str(m.role)}


def set_password_token(user: User) -> tuple[str, str]:
    """uidb64 and token of a link that sets the password once (it ends when the password
    changes, or after PASSWORD_RESET_TIMEOUT)."""
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def person_invite(
    *, agency: Agency, actor: User, username: str, full_name: str, email: str, role: Role
) -> Invited:
    """A new account with this role in the agency, without a password: the person sets it
    through the link returned (shown once, or e-mailed)."""
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise PeopleRefused(_("ชื่อผู้ใช้ %(name)s มีผู้ใช้แล้ว โปรดเลือกชื่ออื่น") % {"name": username})
    first, _space, last = full_name.strip().partition(" ")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, email=email.strip(), first_name=first[:150], last_name=last[:150]
            )
    except IntegrityError:  # the same name chosen at the same moment
        raise PeopleRefused(_("ชื่อผู้ใช้ %(name)s มีผู้ใช้แล้ว โปรดเลือกชื่ออื่น") % {"name": username}) from None
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    record(
        actor=actor,
        agency=agency,
        action=Action.CREATE,
        obj=membership,
        summary=f"เชิญ {display_name(user)} ({username}) เป็น{membership.get_role_display()}",
        after=_snapshot(membership),
    )
    uid, token = set_password_token(user)
    return Invited(membership, uid, token)


def _executives(agency: Agency) -> int:
    return Membership.objects.filter(agency=agency, role=Role.EXECUTIVE).count()


def _checked(agency: Agency, actor: User, membership: Membership, *, removing: bool) -> Membership:
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    # Lock every executive row too, so two demotions at once cannot both pass the count.
    list(Membership.objects.select_for_update().filter(agency=agency, role=Role.EXECUTIVE))
    if locked.user_id == actor.pk:
        raise PeopleRefused(
            _("นำตนเองออกจากหน่วยงานไม่ได้ โปรดให้ผู้อื่นดำเนินการ")
            if removing
            else _("เปลี่ยนบทบาทของตนเองไม่ได้ โปรดให้ผู้อื่นดำเนินการ")
        )
    return locked


@transaction.atomic
def person_role_change(
    *, agency: Agency, actor: User, membership: Membership, role: Role
) -> Membership:
    locked = _checked(agency, actor, membership, removing=False)
    if locked.role == role:
        return locked
    if locked.role == Role.EXECUTIVE and _executives(agency) <= 1:
        raise PeopleRefused(
            _("%(name)s เป็นผู้บริหารคนสุดท้ายของหน่วยงาน ต้องมีผู้บริหารอย่างน้อยหนึ่งคนเพื่อพิจารณาอนุมัติ")
            % {"name": display_name(locked.user)}
        )
    before = _snapshot(locked)
    locked.role = role
    locked.save(update_fields=["role"])
    record(
        actor=actor,
        agency=agency,
        action=Action.CHANGE,
        obj=locked,
        summary=f"เปลี่ยนบทบาทของ {display_name(locked.user)} เป็น{locked.get_role_display()}",
        before=before,
        after=_snapshot(locked),
    )
    return locked


@transaction.atomic
def person_remove(*, agency: Agency, actor: User, membership: Membership) -> None:
    """Take the person's role here away; an account left with no agency is deactivated."""
    locked = _checked(agency, actor, membership, removing=True)
    if locked.role == Role.EXECUTIVE and _executives(agency) <= 1:
        raise PeopleRefused(
            _("%(name)s เป็นผู้บริหารคนสุดท้ายของหน่วยงาน ต้องมีผู้บริหารอย่างน้อยหนึ่งคนเพื่อพิจารณาอนุมัติ")
            % {"name": display_name(locked.user)}
        )
    user = locked.user
    before = _snapshot(locked)
    record(
        actor=actor,
        agency=agency,
        action=Action.DELETE,
        obj=locked,
        summary=f"นำ {display_name(user)} ออกจากหน่วยงาน (เดิมเป็น{locked.get_role_display()})",
        before=before,
    )
    locked.delete()
    elsewhere = (
        Membership.objects.filter(user=user).exists()
        or user.provinces.exists()
        or NationalViewer.objects.filter(user=user).exists()
    )
    if not elsewhere and not user.is_staff and not user.is_superuser:
        user.is_active = False
        user.save(update_fields=["is_active"])
