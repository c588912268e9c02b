"""Writes about measures plans: draft one from the results, save a new version of it.

Every save is a new version (the old ones are kept, with who and when). A save names the
version it was edited from (``base_version``): when someone saved another version in between,
it is refused with ``StaleEdit`` naming that version's author and time, so nothing is silently
overwritten. Saving content identical to the current version (a double submit) adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openita.measures.catalog import CatalogInvalid, CatalogNotFound
from openita.plans.draft import FocusRefused, draft_plan, year_scores
from openita.plans.files import PlanInvalid
from openita.plans.nextyear import Finding, Resolved, next_year_plan
from openita.plans.schema import Agency as PlanAgency
from openita.plans.schema import Plan, Results, YearScores
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import thai_sorted
from openita.web.audit.models import Action
from openita.web.audit.services import record
from openita.web.plans.content import content_of, plan_of
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.results.models import Assessment
from openita.web.results.selectors import analysis_for, result_of


class PlanRefused(Exception):
    """The plan cannot be drafted or saved; the message says why, for the user."""


class StaleEdit(Exception):
    """Someone saved a newer version after the one this edit started from."""

    def __init__(self, newer: PlanVersion) -> None:
        self.newer = newer
        self.author = author_name(newer)
        when = timezone.localtime(newer.created_at)
        super().__init__(
            f"version {newer.number} was saved by {self.author} at {when:%Y-%m-%d %H:%M}"
        )


@dataclass(frozen=True)
class Saved:
    version: PlanVersion
    changed: bool  # False when the content was the current version's already


def author_name(version: PlanVersion) -> str:
    return version.author


def plan_agency(agency: Agency) -> PlanAgency:
    """The plan document's agency, from the agency on file, its units and its settings
    (address, website, memo settings, signers; what is not entered stays empty)."""
    from openita.web.agencies.selectors import settings_of, signers_of

    units = thai_sorted(agency.units.all(), key=lambda u: u.name)
    settings = settings_of(agency)
    return PlanAgency(
        name=agency.name,
        type=agency.get_kind_display(),
        district=agency.district or None,
        province=agency.province or None,
        address=settings.address or None,
        website=settings.website or None,
        units=[u.name for u in units],
        memo_unit=settings.memo_unit or None,
        memo_prefix=settings.memo_prefix or None,
        signers=signers_of(settings),
    )


class FocusInvalid(PlanRefused):
    """The focus indicator asked for cannot be used (bad input: the page answers 400)."""


@transaction.atomic
def plan_draft(
    *,
    agency: Agency,
    fiscal_year: int,
    user: User | None,
    focus: str | None = None,
    focus_note: str = "",
) -> MeasuresPlan:
    """Draft the plan of ``fiscal_year`` from the results of the year before (and the earlier
    years on file as history); it becomes version 1. ``focus``: the indicator to build it on
    when the results' framework plans on one (default: the lowest)."""
    if MeasuresPlan.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
        raise PlanRefused(
            _("มีแผนมาตรการปีงบประมาณ %(year)s อยู่แล้ว โปรดแก้ไขแผนเดิม") % {"year": fiscal_year}
        )
    current = Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year - 1).first()
    if current is None:
        raise PlanRefused(
            _("ยังไม่มีผลการประเมินปีงบประมาณ %(year)s จึงร่างแผนปี %(plan)s ไม่ได้")
            % {"year": fiscal_year - 1, "plan": fiscal_year}
        )
    earlier = Assessment.objects.filter(agency=agency, fiscal_year__lt=current.fiscal_year)
    history = [result_of(a) for a in earlier.order_by("fiscal_year")]
    try:
        drafted = draft_plan(
            analysis_for(current),
            agency=plan_agency(agency),
            fiscal_year=fiscal_year,
            history=history,
            focus=focus,
            focus_note=focus_note,
        )
    except CatalogNotFound:
        raise PlanRefused(
            _("ยังไม่มีรายการมาตรการแนะนำสำหรับหลักเกณฑ์ %(framework)s จึงร่างแผนไม่ได้ โปรดแจ้งผู้ดูแลระบบ")
            % {"framework": current.framework_id}
        ) from None
    except CatalogInvalid as exc:
        raise PlanRefused(
            _("แคตตาล็อกมาตรการมีข้อผิดพลาด จึงร่างแผนไม่ได้: %(problems)s")
            % {"problems": "; ".join(exc.messages)}
        ) from None
    except FocusRefused:
        raise FocusInvalid(
            _("ตัวชี้วัด %(code)s ใช้เป็นตัวชี้วัดที่มุ่งพัฒนาของผลการประเมินปี %(year)s ไม่ได้")
            % {"code": focus, "year": current.fiscal_year}
        ) from None
    try:
        with transaction.atomic():
            plan = MeasuresPlan.objects.create(agency=agency, fiscal_year=fiscal_year)
    except IntegrityError:  # a concurrent draft of the same year won the race
        raise PlanRefused(
            _("มีแผนมาตรการปีงบประมาณ %(year)s อยู่แล้ว โปรดแก้ไขแผนเดิม") % {"year": fiscal_year}
        ) from None
    first = PlanVersion.objects.create(
        plan=plan,
        number=1,
        content=content_of(drafted),
        created_by=user,
        note=_("ร่างจากผลการประเมินปีงบประมาณ %(year)s") % {"year": current.fiscal_year},
    )
    record(
        actor=user,
        agency=agency,
        action=Action.CREATE,
        obj=plan,
        summary=f"แผนมาตรการปีงบประมาณ {fiscal_year}: {first.note}",
        after={
            "version": 1,
            "measures": len(drafted.measures),
            **({"focus": drafted.focus.indicator} if drafted.focus else {}),
        },
    )
    return plan


