"""Forms of the agency settings page: details and signers, units, emblem and letterhead."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openita.web.agencies.models import AgencySettings, FileKind
from openita.web.agencies.selectors import person_of, reviewers_of
from openita.web.agencies.services import (
    EMBLEM_MAX_BYTES,
    LETTERHEAD_MAX_BYTES,
    SettingsRefused,
    too_big,
)

MAX_REVIEWERS = 10


def _text(label: Any, max_length: int, *, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False, help_text=help_text, strip=True
    )


class SettingsForm(forms.Form):
    """The agency's details and its officer and executive (the reviewers are a formset)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    address = forms.CharField(
        label=gettext_lazy("ที่อยู่"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    website = forms.URLField(
        label=gettext_lazy("เว็บไซต์"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    memo_unit = _text(
        gettext_lazy("ส่วนราชการ (บันทึกข้อความ)"),
        300,
        help_text=gettext_lazy("เว้นว่างได้: ใช้ “สำนักปลัด” ตามด้วยชื่อหน่วยงาน อำเภอ และจังหวัด"),
    )
    memo_prefix = _text(gettext_lazy("ที่ (เลขที่หนังสือ)"), 100, help_text=gettext_lazy("เช่น สฎ ๕๒๑๐๑/"))
    officer_name = _text(gettext_lazy("ชื่อผู้รายงาน"), 200)
    officer_position = _text(gettext_lazy("ตำแหน่งผู้รายงาน"), 200)
    executive_name = _text(gettext_lazy("ชื่อผู้บริหาร"), 200)
    executive_position = _text(gettext_lazy("ตำแหน่งผู้บริหาร"), 200)
    executive_position_extra = _text(
        gettext_lazy("ตำแหน่งเพิ่มเติม"), 200, help_text=gettext_lazy("เช่น รักษาราชการแทน…")
    )

    @property
    def details(self) -> list[forms.BoundField]:
        return [self[name] for name in ("address", "website", "memo_unit", "memo_prefix")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for who in ("officer", "executive"):
            _both_or_neither(self, cleaned, f"{who}_name", f"{who}_position")
        return cleaned

    def person(self, who: str) -> dict[str, str] | None:
        data = self.cleaned_data
        person = {
            "name": data.get(f"{who}_name", ""),
            "position": data.get(f"{who}_position", ""),
            "position_extra": data.get(f"{who}_position_extra", ""),
        }
        return person if person["name"] or person["position"] else None


def _both_or_neither(form: forms.Form, cleaned: dict[str, Any], name: str, position: str) -> None:
    if cleaned.get(name) and not cleaned.get(position):
        form.add_error(position, _("โปรดกรอกตำแหน่งด้วย"))
    if cleaned.get(position) and not cleaned.get(name):
        form.add_error(name, _("โปรดกรอกชื่อด้วย"))


class ReviewerForm(forms.Form):
    name = _text(gettext_lazy("ชื่อ"), 200)
    position = _text(gettext_lazy("ตำแหน่ง"), 200)
    position_extra = _text(gettext_lazy("ตำแหน่งเพิ่มเติม"), 200)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _both_or_neither(self, cleaned, "name", "position")  # ignored when removed
        return cleaned


class BaseReviewerFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("ลำดับ")
        form.fields["ORDER"].required = False
        form.fields["DELETE"].label = _("นำออก")

    def reviewers(self) -> list[dict[str, str]]:
        """The reviewers in the order given (deleted and empty rows left out)."""
        out = []
        for form in self.ordered_forms:
            data = form.cleaned_data
            if data.get("name") or data.get("position"):
                out.append(
                    {
                        "name": data.get("name", ""),
                        "position": data.get("position", ""),
                        "position_extra": data.get("position_extra", ""),
                    }
                )
        return out


ReviewerFormSet = forms.formset_factory(
    ReviewerForm,
    formset=BaseReviewerFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_REVIEWERS,
    validate_max=True,
)
REVIEWERS_PREFIX = "r"


def settings_initial(settings: AgencySettings) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The settings form's and the reviewers formset's initial values."""
    signers = settings.signers or {}
    initial: dict[str, Any] = {
        "base_version": settings.version,
        "address": settings.address,
        "website": settings.website,
        "memo_unit": settings.memo_unit,
        "memo_prefix": settings.memo_prefix,
    }
    for who in ("officer", "executive"):
        person = person_of(signers.get(who))
        if person is not None:
            initial[f"{who}_name"] = person.name
            initial[f"{who}_position"] = person.position
            initial[f"{who}_position_extra"] = person.position_extra or ""
    reviewers = [
        {
            "name": p.name,
            "position": p.position,
            "position_extra": p.position_extra or "",
            "ORDER": n,
        }
        for n, p in enumerate(reviewers_of(settings), 1)
    ]
    return initial, reviewers


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("ชื่อส่วนงาน"), min_length=2, max_length=200)


class UnitRenameForm(forms.Form):
    current = forms.CharField(widget=forms.HiddenInput, max_length=200)
    name = forms.CharField(label=gettext_lazy("ชื่อใหม่"), min_length=2, max_length=200)


LIMITS = {FileKind.EMBLEM: EMBLEM_MAX_BYTES, FileKind.LETTERHEAD: LETTERHEAD_MAX_BYTES}


class FileForm(forms.Form):
    """One upload; the size is checked before it is read (the content by the service)."""

    file = forms.FileField(label=gettext_lazy("ไฟล์"))

    def __init__(self, *args: Any, kind: FileKind, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{kind}_%s")  # two of these forms on one page
        super().__init__(*args, **kwargs)
        self.kind = kind
        accept = "image/png,image/jpeg" if kind == FileKind.EMBLEM else ".docx"
        self.fields["file"].widget.attrs["accept"] = accept

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = LIMITS[self.kind]
        if upload.size is not None and upload.size > limit:
            error: SettingsRefused = too_big(upload.name or "-", upload.size, limit)
            raise forms.ValidationError(str(error))
        return upload
