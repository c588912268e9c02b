"""Survey pages: the officer's campaigns (make, codes, poster, counts, results, review) and the
respondent's form (no login; one light page per section, no script needed)."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from openita.documents.kinds import survey as survey_doc
from openita.surveys import forms as survey_forms
from openita.web.agencies.models import Agency
from openita.web.agencies.selectors import agency_for_user, can_edit
from openita.web.surveys import selectors, services
from openita.web.surveys.forms import CampaignForm, CodesForm, StartForm
from openita.web.surveys.models import Campaign, Draft, Tool
from openita.web.ui.client import client_address
from openita.web.ui.downloads import document_download

COOKIE = "svy_"  # + slug: the signed draft id and proof of the respondent's browser
MARK = "svb_"  # + slug: the browser's token for a public survey (one answer per browser)
SALT = "openita.surveys.draft"
MAX_AGE = 14 * 24 * 3600


# --- the officer's pages -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    editable = can_edit(request.user, agency)
    status = 200
    if request.method == "POST":
        agency = agency_for_user(request.user, agency_id, write=True)
        form = CampaignForm(request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    agency=agency,
                    fiscal_year=d["fiscal_year"],
                    tool=d["tool"],
                    opens=d["opens"],
                    closes=d["closes"],
                    title=d["title"],
                    target=d["target"],
                    eligible=d["eligible"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except services.SurveyRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("สร้างรอบสำรวจแล้ว"))
                return redirect("surveys:detail", agency_id=agency.pk, campaign_id=campaign.pk)
    else:
        form = CampaignForm()
    rows = [(c, selectors.counts(c)) for c in selectors.campaigns_of(agency)]
    context = {"agency": agency, "form": form, "rows": rows, "editable": editable}
    return render(request, "surveys/index.html", context, status=status)


def _public_url(request: HttpRequest, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("surveys:start", args=[campaign.slug]))


@login_required
@require_GET
def detail(request: HttpRequest, agency_id: int, campaign_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    campaign = selectors.campaign_in(agency, campaign_id)
    counts = selectors.counts(campaign)
    summary = selectors.summary(campaign)
    _national, national_year = selectors.national_result(campaign)
    context = {
        "agency": agency,
        "campaign": campaign,
        "counts": counts,
        "summary": summary,
        "national_year": national_year,
        "url": _public_url(request, campaign),
        "open": services.is_open(campaign),
        "editable": can_edit(request.user, agency),
        "held": selectors.held_responses(campaign) if can_edit(request.user, agency) else [],
        "codes_form": CodesForm(initial={"n": campaign.eligible or 10, "fmt": "pdf"}),
        "is_iit": campaign.tool == Tool.IIT,
    }
    return render(request, "surveys/detail.html", context)


@login_required
@require_POST
def codes(request: HttpRequest, agency_id: int, campaign_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    campaign = selectors.campaign_in(agency, campaign_id)
    form = CodesForm(request.POST)
    back = reverse("surveys:detail", args=[agency.pk, campaign.pk])
    if not form.is_valid():
        messages.error(request, "; ".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect(back)
    try:
        plain = services.codes_issue(
            campaign=campaign,
            n=form.cleaned_data["n"],
            spare=form.cleaned_data["spare"],
            user=request.user,  # type: ignore[arg-type]
        )
    except services.SurveyRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if form.cleaned_data["fmt"] == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        names = form.cleaned_data["names"]
        writer.writerow(["code", "url", *(["name"] if names else [])])
        url = _public_url(request, campaign)
        for n, code in enumerate(plain):
            writer.writerow([code, url, *([names[n]] if names else [])])
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="codes-{campaign.pk}.csv"'
        return response
    document = survey_doc.slips(
        agency=agency.name,
        fiscal_year=campaign.fiscal_year,
        title=campaign.title,
        url=_public_url(request, campaign),
        codes=plain,
        closes=campaign.closes,
        names=form.cleaned_data["names"],
    )
    return document_download(
        request, agency, document, "pdf", f"codes-{campaign.pk}.pdf", back=back
    )


@login_required
@require_POST
def void(request: HttpRequest, agency_id: int, campaign_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    campaign = selectors.campaign_in(agency, campaign_id)
    try:
        batch = int(request.POST.get("batch", ""))
    except ValueError:
        messages.error(request, _("โปรดระบุชุดของรหัสที่จะยกเลิก"))
    else:
        n = services.batch_void(campaign=campaign, batch=batch, user=request.user)  # type: ignore[arg-type]
        messages.success(request, _("ยกเลิกรหัสที่ยังไม่ได้ใช้ %(n)d รหัส") % {"n": n})
    return redirect("surveys:detail", agency_id=agency.pk, campaign_id=campaign.pk)


@login_required
@require_GET
def poster(request: HttpRequest, agency_id: int, campaign_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    campaign = selectors.campaign_in(agency, campaign_id)
    document = survey_doc.poster(
        agency=agency.name,
        fiscal_year=campaign.fiscal_year,
        title=campaign.title,
        url=_public_url(request, campaign),
        opens=campaign.opens,
        closes=campaign.closes,
    )
    back = reverse("surveys:detail", args=[agency.pk, campaign.pk])
    return document_download(
        request, agency, document, "pdf", f"poster-{campaign.pk}.pdf", back=back
    )


@login_required
@require_POST
def close(request: HttpRequest, agency_id: int, campaign_id: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    campaign = selectors.campaign_in(agency, campaign_id)
    services.campaign_close(campaign=campaign, user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("ปิดรับคำตอบแล้ว"))
    return redirect("surveys:detail", agency_id=agency.pk, campaign_id=campaign.pk)


@login_required
@require_POST
def review(
    request: HttpRequest, agency_id: int, campaign_id: int, response_id: UUID
) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id, write=True)
    campaign = selectors.campaign_in(agency, campaign_id)
    count = request.POST.get("count") == "1"
    try:
        services.review(
            campaign=campaign,
            response_id=str(response_id),
            count=count,
            user=request.user,  # type: ignore[arg-type]
        )
    except services.SurveyRefused as exc:
        messages.warning(request, str(exc))
    return redirect("surveys:detail", agency_id=agency.pk, campaign_id=campaign.pk)


@login_required
@require_GET
def own_result(request: HttpRequest, agency_id: int, fiscal_year: int) -> HttpResponse:
    agency = agency_for_user(request.user, agency_id)
    own = selectors.self_assessed(agency, fiscal_year)
    return render(request, "surveys/own.html", {"agency": agency, "own": own})


@login_required
@require_http_methods(["GET", "POST"])
def province(request: HttpRequest, name: str) -> HttpResponse:
    """A provincial office's round: one campaign for every agency of its province, made
    together; then each agency's counts against its target."""
    if name not in selectors.provinces_run_by(request.user):
        raise Http404("no such province for this user")
    agencies = list(Agency.objects.filter(province=name).order_by("name"))
    status = 200
    if request.method == "POST":
        form = CampaignForm(request.POST, per_agency=True)
        status = 400
        if form.is_valid() and agencies:
            d = form.cleaned_data
            try:
                services.province_campaigns_create(
                    agencies=agencies,
                    user=request.user,  # type: ignore[arg-type]
                    fiscal_year=d["fiscal_year"],
                    tool=d["tool"],
                    opens=d["opens"],
                    closes=d["closes"],
                    title=d["title"],
                    target=d["target"],
                    eligible=None,
                )
            except services.SurveyRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("สร้างรอบสำรวจให้ %(n)d หน่วยงานแล้ว") % {"n": len(agencies)}
                )
                return redirect("surveys:province", name=name)
    else:
        form = CampaignForm(per_agency=True)
    context = {
        "province": name,
        "agencies": agencies,
        "form": form,
        "series": selectors.province_series(name),
    }
    return render(request, "surveys/province.html", context, status=status)


