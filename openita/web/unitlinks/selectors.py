"""Reads about unit links: the link of a token, a plan's links, what a link may change."""

from __future__ import annotations

import hashlib
import hmac

from django.http import Http404
from django.utils import timezone

from openita.plans.schema import Measure, Plan
from openita.web.agencies.models import Agency
from openita.web.plans.models import MeasuresPlan
from openita.web.plans.selectors import unit_choices
from openita.web.unitlinks.models import UnitLink


class LinkGone(Exception):
    """The link existed but has expired or was revoked (the page answers 410)."""

    def __init__(self, link: UnitLink) -> None:
        self.link = link
        super().__init__("revoked" if link.revoked_at else "expired")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_for_token(token: str) -> UnitLink:
    """The active link of ``token``; Http404 for an unknown one, LinkGone for an ended one.

    Only the hash is stored and looked up; the hashes are compared once more in constant
    time, so the answer time says nothing about how much of a guess was right."""
    if not token or len(token) > 200:
        raise Http404("no such link")
    wanted = token_hash(token)
    found = UnitLink.objects.filter(token_hash=wanted).select_related("plan", "agency").first()
    if found is None or not hmac.compare_digest(found.token_hash, wanted):
        raise Http404("no such link")
    if not found.active:
        raise LinkGone(found)
    return found


def links_of(plan: MeasuresPlan, months: int) -> list[UnitLink]:
    """The round's links still in force, by unit."""
    return list(
        UnitLink.objects.filter(
            plan=plan, months=months, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("unit", "-created_at")
    )


def link_in(plan: MeasuresPlan, months: int, link_id: int) -> UnitLink:
    found = UnitLink.objects.filter(plan=plan, months=months, pk=link_id).first()
    if found is None:
        raise Http404("no such link")
    return found


def round_units(agency: Agency, plan: Plan, months: int) -> list[str]:
    """Units to choose from: those with measures in the round first, then the agency's."""
    mine = [m.unit for m in plan.measures if months in m.rounds]
    return list(dict.fromkeys([*mine, *unit_choices(agency, plan)]))


def unit_measures(plan: Plan, months: int, unit: str) -> list[Measure]:
    """The measures the link may change: the unit's, reporting in the round."""
    return [m for m in plan.measures if m.unit == unit and months in m.rounds]
