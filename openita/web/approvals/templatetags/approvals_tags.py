"""Partials other pages include with one line: a plan's approvals, an agency's pending ones."""

from __future__ import annotations

from typing import Any

from django import template

from openita.web.agencies.selectors import can_edit
from openita.web.approvals import selectors
from openita.web.approvals.forms import SubmitForm

register = template.Library()


def _approvals(context: template.Context, months: int | None = None) -> dict[str, Any]:
    user = context["request"].user
    agency, plan = context["agency"], context["plan"]
    states = selectors.states_of(plan, context["version"])
    if months is not None:
        states = [s for s in states if s.subject == selectors.ROUND_SUBJECTS.get(months)]  # type: ignore[call-overload]
    return {
        "agency": agency,
        "plan": plan,
        "states": states,
        "can_submit": can_edit(user, agency),
        "can_decide": selectors.can_decide(user, agency),
        "form": SubmitForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("approvals/_plan.html", takes_context=True)
def plan_approvals(context: template.Context) -> dict[str, Any]:
    """Where the plan and its two reports stand (for the plan page, which has agency, plan and
    its current version in its context), with the submit buttons for editors."""
    return _approvals(context)


@register.inclusion_tag("approvals/_plan.html", takes_context=True)
def round_approval(context: template.Context) -> dict[str, Any]:
    """The same for one round's report (for the round's progress page, with ``round``)."""
    return _approvals(context, context["round"].months)


@register.inclusion_tag("approvals/_awaiting.html", takes_context=True)
def awaiting_decision(context: template.Context) -> dict[str, Any]:
    """The agency's requests awaiting this user's decision (nothing for who does not decide)."""
    agency = context["agency"]
    return {
        "agency": agency,
        "awaiting": selectors.awaiting_decision(context["request"].user, agency),
    }
