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