# --- the respondent's pages (no login) -----------------------------------------------------


def _source(request: HttpRequest) -> str:
    address = client_address(request.META)  # behind the proxy too (OPENITA_TRUSTED_PROXIES)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]


def _limited(request: HttpRequest, campaign: Campaign, what: str) -> bool:
    """At most OPENITA_SURVEY_RATE starts or sends an hour from one source (its address, kept
    hashed in the cache for the hour only, never in the database)."""
    limit = int(getattr(settings, "OPENITA_SURVEY_RATE", 120))
    key = f"svy-rate:{campaign.pk}:{what}:{_source(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        n = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        n = 1
    return n > limit


def _state(request: HttpRequest, campaign: Campaign) -> dict[str, str] | None:
    raw = request.COOKIES.get(COOKIE + campaign.slug)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=SALT + campaign.slug, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) else None


def _gone(
    request: HttpRequest, campaign: Campaign, message: str, status: int = 410
) -> HttpResponse:
    context = {"campaign": campaign, "message": message}
    return render(request, "surveys/public_message.html", context, status=status)


@require_http_methods(["GET", "POST"])
def public_start(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_by_slug(slug)
    state = _state(request, campaign)
    if state and Draft.objects.filter(pk=state.get("d", ""), campaign=campaign).exists():
        return redirect("surveys:page", slug=slug, page=1)  # resume where the browser was
    if not services.is_open(campaign):
        return _gone(request, campaign, _("รอบสำรวจนี้ไม่ได้เปิดรับคำตอบในขณะนี้"))
    form = StartForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if _limited(request, campaign, "start"):
            return _gone(
                request, campaign, _("มีการเริ่มตอบจากเครือข่ายนี้มากเกินไป โปรดลองใหม่ภายหลัง"), 429
            )
        status = 400
        if form.is_valid():
            browser = request.COOKIES.get(MARK + slug)
            try:
                started = services.start(
                    campaign=campaign, code=form.cleaned_data["code"], browser=browser
                )
            except services.SurveyRefused as exc:
                form.add_error("code" if campaign.tool == Tool.IIT else None, str(exc))
            else:
                response = redirect("surveys:page", slug=slug, page=1)
                value = signing.dumps(
                    {"d": str(started.draft.pk), "p": started.proof}, salt=SALT + slug
                )
                response.set_cookie(
                    COOKIE + slug,
                    value,
                    max_age=MAX_AGE,
                    httponly=True,
                    samesite="Lax",
                    path=f"/s/{slug}/",
                    secure=request.is_secure(),
                )
                if campaign.tool == Tool.EIT:
                    response.set_cookie(
                        MARK + slug,
                        started.proof,
                        max_age=400 * 24 * 3600,
                        httponly=True,
                        samesite="Lax",
                        path=f"/s/{slug}/",
                        secure=request.is_secure(),
                    )
                return response
    context = {
        "campaign": campaign,
        "form": form,
        "is_iit": campaign.tool == Tool.IIT,
        "sections": len(selectors.form_of(campaign).sections),
    }
    return render(request, "surveys/public_start.html", context, status=status)


@require_http_methods(["GET", "POST"])
def public_page(request: HttpRequest, slug: str, page: int) -> HttpResponse:
    campaign = selectors.campaign_by_slug(slug)
    form = selectors.form_of(campaign, getattr(request, "LANGUAGE_CODE", "th"))
    if not 1 <= page <= len(form.sections):
        raise Http404("no such page")
    state = _state(request, campaign)
    if state is None:
        return redirect("surveys:start", slug=slug)
    section = form.sections[page - 1]
    last = page == len(form.sections)
    if request.method == "POST" and last:
        # the last page goes straight to send: one transaction checks, stores and spends
        sent = {q.key: request.POST.get(q.key, "") for q in section.questions if q.options}
        problems = survey_forms.check(form, sent, section=section.indicator)
        if not problems:
            if campaign.tool == Tool.EIT and _limited(request, campaign, "send"):
                message = _("มีการส่งคำตอบจากเครือข่ายนี้มากเกินไป โปรดลองใหม่ภายหลัง")
                return _gone(request, campaign, message, 429)
            try:
                services.send(
                    campaign=campaign, draft_id=state["d"], proof=state["p"], form=form, last=sent
                )
            except services.AlreadySent:
                pass
            except services.SurveyRefused as exc:
                return _gone(request, campaign, str(exc), 409)
            response = redirect("surveys:done", slug=slug)
            response.delete_cookie(COOKIE + slug, path=f"/s/{slug}/")
            return response
    draft = Draft.objects.filter(pk=state.get("d", ""), campaign=campaign).first()
    if draft is None:  # sent already: the draft is gone
        return redirect("surveys:done", slug=slug)
    problems = []
    answers: dict[str, Any] = dict(draft.answers)
    status = 200
    if request.method == "POST":
        sent = {q.key: request.POST.get(q.key, "") for q in section.questions if q.options}
        answers.update(sent)
        if last:  # the checks above failed: show them
            problems = survey_forms.check(form, sent, section=section.indicator)
        else:
            problems = services.section_save(
                draft=draft, form=form, section=section.indicator, answers=sent
            )
        if problems:
            status = 400
        else:
            return redirect("surveys:page", slug=slug, page=page + 1)
    wrong = {p.key for p in problems}
    context = {
        "campaign": campaign,
        "form": form,
        "section": section,
        "page": page,
        "pages": len(form.sections),
        "answers": answers,
        "problems": problems,
        "wrong": wrong,
        "last": last,
    }
    return render(request, "surveys/public_page.html", context, status=status)


@require_GET
def public_done(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_by_slug(slug)
    return render(request, "surveys/public_done.html", {"campaign": campaign})
