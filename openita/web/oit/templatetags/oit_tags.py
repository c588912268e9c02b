"""``{% oit_source_note agency year %}``: where a year's OIT figures came from, for the results
page (auditor-confirmed, or the agency's own while its checklist is not confirmed)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from openita.web.agencies.models import Agency
from openita.web.oit.models import OitChecklist, Stage

register = template.Library()


@register.simple_tag
def oit_source_note(agency: Agency, fiscal_year: int) -> SafeString | str:
    checklist = OitChecklist.objects.filter(agency=agency, fiscal_year=fiscal_year).first()
    if checklist is None:
        return ""
    url = reverse("oit:review", kwargs={"agency_id": agency.pk, "year": fiscal_year})
    if checklist.stage == Stage.CONFIRMED and checklist.results_written is not None:
        words = _("คะแนน OIT: ยืนยันโดยผู้ตรวจประเมิน")
    else:
        words = _("คะแนน OIT: หน่วยงานประเมินตนเอง (ผู้ตรวจประเมินยังไม่ยืนยัน)")
    return format_html('<p class="hint"><a href="{}">{}</a></p>', url, words)


@register.inclusion_tag("oit/_uplift.html")
def oit_uplift(agency: Agency, fiscal_year: int) -> dict[str, object]:
    """The uplift as the OIT checklist stands, beside the results page's uplift as assessed:
    the checklist of the next assessment (the one being prepared) when there is one, else the
    checklist of the year itself."""
    from django.utils.translation import get_language

    from openita.web.oit.selectors import checklist_page

    checklist = checklist_for_uplift(agency, fiscal_year)
    if checklist is None:
        return {"page": None}
    page = checklist_page(checklist, lang=get_language() or "th")
    return {"page": page, "agency": agency, "missing": page.prediction.missing[:10]}


def checklist_for_uplift(agency: Agency, fiscal_year: int) -> OitChecklist | None:
    """The next year's checklist, else the year's own; for the latest year on file, the next
    checklist after it (the assessment being prepared may be a few years on)."""
    from openita.web.results.models import Assessment

    later = OitChecklist.objects.filter(agency=agency, fiscal_year__gte=fiscal_year)
    found = {c.fiscal_year: c for c in later.order_by("fiscal_year")}
    if fiscal_year + 1 in found:
        return found[fiscal_year + 1]
    if fiscal_year in found:
        return found[fiscal_year]
    newer = Assessment.objects.filter(agency=agency, fiscal_year__gt=fiscal_year).exists()
    return None if newer or not found else next(iter(found.values()))
