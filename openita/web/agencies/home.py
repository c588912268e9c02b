"""Reads for the home page: each agency's status at a glance (results, plan, rounds,
publishing), for a provincial office's list, and what awaits the user's decision.

A handful of queries for the whole list, not per agency: a province has hundreds, the country
thousands. The list is filtered and paginated in SQL (``agency_page``) and reads each agency's
latest result from its stored figures (``Assessment.total``/``rating``/``passed``), never
rescoring; only the page's agencies get their plan status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from openita import frameworks
from openita.web.agencies.models import Agency, AgencyKind, Membership, Role
from openita.web.agencies.selectors import AnyUser, visible_agencies
from openita.web.approvals.models import ApprovalRequest, Status, Subject
from openita.web.approvals.selectors import awaiting_decision, same_for
from openita.web.plans.models import MeasuresPlan, PlanVersion
from openita.web.publishing.models import Publication
from openita.web.results.models import Assessment

PAGE_SIZE = 50
LEADING_VOWELS = "เแโใไ"
NO_RESULT = "none"


@dataclass(frozen=True)
class RoundStatus:
    months: int
    reporting: int  # measures reporting in the round
    done: int
    started: int  # in progress or done


@dataclass
class PlanStatus:
    plan: MeasuresPlan
    version: int
    approval: str  # "approved", "submitted", "changed" (since approved) or "" (not submitted)
    rounds: list[RoundStatus] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # subject labels published now


def _rounds(content: dict[str, Any]) -> list[RoundStatus]:
    found = []
    for months in (6, 12):
        reporting = done = started = 0
        for m in content.get("measures", []):
            if months not in (m.get("rounds") or []):
                continue
            reporting += 1
            status = ((m.get("progress") or {}).get(str(months)) or {}).get("status")
            done += status == "done"
            started += status in ("done", "in_progress")
        found.append(RoundStatus(months, reporting, done, started))
    return found


def plan_status(agencies: list[Agency]) -> dict[int, PlanStatus]:
    """The newest plan of each agency that has one, with where it stands."""
    newest: dict[int, MeasuresPlan] = {}
    for plan in MeasuresPlan.objects.filter(agency__in=agencies).order_by("fiscal_year"):
        newest[plan.agency_id] = plan
    statuses = statuses_of(list(newest.values()))
    return {agency_id: statuses[plan.pk] for agency_id, plan in newest.items()}


def statuses_of(plans: list[MeasuresPlan], *, labels: bool = True) -> dict[int, PlanStatus]:
    """Where each plan stands, by plan id, in a few queries for all of them: its current
    version, its approval ("approved", "submitted", "changed" since approved, or ""), its rounds
    and what is published now (subject labels, or subject codes with ``labels=False``)."""
    numbers = dict(
        PlanVersion.objects.filter(plan__in=plans)
        .values("plan")
        .annotate(n=Max("number"))
        .values_list("plan", "n")
    )
    wanted = Q(pk__in=[])
    for plan_id, number in numbers.items():
        wanted |= Q(plan_id=plan_id, number=number)
    versions = {v.plan_id: v for v in PlanVersion.objects.filter(wanted)} if numbers else {}
    states: dict[int, str] = {}
    requests = ApprovalRequest.objects.filter(
        plan__in=plans, subject=Subject.PLAN, status__in=(Status.APPROVED, Status.SUBMITTED)
    ).select_related("version")
    for r in requests.order_by("id"):
        current = versions.get(r.plan_id)
        if r.status == Status.SUBMITTED:
            states[r.plan_id] = Status.SUBMITTED
        elif current is not None and same_for(Subject.PLAN, r.version, current):
            states[r.plan_id] = Status.APPROVED
        elif states.get(r.plan_id) != Status.SUBMITTED:
            states[r.plan_id] = "changed"  # approved once, changed since
    published: dict[int, list[str]] = {}
    live = Publication.objects.filter(
        plan__in=plans, withdrawn_at__isnull=True, superseded_at__isnull=True
    )
    for pub in live.order_by("subject"):
        shown = pub.get_subject_display() if labels else str(pub.subject)
        published.setdefault(pub.plan_id, []).append(shown)
    found = {}
    for plan in plans:
        version = versions.get(plan.pk)
        content = version.content if version is not None else None
        found[plan.pk] = PlanStatus(
            plan=plan,
            version=version.number if version else 0,
            approval=str(states.get(plan.pk, "")),
            rounds=_rounds(content) if isinstance(content, dict) else [],
            published=published.get(plan.pk, []),
        )
    return found


def awaiting_for(user: AnyUser) -> list[tuple[Agency, list[ApprovalRequest]]]:
    """Requests awaiting this user's decision, per agency where the user is an executive."""
    if not user.is_authenticated:
        return []
    ids = Membership.objects.filter(user=user, role=Role.EXECUTIVE).values_list("agency", flat=True)
    found = []
    for agency in Agency.objects.filter(pk__in=ids).order_by("name"):
        waiting = awaiting_decision(user, agency)
        if waiting:
            found.append((agency, waiting))
    return found


