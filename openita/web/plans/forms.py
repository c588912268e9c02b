"""The edit form of a plan: the foreword, and one small form per measure (a formset).

Each measure's form keeps its ``id`` hidden, so the fields the form does not show (progress,
the codes it addresses) are carried over from the version being edited. The last, blank form
adds a measure; ticking "remove" drops one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from openita.plans import rounds
from openita.plans.draft import GROUPS
from openita.plans.schema import Memo, Plan, Progress
from openita.text.thai import fiscal_year_bounds, format_date
from openita.web.ui import bedate
from openita.web.ui.bedate import BEDateField

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
    deadline = BEDateField(label=_("กำหนดแล้วเสร็จ (วัน/เดือน/ปี พ.ศ.)"))
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
            return format_date(bedate.parse(str(raw)))
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


# --- progress of a reporting round ------------------------------------------------------------

STATUS_CHOICES = [
    ("not_started", _("ยังไม่ดำเนินการ")),
    ("in_progress", _("อยู่ระหว่างดำเนินการ")),
    ("done", _("ดำเนินการแล้ว")),
    ("dropped", _("ยกเลิกแล้ว")),
]
_url = URLValidator(schemes=["http", "https"])


def is_link(evidence: str) -> bool:
    """Whether an evidence line is a web link (shown as one); else it is a file name."""
    return evidence.lower().startswith(("http://", "https://"))


# A line that looks like a link of another kind (javascript:, data:, ftp://...) is refused:
# only http(s) links are shown as links, and such a line is no evidence a reader can open.
OTHER_LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|(?:javascript|data|vbscript|file):)", re.I)
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _evidence_problem(line: str) -> bool:
    """A link must be a valid http(s) address; anything else is a file name or a reference
    written as text ("ประกาศเลขที่ 12/2567", "คำสั่งที่ 45/2566 ลงวันที่ 1 มี.ค. 2566")."""
    if is_link(line):
        try:
            _url(line)
        except forms.ValidationError:
            return True
        return False
    return len(line) > 300 or bool(OTHER_LINK.match(line) or CONTROL.search(line))


class ProgressForm(forms.Form):
    """One measure's progress in one round; the measure is named by its hidden id."""

    id = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("สถานะ"), choices=STATUS_CHOICES)
    percent = forms.IntegerField(
        label=_("ร้อยละความคืบหน้า"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
        error_messages={
            "min_value": _("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
            "max_value": _("ร้อยละต้องอยู่ระหว่าง 0 ถึง 100"),
            "invalid": _("ร้อยละต้องเป็นจำนวนเต็ม 0 ถึง 100"),
        },
    )
    done = forms.CharField(
        label=_("ผลการดำเนินการ"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=_("ผลลัพธ์/ความสำเร็จ"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up = forms.CharField(
        label=_("กำกับติดตาม"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.CharField(
        label=_("หลักฐาน (ลิงก์ http(s) ชื่อไฟล์ หรือเลขที่เอกสาร บรรทัดละหนึ่งรายการ)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("เหตุผลที่ยกเลิก (จำเป็นเมื่อยกเลิก)"), required=False, max_length=2000
    )

    def clean_evidence(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["evidence"].splitlines()]
        lines = [line for line in lines if line]
        bad = [line for line in lines if _evidence_problem(line)]
        if bad:
            raise forms.ValidationError(
                _("หลักฐานต้องเป็นลิงก์ http:// หรือ https:// ชื่อไฟล์ หรือเลขที่เอกสาร: %(bad)s"),
                params={"bad": ", ".join(bad)},
            )
        return list(dict.fromkeys(lines))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == "dropped" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("ใส่เหตุผลเมื่อยกเลิกมาตรการ"))
        if status == "done":
            if cleaned.get("percent") is None and "percent" not in self.errors:
                cleaned["percent"] = 100
            elif cleaned.get("percent") not in (None, 100):
                self.add_error("percent", _("มาตรการที่ดำเนินการแล้วต้องเป็นร้อยละ 100"))
        return cleaned


ProgressFormSet = forms.formset_factory(ProgressForm, extra=0)


def progress_initial(plan: Plan, months: int) -> list[dict[str, Any]]:
    """One form per measure that reports in this round, filled with its current progress (the
    earlier round's when this one has nothing yet: saving it confirms it for this round)."""
    rows = []
    for m in plan.measures:
        if months not in m.rounds:
            continue
        p = rounds.round_progress(m, months).progress
        percent = 100 if p.status == "done" else p.percent
        rows.append(
            {
                "id": m.id,
                "status": p.status,
                "percent": percent,
                "done": p.done,
                "outcome": p.outcome,
                "follow_up": p.follow_up,
                "evidence": "\n".join(p.evidence),
                "reason": p.reason,
            }
        )
    return rows


def _same_entry(a: Progress, b: Progress) -> bool:
    """The same progress as the form shows it (a done measure at 100 percent, no date)."""

    def shown(p: Progress) -> Progress:
        percent = 100 if p.status == "done" else p.percent
        return p.model_copy(update={"updated": None, "percent": percent})

    return shown(a) == shown(b)


def progress_from_forms(
    base: Plan, months: int, formset: Any, today: dt.date, form: forms.Form
) -> Plan | None:
    """``base`` with the round's progress of each measure in the formset; a measure's
    ``updated`` date moves to ``today`` only when its progress changed, so an identical
    submit gives identical content. None, with the problem added to ``form``, if invalid."""
    entries: dict[str, dict[str, Any]] = {}
    for sub in formset.forms:
        cleaned = getattr(sub, "cleaned_data", None)
        if not cleaned:
            continue
        status = cleaned["status"]
        entries[cleaned["id"]] = {
            "status": status,
            "percent": cleaned.get("percent") or 0,
            "done": cleaned["done"].strip(),
            "outcome": cleaned["outcome"].strip(),
            "follow_up": cleaned["follow_up"].strip(),
            "evidence": cleaned["evidence"],
            "reason": cleaned["reason"].strip() if status == "dropped" else "",
        }
    measures = []
    try:
        for m in base.measures:
            if months not in m.rounds or m.id not in entries:
                measures.append(m)
                continue
            old = m.progress.get(months)  # type: ignore[call-overload]
            new = Progress.model_validate({**entries[m.id], "updated": None})
            earlier = rounds.round_progress(m, months)
            if old is None and earlier.carried and _same_entry(earlier.progress, new):
                measures.append(m)  # the carried-forward entry, untouched: it stays carried
                continue
            if old is not None and old.model_copy(update={"updated": None}) == new:
                new = old
            elif old is not None or new != Progress():
                new = new.model_copy(update={"updated": today})
            else:
                measures.append(m)  # no progress before, none now: leave it out
                continue
            measures.append(m.model_copy(update={"progress": {**m.progress, months: new}}))
        return Plan.model_validate(
            {**base.model_dump(), "measures": [x.model_dump() for x in measures]}
        )
    except ValidationError as exc:
        form.add_error(None, _problems(exc))
        return None


class RoundForm(forms.Form):
    """The base version a round's progress was edited from."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MemoForm(forms.Form):
    """The date and reference number of a round's covering memo (the plan's ``memos``)."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    date = forms.DateField(
        label=_("วันที่ของบันทึกข้อความ"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("วันที่ไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด-วว")},
    )
    reference = forms.CharField(
        label=_("เลขที่ (ต่อจากเลขที่หนังสือของหน่วยงาน)"),
        required=False,
        max_length=40,
    )


def memo_initial(plan: Plan, months: int, base_version: int) -> dict[str, Any]:
    memo = plan.memos.get(months)  # type: ignore[call-overload]
    return {
        "base_version": base_version,
        "date": memo.date if memo else None,
        "reference": memo.reference if memo else "",
    }


def with_memo(plan: Plan, months: int, date: dt.date | None, reference: str) -> Plan:
    """``plan`` with the round's memo date and number set (its decision kept)."""
    memos = dict(plan.memos)
    memo = memos.get(months) or Memo()  # type: ignore[call-overload]
    memos[months] = memo.model_copy(update={"date": date, "reference": reference.strip()})  # type: ignore[index]
    return plan.model_copy(update={"memos": memos})


# --- after a failed save: the problems listed at the top, and forms rebuilt from values -------


@dataclass(frozen=True)
class Problem:
    """One problem of a form that did not save, linked to its field (``anchor`` is an id)."""

    anchor: str
    where: str
    message: str


def _field_problems(form: forms.Form, where: str, fallback: str) -> list[Problem]:
    found: list[Problem] = []
    for name, errors in form.errors.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            anchor, label = form[name].id_for_label, str(form.fields[name].label or name)
            text = f"{where} · {label}" if where else label
        else:
            anchor, text = fallback, where or str(_("แบบฟอร์ม"))
        found.extend(Problem(anchor, text, str(e)) for e in errors)
    return found


def problems_of(form: forms.Form | None, formset: Any, anchor: str) -> list[Problem]:
    """Every problem of ``form`` and each form of ``formset``, in page order; a problem of a
    whole measure links to its fieldset (``measure-<prefix>``), one of the page to ``anchor``."""
    found = _field_problems(form, "", anchor) if form is not None else []
    if formset is None:
        return found
    found.extend(Problem(anchor, str(_("แบบฟอร์ม")), str(e)) for e in formset.non_form_errors())
    for sub in formset.forms:
        measure = str(sub["id"].value() or "") or str(_("มาตรการใหม่"))
        found.extend(_field_problems(sub, measure, f"measure-{sub.prefix}"))
    return found


def formset_data(prefix: str, rows: list[dict[str, Any]], extra: int = 0) -> QueryDict:
    """Form data (as if posted) for a formset holding ``rows`` plus ``extra`` blank forms."""
    data = QueryDict(mutable=True)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + extra)
    data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for n, row in enumerate(rows):
        for name, value in row.items():
            key = f"{prefix}-{n}-{name}"
            if isinstance(value, list):
                data.setlist(key, [str(v) for v in value])
            elif value is True:
                data[key] = "on"
            elif isinstance(value, dt.date):
                data[key] = value.isoformat()
            elif value is not None and value is not False:
                data[key] = str(value)
    return data
