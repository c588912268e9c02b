"""Reminders: what is due on fixed dates, sent once (mail.outbox), unit heads with a link,
executives for a late round, dry runs, the management command and ``openita remind``."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from click.testing import CliRunner
from django.core import mail
from django.core.management import call_command

from openita.cli.main import cli
from openita.plans.schema import Progress
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from openita.web.plans.models import MeasuresPlan
from openita.web.reminders.models import Kind, ReminderSent
from openita.web.reminders.selectors import due_reminders
from openita.web.reminders.services import send_reminders
from openita.web.unitlinks.services import link_revoke
from tests.web.conftest import World
from tests.web.test_unitlinks import FINANCE, issue, with_units

MARCH_20 = dt.date(2023, 3, 20)  # FY2566: the 6-month round ends 31 Mar 2023


def planned(world: World, **progress: dict[str, object]) -> MeasuresPlan:
    """M1 due 25 Mar 2023, M2 due 1 May 2023, the rest at the year's end."""
    plan = with_units(world)
    version = selectors.current_version(plan)
    content = plan_of(version.content)
    due = {"M1": dt.date(2023, 3, 25), "M2": dt.date(2023, 5, 1)}
    measures = []
    for m in content.measures:
        update: dict[str, object] = {"deadline": due.get(m.id, dt.date(2023, 9, 30))}
        if m.id in progress:
            update["progress"] = {6: Progress.model_validate(progress[m.id])}
        measures.append(m.model_copy(update=update))
    services.plan_save(
        plan=plan,
        user=None,
        content=plan_of(
            {
                **content.model_dump(mode="json"),
                "measures": [m.model_dump(mode="json") for m in measures],
            }
        ),
        base_version=version.number,
    )
    return plan


def summary(found: list) -> set[tuple[str, str, str]]:  # type: ignore[type-arg]
    return {(r.kind.value, r.to.email, r.what) for r in found}


def test_due_on_fixed_dates(world: World) -> None:
    plan = planned(world)
    issue(world, plan)  # the finance head (M1, M2) has a link with an e-mail
    found = summary(due_reminders(MARCH_20))
    assert found == {
        ("measure_due", "officer_a@example.invalid", "M1"),
        ("measure_due", "head@example.invalid", "M1"),
        ("round_due", "officer_a@example.invalid", "6m"),
        ("round_due", "head@example.invalid", "6m"),
    }
    # on 12 March M1 is 13 days away, the round's end 19: only M1
    assert summary(due_reminders(dt.date(2023, 3, 12))) == {
        ("measure_due", "officer_a@example.invalid", "M1"),
        ("measure_due", "head@example.invalid", "M1"),
    }
    assert summary(due_reminders(dt.date(2023, 3, 12), days=5)) == set()
    # after the round's end, without a report: the executive is told
    assert summary(due_reminders(dt.date(2023, 4, 5))) == {
        ("round_late", "executive_a@example.invalid", "6m"),
    }


def test_done_and_dropped_measures_and_reported_rounds_are_not_reminded(world: World) -> None:
    plan = planned(world, M1={"status": "done", "percent": 100})
    assert summary(due_reminders(MARCH_20)) == {("round_due", "officer_a@example.invalid", "6m")}
    ApprovalRequest.objects.create(
        plan=plan,
        version=selectors.current_version(plan),
        subject=Subject.PROGRESS_6,
        submitted_by=world.users["officer_a"],
    )
    assert summary(due_reminders(MARCH_20)) == set()
    assert summary(due_reminders(dt.date(2023, 4, 5))) == set()  # submitted: not late
    ApprovalRequest.objects.update(status=Status.APPROVED)
    assert summary(due_reminders(dt.date(2023, 4, 5))) == set()


def test_revoked_links_get_nothing_and_old_plans_are_left_alone(world: World) -> None:
    plan = planned(world)
    issued = issue(world, plan)
    link_revoke(link=issued.link, user=world.users["officer_a"])
    assert all(r.to.email != "head@example.invalid" for r in due_reminders(MARCH_20))
    assert due_reminders(dt.date(2024, 3, 20)) == []  # the year ended long ago


def test_sent_once(world: World) -> None:
    plan = planned(world)
    issue(world, plan)
    mail.outbox.clear()
    assert send_reminders(today=MARCH_20, dry_run=True)
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    sent = send_reminders(today=MARCH_20)
    assert len(sent) == 4 and len(mail.outbox) == 4
    to_head = [m for m in mail.outbox if m.to == ["head@example.invalid"]]
    assert len(to_head) == 2 and all("ลิงก์" in m.body for m in to_head)
    assert any("M1" in m.subject for m in mail.outbox)
    assert send_reminders(today=MARCH_20) == []
    assert send_reminders(today=dt.date(2023, 3, 21)) == []  # the same due dates: not again
    assert len(mail.outbox) == 4
    assert ReminderSent.objects.filter(kind=Kind.MEASURE_DUE).count() == 2


def test_management_command_and_cli(world: World) -> None:
    planned(world)
    out = StringIO()
    call_command("send_reminders", "--today", "2023-03-20", "--dry-run", stdout=out)
    assert "officer_a@example.invalid" in out.getvalue() and "would be sent" in out.getvalue()
    assert mail.outbox == []
    result = CliRunner().invoke(cli, ["remind", "--today", "2023-04-05", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "round_late\texecutive_a@example.invalid" in result.output
    assert "1 reminder(s) would be sent for 2023-04-05" in result.output
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    result = CliRunner().invoke(cli, ["remind", "--today", "2023-04-05"])
    assert result.exit_code == 0 and len(mail.outbox) == 1
    assert CliRunner().invoke(cli, ["remind", "--today", "5 April"]).exit_code == 2
    assert FINANCE  # the unit the shared fixtures use
