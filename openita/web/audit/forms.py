"""The audit log's filters: kind of action, person, from and to dates (all optional)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.audit.models import Action
from openita.web.audit.selectors import Filters


class LogFilterForm(forms.Form):
    # Plain text behind a select: an unknown value (an old bookmark) narrows nothing.
    action = forms.CharField(label=_("การกระทำ"), required=False, widget=forms.Select)
    person = forms.CharField(label=_("ผู้ดำเนินการ"), required=False, widget=forms.Select)
    since = forms.DateField(
        label=_("ตั้งแต่วันที่"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("ถึงวันที่"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, people: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"].widget
        assert isinstance(action, forms.Select)
        action.choices = [("", _("ทั้งหมด")), *Action.choices]
        person = self.fields["person"].widget
        assert isinstance(person, forms.Select)
        person.choices = [("", _("ทุกคน")), *((p, p) for p in people)]

    def clean_action(self) -> str:
        value = str(self.cleaned_data.get("action") or "")
        return value if value in Action.values else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
        return cleaned

    def filters(self) -> Filters:
        """The filters asked for (none when the form has problems)."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            action=data.get("action") or None,
            person=data.get("person") or None,
            since=data.get("since"),
            until=data.get("until"),
        )