# --- the list of agencies: filtered and paginated in SQL ------------------------------------


def thai_order(field: str) -> Case:
    """A sort key close to Thai dictionary order that SQLite and PostgreSQL both compute: a
    leading vowel (เ แ โ ใ ไ) sorts after the consonant it is written before, as in the
    dictionary (เทศบาล under ท). Later syllables sort by code point."""
    swapped = Concat(Substr(field, 2, 1), Substr(field, 1, 1), Substr(field, 3))
    return Case(
        *(When(**{f"{field}__startswith": v, "then": swapped}) for v in LEADING_VOWELS),
        default=F(field),
        output_field=CharField(),
    )


class AgencyFilterForm(forms.Form):
    """The home list's filters. Unknown values (an old bookmark) narrow nothing."""

    q = forms.CharField(label=_("ชื่อหรือรหัสหน่วยงาน"), required=False, max_length=100, strip=True)
    kind = forms.CharField(label=_("ประเภท"), required=False, widget=forms.Select)
    province = forms.CharField(label=_("จังหวัด"), required=False, widget=forms.Select)
    district = forms.CharField(label=_("อำเภอ"), required=False, widget=forms.Select)
    rating = forms.CharField(label=_("ระดับผลล่าสุด"), required=False, widget=forms.Select)
    plan = forms.CharField(label=_("แผนมาตรการ"), required=False, widget=forms.Select)

    def __init__(
        self, *args: Any, provinces: list[str], districts: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.known: dict[str, set[str]] = {}
        bands = [b.code for b in frameworks.default().bands]
        self._choices("kind", [("", _("ทุกประเภท")), *AgencyKind.choices])
        self._choices("province", [("", _("ทุกจังหวัด")), *((p, p) for p in provinces)])
        self._choices("district", [("", _("ทุกอำเภอ")), *((d, d) for d in districts)])
        self._choices(
            "rating",
            [("", _("ทุกระดับ")), *((b, b) for b in bands), (NO_RESULT, _("ยังไม่มีผลการประเมิน"))],
        )
        self._choices("plan", [("", _("ทั้งหมด")), ("yes", _("มีแผน")), ("no", _("ยังไม่มีแผน"))])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        widget = self.fields[name].widget
        assert isinstance(widget, forms.Select)
        widget.choices = choices
        self.known[name] = {str(v) for v, _label in choices}

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        found = {}
        for name, value in self.cleaned_data.items():
            text = str(value or "").strip()
            if text and (name == "q" or text in self.known.get(name, set())):
                found[name] = text
        return found


def scope_provinces(user: AnyUser) -> list[str]:
    """The provinces of the agencies the user may see (one query), in Thai order."""
    from openita.web.agencies.selectors import thai_sorted

    found = visible_agencies(user).order_by().values_list("province", flat=True).distinct()
    return thai_sorted(set(found), key=lambda p: p)


def province_districts(user: AnyUser, province: str) -> list[str]:
    from openita.web.agencies.selectors import thai_sorted

    found = (
        visible_agencies(user)
        .filter(province=province)
        .exclude(district="")
        .order_by()
        .values_list("district", flat=True)
        .distinct()
    )
    return thai_sorted(set(found), key=lambda d: d)


def _with_latest(found: QuerySet[Agency]) -> QuerySet[Agency]:
    """Each agency with its latest result's stored figures and whether it has a plan."""
    latest = Assessment.objects.filter(agency=OuterRef("pk")).order_by("-fiscal_year")
    return found.annotate(
        latest_year=Subquery(latest.values("fiscal_year")[:1]),
        latest_total=Subquery(latest.values("total")[:1]),
        latest_rating=Subquery(latest.values("rating")[:1]),
        latest_passed=Subquery(latest.values("passed")[:1]),
        has_plan=Exists(MeasuresPlan.objects.filter(agency=OuterRef("pk"))),
    )


def listed_agencies(user: AnyUser, filters: dict[str, str]) -> QuerySet[Agency]:
    """The user's agencies narrowed by ``filters``, in (near) Thai dictionary order. The
    latest result is looked up only when a filter needs it (``listed_rows`` adds it to the
    page's rows)."""
    found = visible_agencies(user).annotate(sort_key=thai_order("name"))
    if text := filters.get("q"):
        found = found.filter(Q(name__icontains=text) | Q(code__iexact=text))
    if kind := filters.get("kind"):
        found = found.filter(kind=kind)
    if province := filters.get("province"):
        found = found.filter(province=province)
    if district := filters.get("district"):
        found = found.filter(district=district)
    rating = filters.get("rating")
    latest = Assessment.objects.filter(agency=OuterRef("pk")).order_by("-fiscal_year")
    if rating == NO_RESULT:
        found = found.filter(~Exists(Assessment.objects.filter(agency=OuterRef("pk"))))
    elif rating:
        found = found.annotate(latest_rating_=Subquery(latest.values("rating")[:1])).filter(
            latest_rating_=rating
        )
    has_plan = Exists(MeasuresPlan.objects.filter(agency=OuterRef("pk")))
    if filters.get("plan") == "yes":
        found = found.filter(has_plan)
    elif filters.get("plan") == "no":
        found = found.filter(~has_plan)
    return found.order_by("sort_key", "pk")


def listed_rows(ids: list[int]) -> list[Agency]:
    """The agencies of ``ids`` in that order, each with its latest result (``latest_year``,
    ``latest_total``, ``latest_rating``, ``latest_passed``) and ``has_plan``: one query."""
    found = {a.pk: a for a in _with_latest(Agency.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class AgencyRow:
    agency: Agency
    status: PlanStatus | None


@dataclass(frozen=True)
class AgencyPage:
    form: AgencyFilterForm
    page: Page[int]
    rows: list[AgencyRow]
    filtered: bool


def agency_page(user: AnyUser, params: Any, page: int | str | None) -> AgencyPage:
    """One page of the user's agencies (``PAGE_SIZE``), filtered by ``params`` (the query
    string), each with its latest stored result and its plan's status."""
    provinces = scope_provinces(user)
    chosen = str(params.get("province") or "") if params else ""
    if chosen not in provinces:
        chosen = provinces[0] if len(provinces) == 1 else ""
    districts = province_districts(user, chosen) if chosen else []
    form = AgencyFilterForm(params or None, provinces=provinces, districts=districts)
    filters = form.filters()
    # Page over ids first (sorting needs no per-agency look-ups), then read the page's rows.
    ids = listed_agencies(user, filters).values_list("pk", flat=True)
    found = Paginator(ids, PAGE_SIZE).get_page(page)
    agencies = listed_rows(list(found.object_list))
    status = plan_status(agencies)
    return AgencyPage(
        form=form,
        page=found,
        rows=[AgencyRow(a, status.get(a.pk)) for a in agencies],
        filtered=bool(filters),
    )