@transaction.atomic
def plan_save(
    *,
    plan: MeasuresPlan,
    user: User | None,
    content: Plan,
    base_version: int,
    note: str = "",
    actor_label: str = "",
) -> Saved:
    """Save ``content`` as version ``base_version + 1``; refuse when it is not the next one.
    ``actor_label`` names, in the audit log, someone saving without an account."""
    if content.fiscal_year != plan.fiscal_year or content.agency.name != plan.agency.name:
        raise PlanRefused(_("เนื้อหานี้เป็นของแผนอื่น"))
    locked = MeasuresPlan.objects.select_for_update().get(pk=plan.pk)
    current = locked.versions.select_related("created_by").order_by("-number").first()
    data = content_of(content)
    if current is not None and current.content == data:
        return Saved(current, changed=False)
    number = current.number if current is not None else 0
    if number != base_version and current is not None:
        raise StaleEdit(current)
    version = PlanVersion.objects.create(
        plan=locked,
        number=number + 1,
        content=data,
        created_by=user,
        note=note.strip()[:200],
        author_label=actor_label[:200] if user is None else "",
    )
    record(
        actor=user,
        agency=plan.agency,
        action=Action.CHANGE,
        obj=locked,
        summary=f"แผนมาตรการปีงบประมาณ {plan.fiscal_year} ฉบับที่ {version.number}"
        + (f": {version.note}" if version.note else ""),
        before={"version": number} if number else None,
        after={"version": version.number},
        actor_label=actor_label,
    )
    return Saved(version, changed=True)


# --- next fiscal year's plan from this year's ------------------------------------------------


@dataclass(frozen=True)
class NextYearPlan:
    plan: MeasuresPlan
    uncovered: tuple[Finding, ...]  # weak items of the new results no measure addresses
    resolved: tuple[Resolved, ...]  # measures whose items all pass now
    compared: bool  # the results of the plan's year were on file


def _exists_message(year: int) -> str:
    return _("มีแผนมาตรการปีงบประมาณ %(year)s อยู่แล้ว โปรดแก้ไขแผนเดิม") % {"year": year}


def _plan_year_results(plan: MeasuresPlan, old: Plan) -> Results | None:
    """The agency's results of the plan's fiscal year, when on file, with the earlier years as
    history: those on file, else those the old plan carried."""
    on_file = Assessment.objects.filter(agency=plan.agency, fiscal_year=plan.fiscal_year).first()
    if on_file is None:
        return None
    past: dict[int, YearScores] = {}
    if old.results is not None:
        for y in [*old.results.history, old.results.current]:
            framework = y.framework or old.results.framework
            past[y.fiscal_year] = y.model_copy(update={"framework": framework})
    earlier = Assessment.objects.filter(agency=plan.agency, fiscal_year__lt=plan.fiscal_year)
    for a in earlier:
        past[a.fiscal_year] = year_scores(result_of(a), framework=a.framework_id)
    return Results(
        framework=on_file.framework_id,
        current=year_scores(result_of(on_file)),
        history=[past[y] for y in sorted(past) if y < plan.fiscal_year],
    )


@transaction.atomic
def plan_next_year(*, plan: MeasuresPlan, user: User | None) -> NextYearPlan:
    """Start next fiscal year's plan from the current version of ``plan``: measures copied with
    progress emptied and deadlines a year later; the results of the plan's year, when on file,
    replace the plan's results and are compared with the measures. It becomes version 1."""
    year = plan.fiscal_year + 1
    agency = plan.agency
    if MeasuresPlan.objects.filter(agency=agency, fiscal_year=year).exists():
        raise PlanRefused(_exists_message(year))
    current = plan.versions.order_by("-number").first()
    if current is None:
        raise PlanRefused(_("แผนนี้ยังไม่มีฉบับที่บันทึกไว้"))
    old = plan_of(current.content)
    try:
        found = next_year_plan(old, results=_plan_year_results(plan, old))
    except (PlanInvalid, ValueError):
        raise PlanRefused(
            _("คำนวณผลการประเมินปีงบประมาณ %(year)s ไม่ได้ โปรดตรวจคะแนนที่บันทึกไว้")
            % {"year": plan.fiscal_year}
        ) from None
    try:
        with transaction.atomic():
            new = MeasuresPlan.objects.create(agency=agency, fiscal_year=year)
    except IntegrityError:  # a concurrent request made next year's plan first
        raise PlanRefused(_exists_message(year)) from None
    note = _("ต่อจากแผนปีงบประมาณ %(year)s ฉบับที่ %(n)s") % {
        "year": plan.fiscal_year,
        "n": current.number,
    }
    PlanVersion.objects.create(
        plan=new, number=1, content=content_of(found.plan), created_by=user, note=note
    )
    record(
        actor=user,
        agency=agency,
        action=Action.CREATE,
        obj=new,
        summary=f"แผนมาตรการปีงบประมาณ {year}: {note}",
        after={
            "version": 1,
            "measures": len(found.plan.measures),
            "from": {"plan": plan.pk, "fiscal_year": plan.fiscal_year, "version": current.number},
            "results": plan.fiscal_year if found.compared else None,
            "uncovered": [f.code for f in found.uncovered],
            "resolved": [r.measure_id for r in found.resolved],
        },
    )
    return NextYearPlan(new, found.uncovered, found.resolved, found.compared)
