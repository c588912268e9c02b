"""The agency's people from the app: an executive or officer invites (an account with a
one-time set-password link), changes roles and removes; nobody changes or removes themselves,
the last executive stays, every change is in the audit log; and the change-password page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from openita.web.agencies.models import Membership, Role
from openita.web.audit.models import Action, AuditEntry
from tests.web.conftest import World
from tests.web.test_views import ROLES, client_for

MANAGE = {"officer_a", "executive_a", "admin"}


def people_url(world: World) -> str:
    return reverse("people:list", args=[world.a.pk])


def member(world: World, name: str) -> Membership:
    return Membership.objects.get(agency=world.a, user__username=name)


def invite(client: Client, world: World, **fields: str) -> str:
    data = {"full_name": "นายสมชาย ใจดี", "username": "somchai", "email": "", "role": "viewer"}
    response = client.post(people_url(world), {**data, **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(people_url(world)).content.decode()
    found = re.search(r'id="invited-url" type="text" readonly value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_people_page_per_role(world: World, role: str | None) -> None:
    response = client_for(world, role).get(people_url(world))
    if role is None:
        assert response.status_code == 302
    elif role in MANAGE:
        assert response.status_code == 200 and "executive_a" in response.content.decode()
    else:
        assert response.status_code == 404


def test_invite_makes_an_account_with_a_one_time_link(world: World) -> None:
    executive = client_for(world, "executive_a")
    link = invite(executive, world, role="officer", email="somchai@example.invalid", send="on")
    user = User.objects.get(username="somchai")
    assert not user.has_usable_password() and user.get_full_name() == "นายสมชาย ใจดี"
    assert member(world, "somchai").role == Role.OFFICER
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    # shown once
    assert 'id="invited-url"' not in executive.get(people_url(world)).content.decode()
    entry = AuditEntry.objects.filter(agency=world.a, action=Action.CREATE).latest("id")
    assert "somchai" in entry.summary and entry.actor == world.users["executive_a"]
    # The link sets the password once.
    path = link.split("testserver", 1)[1]
    anonymous = Client()
    form_page = anonymous.get(path, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    new = {"new_password1": "ตั้งใหม่-2568-ok", "new_password2": "ตั้งใหม่-2568-ok"}
    assert anonymous.post(set_url, new).status_code == 302
    assert Client().login(username="somchai", password="ตั้งใหม่-2568-ok")
    again = Client().get(path, follow=True).content.decode()
    assert 'name="new_password1"' not in again  # used: the link no longer works


def test_bad_invites_are_told_and_nothing_is_made(world: World) -> None:
    officer = client_for(world, "officer_a")
    taken = officer.post(
        people_url(world),
        {"full_name": "ผู้ใช้ซ้ำ", "username": "VIEWER_A", "email": "", "role": "viewer"},
    )
    assert taken.status_code == 400 and "มีผู้ใช้แล้ว" in taken.content.decode()
    bad = officer.post(
        people_url(world), {"full_name": "x", "username": "มี ช่องว่าง", "role": "boss"}
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and 'id="problems"' in page and 'href="#id_username"' in page
    assert User.objects.count() == 6


def test_change_role_and_remove_with_confirmation(world: World) -> None:
    officer = client_for(world, "officer_a")
    viewer = member(world, "viewer_a")
    role_url = reverse("people:role", args=[world.a.pk, viewer.pk])
    assert officer.post(role_url, {f"r{viewer.pk}-role": "auditor"}).status_code == 302
    assert member(world, "viewer_a").role == Role.AUDITOR
    remove_url = reverse("people:remove", args=[world.a.pk, viewer.pk])
    asked = officer.post(remove_url)
    assert asked.status_code == 200 and 'name="confirm" value="1"' in asked.content.decode()
    assert Membership.objects.filter(pk=viewer.pk).exists()
    assert officer.post(remove_url, {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert not User.objects.get(username="viewer_a").is_active  # no agency left
    actions = list(
        AuditEntry.objects.filter(agency=world.a, object_type="agencies.membership")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == [Action.CHANGE, Action.DELETE]


def test_nobody_removes_themselves_or_the_last_executive(world: World) -> None:
    officer, executive = client_for(world, "officer_a"), client_for(world, "executive_a")
    mine = member(world, "officer_a")
    own = officer.post(reverse("people:remove", args=[world.a.pk, mine.pk]), {"confirm": "1"})
    assert own.status_code == 409 and "นำตนเองออก" in own.content.decode()
    own_role = officer.post(
        reverse("people:role", args=[world.a.pk, mine.pk]), {f"r{mine.pk}-role": "executive"}
    )
    assert own_role.status_code == 409
    boss = member(world, "executive_a")
    last = officer.post(reverse("people:remove", args=[world.a.pk, boss.pk]), {"confirm": "1"})
    assert last.status_code == 409 and "ผู้บริหารคนสุดท้าย" in last.content.decode()
    demote = officer.post(
        reverse("people:role", args=[world.a.pk, boss.pk]), {f"r{boss.pk}-role": "viewer"}
    )
    assert demote.status_code == 409
    assert member(world, "executive_a").role == Role.EXECUTIVE
    assert member(world, "officer_a").role == Role.OFFICER
    # With a second executive, the first may go.
    second = member(world, "viewer_a")
    executive.post(
        reverse("people:role", args=[world.a.pk, second.pk]), {f"r{second.pk}-role": "executive"}
    )
    gone = officer.post(reverse("people:remove", args=[world.a.pk, boss.pk]), {"confirm": "1"})
    assert gone.status_code == 302


def test_other_agencies_people_are_404(world: World) -> None:
    other = Membership.objects.get(user__username="officer_b")
    officer = client_for(world, "officer_a")
    url = reverse("people:remove", args=[world.a.pk, other.pk])
    assert officer.post(url, {"confirm": "1"}).status_code == 404
    assert client_for(world, "officer_b").get(people_url(world)).status_code == 404


def test_change_password(world: World) -> None:
    client = client_for(world, "viewer_a")
    url = reverse("password_change")
    page = client.get(url)
    assert page.status_code == 200 and "เปลี่ยนรหัสผ่าน" in page.content.decode()
    wrong = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "y"})
    assert wrong.status_code == 400
    done = client.post(
        url,
        {
            "old_password": "pw-12345",
            "new_password1": "รหัสผ่านใหม่-2568",
            "new_password2": "รหัสผ่านใหม่-2568",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    assert Client().login(username="viewer_a", password="รหัสผ่านใหม่-2568")
