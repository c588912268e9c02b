"""The edit form of a plan: the foreword, and one small form per measure (a formset).

Each measure's form keeps its ``id`` hidden, so the fields the form does not show (progress,
the codes it addresses) are carried over from the version being edited. The last, blank form
adds a measure; ticking "remove" drops one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from openita.documents.thai import fiscal_year_bounds, format_date
from openita.plans.draft import GROUPS
from openita.plans.schema import Plan

ROUND_CHOICES = [(6, _("รอบ 6 เดือน")), (12, _("รอบ 12 เดือน"))]


def _choices(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in dict.fromkeys(values)]


class PlanForm(forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    foreword = forms.CharField(
        label=_("คำนำ"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    note = forms.CharField(
        label=_("บันทึกการแก้ไข (ถ้ามี)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("เช่น ปรับกำหนดแล้วเสร็จตามมติที่ประชุม")}),
    )


class MeasureForm(forms.Form):
    id = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("มาตรการ"), min_length=2, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    group = forms.ChoiceField(label=_("มาตรการหลัก"), required=False)
    steps = forms.CharField(
        label=_("ขั้นตอน/วิธีการปฏิบัติ (บรรทัดละหนึ่งขั้นตอน)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("ใส่ขั้นตอนอย่างน้อยหนึ่งบรรทัด")},
    )
    unit = forms.ChoiceField(label=_("ผู้รับผิดชอบ"))
    deadline = forms.DateField(
        label=_("กำหนดแล้วเสร็จ"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rounds = forms.TypedMultipleChoiceField(
        label=_("รอบการรายงาน"),
        choices=ROUND_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("เลือกรอบการรายงานอย่างน้อยหนึ่งรอบ")},
    )

    def __init__(
        self,
        *args: Any,
        units: list[str],
        groups: list[str],
        fiscal_year: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = [("", "—"), *_choices(units)]
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ChoiceField)
        group_field.choices = [("", "—"), *_choices(groups)]

    def clean_steps(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["steps"].splitlines()]
        steps = [line for line in lines if line]
        if not steps:
            raise forms.ValidationError(_("ใส่ขั้นตอนอย่างน้อยหนึ่งบรรทัด"))
        return steps

    def clean_deadline(self) -> dt.date:
        deadline: dt.date = self.cleaned_data["deadline"]
        start, end = fiscal_year_bounds(self.fiscal_year)
        if not start <= deadline <= end:
            raise forms.ValidationError(
                _("กำหนดแล้วเสร็จต้องอยู่ในปีงบประมาณ %(year)s (%(start)s – %(end)s)"),
                params={
                    "year": self.fiscal_year,
                    "start": format_date(start),
                    "end": format_date(end),
                },
            )
        return deadline

    def be_deadline(self) -> str:
        """The deadline shown in B.E. beside the date input (the posted one when bound)."""
        raw = self["deadline"].value()
        if isinstance(raw, dt.date):
            return format_date(raw)
        try:
            return format_date(dt.date.fromisoformat(str(raw)))
        except ValueError:
            return ""


class BaseMeasureFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and (f.has_changed() or f.cleaned_data.get("id"))
        ]
        if not kept:
            raise forms.ValidationError(_("แผนต้องมีมาตรการอย่างน้อยหนึ่งมาตรการ"))


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=1, can_delete=True
)


def form_options(plan: Plan, units: list[str]) -> dict[str, Any]:
    """form_kwargs of the measure forms: the agency's units plus those the plan uses."""
    return {
        "units": [*units, *(m.unit for m in plan.measures)],
        "groups": [*GROUPS.values(), *(m.group for m in plan.measures if m.group)],
        "fiscal_year": plan.fiscal_year,
    }


def initial_of(plan: Plan, base_version: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    measures = [
        {
            "id": m.id,
            "title": m.title,
            "group": m.group,
            "steps": "\n".join(m.steps),
            "unit": m.unit,
            "deadline": m.deadline,
            "rounds": list(m.rounds),
        }
        for m in plan.measures
    ]
    return {"base_version": base_version, "foreword": plan.foreword}, measures


def _next_id(used: set[str]) -> str:
    n = 1
    while f"M{n}" in used:
        n += 1
    return f"M{n}"


def plan_from_forms(base: Plan, form: PlanForm, formset: BaseMeasureFormSet) -> Plan | None:
    """The edited plan: ``base`` with the form's foreword and measures, each measure keeping
    what the form does not show (progress, addresses). None, with the problem added to the
    form, when the result is not a valid plan."""
    old = {m.id: m for m in base.measures}
    used = set(old)
    measures: list[dict[str, Any]] = []
    for sub in formset.forms:
        cleaned = getattr(sub, "cleaned_data", None)
        if not cleaned or cleaned.get("DELETE"):
            continue
        if not sub.has_changed() and not cleaned.get("id"):
            continue  # the blank form for a new measure, left blank
        measure_id = cleaned.get("id") or ""
        if measure_id not in old:
            measure_id = _next_id(used)
        used.add(measure_id)
        data = old[measure_id].model_dump() if measure_id in old else {"id": measure_id}
        data.update(
            title=cleaned["title"],
            group=cleaned.get("group") or "",
            steps=cleaned["steps"],
            unit=cleaned["unit"],
            deadline=cleaned["deadline"],
            rounds=sorted(cleaned["rounds"]),
        )
        measures.append(data)
    content = {**base.model_dump(), "foreword": form.cleaned_data["foreword"].strip()}
    content["measures"] = measures
    try:
        return Plan.model_validate(content)
    except ValidationError as exc:
        form.add_error(None, _problems(exc))
        return None


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        ".".join(str(p) for p in err["loc"]) + ": " + err["msg"] for err in exc.errors()
    )
