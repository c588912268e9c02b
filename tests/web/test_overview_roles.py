"""The national viewer role: granted and revoked with an audit entry, reads every agency and
never edits; the admin page audits it like the provincial viewers'."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import User

from openita.web.agencies.admin import NationalViewerAdmin
from openita.web.agencies.models import NationalViewer
from openita.web.agencies.selectors import can_edit, is_national, visible_agencies
from openita.web.agencies.services import national_viewer_grant, national_viewer_revoke
from openita.web.audit.admin_base import AuditedAdmin
from openita.web.audit.models import AuditEntry
from tests.web.conftest import World
from tests.web.test_views import client_for


def test_grant_and_revoke_are_audited(world: World) -> None:
    user = User.objects.create_user("nat", "nat@example.invalid", "pw-12345")
    assert not is_national(user) and visible_agencies(user).count() == 0
    before = AuditEntry.objects.count()
    national_viewer_grant(user=user, office="สำนักงาน ป.ป.ช.", actor=world.users["admin"])
    national_viewer_grant(user=user, actor=world.users["admin"])  # twice: one grant
    assert NationalViewer.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.count() == before + 1
    assert is_national(user)
    assert set(visible_agencies(user)) == {world.a, world.b, world.c}
    assert not any(can_edit(user, a) for a in (world.a, world.b, world.c))
    assert national_viewer_revoke(user=user, actor=world.users["admin"])
    assert not national_viewer_revoke(user=user)
    assert AuditEntry.objects.count() == before + 2
    assert not is_national(user) and visible_agencies(user).count() == 0


def test_national_viewer_reads_every_agency_page_and_changes_nothing(world: World) -> None:
    user = User.objects.create_user("nat", "nat@example.invalid", "pw-12345")
    national_viewer_grant(user=user)
    world.users["nat"] = user
    client = client_for(world, "nat")
    for agency in (world.a, world.b, world.c):
        assert client.get(f"/agencies/{agency.pk}/").status_code == 200
        assert client.get(f"/agencies/{agency.pk}/results/upload/").status_code == 404
    assert client.get("/admin/").status_code == 302  # not staff: no admin


def test_other_roles_are_not_national(world: World) -> None:
    for role in ("officer_a", "executive_a", "viewer_a", "provincial"):
        assert not is_national(world.users[role])
    assert is_national(world.users["admin"])  # a site admin sees everything anyway
    assert set(visible_agencies(world.users["provincial"])) == {world.a, world.b}
    assert set(visible_agencies(world.users["officer_a"])) == {world.a}


def test_the_admin_page_is_audited() -> None:
    assert isinstance(admin.site._registry[NationalViewer], NationalViewerAdmin)
    assert issubclass(NationalViewerAdmin, AuditedAdmin)
