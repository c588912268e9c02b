"""Reads for survey campaigns: live counts, results above the privacy floor, the comparison
with the last national result, and the self-assessed result built from the agency's own
surveys (always labelled as such, never stored as a national result)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from openita import engine, frameworks
from openita.surveys import forms, results
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import AnyUser
from openita.web.results.models import Assessment
from openita.web.results.selectors import result_of
from openita.web.surveys.models import (
    AccessCode,
    Campaign,
    PendingResponse,
    Response,
    Tool,
    Verdict,
)


def campaigns_of(agency: Agency) -> list[Campaign]:
    return list(Campaign.objects.filter(agency=agency))


def campaign_in(agency: Agency, campaign_id: int) -> Campaign:
    found = Campaign.objects.filter(agency=agency, pk=campaign_id).first()
    if found is None:
        raise Http404("no such campaign")
    return found


def campaign_by_slug(slug: str) -> Campaign:
    try:
        return Campaign.objects.get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404("no such survey") from None


_FORMS: dict[tuple[int, str, str], tuple[frameworks.Framework, forms.Form]] = {}


def form_of(campaign: Campaign, lang: str = "th") -> forms.Form:
    """The campaign's form, built once per framework object (frameworks are immutable; a new
    version is a new object, so the cache never serves an outdated form)."""
    framework = frameworks.get(campaign.framework_id)
    key = (id(framework), campaign.tool, lang)
    known = _FORMS.get(key)
    if known is None or known[0] is not framework:
        known = (framework, forms.build(framework, campaign.tool, lang))
        _FORMS[key] = known
    return known[1]


@dataclass(frozen=True)
class Counts:
    counted: int
    held: int
    rejected: int
    codes_issued: int
    codes_used: int
    codes_void: int
    spares: int
    target: int
    days_left: int

    @property
    def received(self) -> int:
        return self.counted + self.held + self.rejected

    @property
    def missing(self) -> int:
        return max(0, self.target - self.counted)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.counted / self.target)) if self.target else 0


def counts(campaign: Campaign, today: date | None = None) -> Counts:
    by: dict[str, int] = {}
    for model in (Response, PendingResponse):
        for row in (
            model.objects.filter(campaign=campaign).values("verdict").annotate(n=Count("pk"))
        ):
            by[row["verdict"]] = by.get(row["verdict"], 0) + row["n"]
    code_stats = AccessCode.objects.filter(campaign=campaign).aggregate(
        issued=Count("pk"),
        used=Count("pk", filter=Q(used=True)),
        void=Count("pk", filter=Q(void=True)),
        spares=Count("pk", filter=Q(spare=True)),
    )
    end = campaign.closed_early or campaign.closes
    day = today or timezone.localdate()
    return Counts(
        counted=by.get(Verdict.COUNTED, 0),
        held=by.get(Verdict.HELD, 0),
        rejected=by.get(Verdict.REJECTED, 0),
        codes_issued=code_stats["issued"],
        codes_used=code_stats["used"],
        codes_void=code_stats["void"],
        spares=code_stats["spares"],
        target=campaign.target,
        days_left=max(0, (end - day).days),
    )


def counted_answers(campaign: Campaign) -> list[dict[str, int]]:
    """The answers that count, in no meaningful order."""
    found: list[dict[str, int]] = []
    for model in (Response, PendingResponse):
        rows = model.objects.filter(campaign=campaign, verdict=Verdict.COUNTED)
        found += [
            {str(k): int(v) for k, v in a.items()} for a in rows.values_list("answers", flat=True)
        ]
    return found


def held_responses(campaign: Campaign) -> list[Response]:
    return list(
        Response.objects.filter(campaign=campaign, verdict=Verdict.HELD).order_by("day", "id")
    )


def national_result(campaign: Campaign) -> tuple[engine.Result | None, int | None]:
    """The agency's national result of the campaign's year, else its latest before it."""
    found = (
        Assessment.objects.filter(
            agency_id=campaign.agency_id, fiscal_year__lte=campaign.fiscal_year
        )
        .order_by("-fiscal_year")
        .first()
    )
    if found is None:
        return None, None
    try:
        return engine.official(result_of(found)), found.fiscal_year
    except (engine.ScoringError, frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
        return None, None


def summary(campaign: Campaign) -> results.Summary:
    national, _ = national_result(campaign)
    fw = frameworks.get(campaign.framework_id)
    return results.summarise(fw, campaign.tool, counted_answers(campaign), national)


@dataclass(frozen=True)
class SelfAssessed:
    fiscal_year: int
    result: engine.Result | None
    sources: dict[str, str]  # tool -> where its figure comes from
    missing: list[str]  # tools with no figure


def self_assessed(agency: Agency, fiscal_year: int) -> SelfAssessed:
    """The year's total as the agency's own surveys put it: IIT and EIT from its campaigns of
    the year (those above the privacy floor), OIT from the national result or else the OIT
    checklist's prediction, each tool labelled with its source."""
    fw = frameworks.for_year(fiscal_year)
    if fw is None:
        return SelfAssessed(fiscal_year, None, {}, [])
    given: dict[str, float] = {}
    sources: dict[str, str] = {}
    for tool in (Tool.IIT, Tool.EIT):
        campaign = (
            Campaign.objects.filter(agency=agency, fiscal_year=fiscal_year, tool=tool)
            .order_by("-closes")
            .first()
        )
        if campaign is None:
            continue
        s = results.summarise(fw, tool, counted_answers(campaign))
        if s.shown and s.tool_score is not None:
            given[tool] = s.tool_score
            sources[tool] = f"แบบสำรวจของหน่วยงานเอง: {campaign.title} ({s.respondents} คน)"
    national = Assessment.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    oit = next((t for t in fw.tools if t.kind == "checklist"), None)
    if oit is not None:
        if national is not None and national.figures.get(oit.code) is not None:
            given[oit.code] = float(national.figures[oit.code])
            sources[oit.code] = f"ผลการประเมินของ ป.ป.ช. ปีงบประมาณ {fiscal_year}"
        else:
            from openita.web.oit.models import OitChecklist  # OIT preparation, read-only here
            from openita.web.oit.selectors import checklist_page

            checklist = OitChecklist.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
            if checklist is not None:
                given[oit.code] = checklist_page(checklist).prediction.oit
                sources[oit.code] = "รายการตรวจ OIT ที่หน่วยงานเตรียมไว้ (คะแนนคาดการณ์)"
    missing = [t.code for t in fw.tools if t.code not in given]
    if missing:
        return SelfAssessed(fiscal_year, None, sources, missing)
    result = engine.score(fw, given, fiscal_year=fiscal_year, label="ผลสำรวจของหน่วยงานเอง")
    return SelfAssessed(fiscal_year, result, sources, [])


def provinces_run_by(user: AnyUser) -> list[str]:
    """Provinces whose survey rounds a user may run: a provincial office's own, all for site
    admins (the provinces that have agencies)."""
    from openita.web.agencies.models import ProvincialViewer

    if getattr(user, "is_superuser", False):
        return sorted(set(Agency.objects.values_list("province", flat=True)))
    if not isinstance(user, User):
        return []
    return sorted(ProvincialViewer.objects.filter(user=user).values_list("province", flat=True))


@dataclass(frozen=True)
class SeriesRow:
    campaign: Campaign
    counts: Counts


def province_series(province: str) -> list[tuple[str, list[SeriesRow]]]:
    """The province's rounds (campaigns made together), each with every agency's counts."""
    found: dict[str, list[SeriesRow]] = {}
    campaigns = (
        Campaign.objects.filter(agency__province=province)
        .exclude(series="")
        .select_related("agency")
        .order_by("-created", "agency__name")
    )
    for c in campaigns:
        found.setdefault(c.series, []).append(SeriesRow(c, counts(c)))
    return list(found.items())
