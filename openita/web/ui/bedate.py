"""Dates entered and shown in B.E.: a form field for "30/09/2566" or "30 ก.ย. 2566".

A browser's date input shows the Christian year (and its own order of day and month), which
officers then have to convert. ``BEDateField`` is a text field that shows a date as
``30/09/2566`` and reads what people type:

* ``30/09/2566``, ``30-9-2566``, ``30.09.2566`` (day, month, B.E. year; Thai digits too);
* ``30 กันยายน 2566``, ``30 ก.ย. 2566``, ``วันที่ 30 เดือนกันยายน พ.ศ. 2566``;
* ``2023-09-30`` (ISO, C.E.: what other programs and older forms send).

A day/month/year with a year under 2400 is refused with a message that asks for the B.E. year
(2023 typed by habit would otherwise be read as 2023 B.E., 543 years early).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openita.text import thai

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MIN_BE_YEAR = 2400


def shown(value: dt.date) -> str:
    """A date as the field shows it: 30/09/2566."""
    return f"{value.day:02d}/{value.month:02d}/{thai.be_year(value.year)}"


def parse(text: str) -> dt.date:
    """The date in ``text`` (see the module's list), or ValueError with a Thai message."""
    cleaned = thai.arabic_digits(text).strip()
    found = _ISO.match(cleaned)
    if found:
        year, month, day = (int(g) for g in found.groups())
        if year >= MIN_BE_YEAR:
            year = thai.ce_year(year)
        return _real(year, month, day, text)
    found = _NUMERIC.match(cleaned)
    if found:
        day, month, year = (int(g) for g in found.groups())
        if year < MIN_BE_YEAR:
            raise ValueError(
                _("%(text)s: ปี %(year)s ไม่ใช่ปี พ.ศ. โปรดใส่ปี พ.ศ. (ค.ศ. + 543) เช่น %(example)s")
                % {"text": text, "year": year, "example": f"{day:02d}/{month:02d}/{year + 543}"}
            )
        return _real(thai.ce_year(year), month, day, text)
    try:
        return thai.parse_thai_date(cleaned)
    except ValueError:
        raise ValueError(
            _("อ่าน %(text)s เป็นวันที่ไม่ได้ โปรดใส่ วัน/เดือน/ปี พ.ศ. เช่น 30/09/2566 หรือ 30 ก.ย. 2566")
            % {"text": text}
        ) from None


def _real(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("%(text)s: ไม่มีวันที่นี้ในปฏิทิน") % {"text": text}) from None


class BEDateInput(forms.TextInput):
    """A text input holding a B.E. date; a hint says how to write one."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": gettext_lazy("วว/ดด/ปปปป (พ.ศ.)"),
            "autocomplete": "off",
            "size": "14",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return shown(value)
        return super().format_value(value)


class BEDateField(forms.DateField):
    widget = BEDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
