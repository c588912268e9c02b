"""Drafting a plan on the web: the draft form and, for frameworks that plan on one indicator
(FY2569 O25), the indicators offered as the focus with their scores, the lowest first and
pre-selected."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from openita import frameworks
from openita.engine import ScoringError
from openita.plans.draft import indicator_number, ranked_indicators
from openita.web.agencies.models import Agency
from openita.web.results.models import Assessment
from openita.web.results.selectors import analysis_for

NOTE_MAX = 500


@dataclass(frozen=True)
class FocusChoice:
    code: str
    number: str  # "7" for ind7
    name: str
    score: float
    lowest: bool


@dataclass(frozen=True)
class FocusOffer:
    plan_year: int
    results_year: int
    framework: str
    choices: tuple[FocusChoice, ...]


def focus_offer(agency: Agency, plan_year: int) -> FocusOffer | None:
    """The focus choices for drafting ``plan_year``'s plan, when the results of the year
    before are scored by a framework that plans on one indicator; else None."""
    current = Assessment.objects.filter(agency=agency, fiscal_year=plan_year - 1).first()
    if current is None:
        return None
    try:  # the framework first: the analysis is only needed for the focus approach
        if frameworks.get(current.framework_id).planning.approach != "focus_indicator":
            return None
        analysis = analysis_for(current)
    except (ScoringError, ValueError, frameworks.FrameworkNotFound, frameworks.FrameworkInvalid):
        return None  # the draft itself reports what is wrong with the results
    framework = analysis.result.framework
    names = {i.code: i.name.get(get_language() or "th") for i in framework.indicators}
    ranked = ranked_indicators(analysis)
    choices = tuple(
        FocusChoice(code, indicator_number(code), names[code], score, n == 0)
        for n, (code, score) in enumerate(ranked)
    )
    return FocusOffer(plan_year, current.fiscal_year, framework.id, choices) if choices else None


class DraftForm(forms.Form):
    fiscal_year = forms.IntegerField(min_value=2500, max_value=2700)
    focus = forms.RegexField(regex=r"^ind[0-9]+$", required=False, max_length=10)
    focus_note = forms.CharField(
        label=_("เหตุผลหรือความเสี่ยงที่พิจารณา"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
