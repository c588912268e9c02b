"""The officer's form to make a unit link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openita.web.ui.bedate import BEDateField
from openita.web.ui.templatetags.openita_tags import be_date


class LinkForm(forms.Form):
    unit = forms.ChoiceField(label=_("ส่วนงาน"))
    person_name = forms.CharField(label=_("ชื่อหัวหน้าส่วนงาน"), max_length=200, min_length=2)
    email = forms.EmailField(label=_("อีเมล"), required=False)
    expires = BEDateField(label=_("ใช้ได้ถึง"), required=False)
    send = forms.BooleanField(label=_("ส่งลิงก์ทางอีเมลด้วย"), required=False)

    def __init__(
        self, *args: Any, units: list[str], default_expiry: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The date a blank field gives, said as a date (30 days after the round ends, or after
        # today once the round is over), so the label is right whatever the day.
        self.fields["expires"].label = _("ใช้ได้ถึง (เว้นว่างไว้: ถึง%(date)s)") % {
            "date": be_date(default_expiry)
        }
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(u, u) for u in units]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("send") and not cleaned.get("email"):
            self.add_error("email", _("ใส่อีเมลเมื่อต้องการส่งลิงก์ทางอีเมล"))
        return cleaned
