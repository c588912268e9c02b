"""The score entry form: one number per item (or per indicator) of a framework.

Numbers are read as the score importers read them (``parse_score``: Thai digits, a trailing
%), and a comma decimal (85,5) is taken too. Every field is required, so that what is saved
scores as a complete result (the engine needs every item of an indicator, or the indicator
itself); agencies with only indicator scores switch to the indicator form. Saving replaces
the figures at the form's level (see ``scores_to_save``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openita import engine, frameworks
from openita.importers.scores import parse_score
from openita.text.thai import fiscal_year_of
from openita.web.results.models import Assessment
from openita.web.results.selectors import framework_choices, result_of
from openita.web.results.services import entry_stamp

Level = Literal["items", "indicators"]
LEVELS: tuple[Level, ...] = ("items", "indicators")


def parse_entered(raw: str) -> float | None:
    """A typed score: 85.5, ๘๕.๕, 85,5 or 85.5%; None when it is not a number."""
    text = raw.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return parse_score(text)


class ScoreField(forms.CharField):
    """A score 0-100, typed as text (so Thai digits and a comma decimal get through)."""

    def __init__(self, *, code: str, **kwargs: Any) -> None:
        self.code = code
        super().__init__(max_length=20, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "size": "6", "class": "score"}
        )

    def clean(self, value: Any) -> float:
        text = super().clean(value)
        number = parse_entered(text)
        if number is None:
            raise forms.ValidationError(
                _("%(code)s: “%(value)s” ไม่ใช่ตัวเลข") % {"code": self.code, "value": text}
            )
        if not 0 <= number <= 100:
            raise forms.ValidationError(
                _("%(code)s: คะแนนต้องอยู่ระหว่าง 0 ถึง 100 (กรอก %(value)s)")
                % {"code": self.code, "value": text}
            )
        return number


@dataclass(frozen=True)
class Group:
    """A heading of the form (an indicator or sub-indicator) and its inputs."""

    code: str
    name: str
    fields: list[BoundField]


@dataclass(frozen=True)
class ToolGroup:
    code: str
    name: str
    groups: list[Group] = field(default_factory=list)


def _units(framework: frameworks.Framework, level: Level) -> list[tuple[str, str, str]]:
    """(code, label, group) of each input, in the framework's order."""
    found = []
    for indicator in framework.indicators:
        if level == "indicators":
            found.append((indicator.code, indicator.name.th, indicator.code))
            continue
        for item in indicator.items:
            found.append((item.code, item.text.strip(), indicator.code))
        for sub in indicator.sub_indicators:
            found += [(item.code, item.text.strip(), sub.code) for item in sub.items]
    return found


class ScoreEntryForm(forms.Form):
    based_on = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, framework: frameworks.Framework, level: Level, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework, self.level = framework, level
        self.groups_of: dict[str, str] = {}
        required = _("โปรดกรอกคะแนน")
        for code, label, group in _units(framework, level):
            self.fields[code] = ScoreField(
                code=code,
                label=f"{code} {label}",
                error_messages={"required": f"{code}: {required}"},
            )
            self.groups_of[code] = group

    def scores(self) -> dict[str, float]:
        return {c: float(self.cleaned_data[c]) for c in self.groups_of}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.errors:  # the input points at its message, for screen readers
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )
        if not self.errors:
            try:
                engine.score(self.framework, self.scores())
            except engine.ScoringError as exc:
                for problem in exc.problems:
                    self.add_error(None, problem.message)
        return data

    def tools(self) -> list[ToolGroup]:
        """The inputs grouped by tool, then by indicator or sub-indicator."""
        fw = self.framework
        out: list[ToolGroup] = []
        for tool in fw.tools:
            groups: dict[str, Group] = {}
            for code, group in self.groups_of.items():
                if fw.tool_of(group) == tool.code:
                    found = groups.setdefault(group, Group(group, fw.name_of(group), []))
                    found.fields.append(self[code])
            out.append(ToolGroup(tool.code, tool.name.th, list(groups.values())))
        return out


class YearForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=gettext_lazy("ปีงบประมาณ (พ.ศ.)"), min_value=2550, max_value=2700
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of(dt.date.today()) - 1
        self.fields["fiscal_year"].widget.attrs["inputmode"] = "numeric"


# --- choosing the framework and level, prefilling, and what to save ---------------------------


def framework_for(
    requested: str | None, fiscal_year: int, on_file: Assessment | None
) -> tuple[frameworks.Framework, bool]:
    """The framework asked for (only one of the installed ones), else the one on file, else the
    one covering the year; and whether the request named an unknown one."""
    known = dict(framework_choices())
    if requested and requested in known:
        return frameworks.get(requested), False
    if on_file is not None and on_file.framework_id in known:
        return frameworks.get(on_file.framework_id), bool(requested)
    return frameworks.for_year(fiscal_year) or frameworks.default(), bool(requested)


def level_for(
    requested: str | None, framework: frameworks.Framework, on_file: Assessment | None
) -> Level:
    """Items, unless asked for indicators or the results on file have no item scores."""
    if requested == "indicators":
        return "indicators"
    if requested == "items" or on_file is None:
        return "items"
    items = {i.code for i in framework.items}
    return "items" if any(c in items for c in on_file.scores) else "indicators"


def _shown(value: float) -> str:
    return f"{round(value, 2):g}"


def initial_of(
    framework: frameworks.Framework, level: Level, on_file: Assessment | None
) -> dict[str, str]:
    """The form filled from the results on file: the item scores given, or the indicator
    scores (given, or computed from the items)."""
    initial = {"based_on": entry_stamp(on_file)}
    if on_file is None:
        return initial
    codes = {code for code, _label, _group in _units(framework, level)}
    given = {str(c): float(v) for c, v in on_file.scores.items()}
    if level == "indicators":
        unscorable = (ValueError, frameworks.FrameworkNotFound, frameworks.FrameworkInvalid)
        with contextlib.suppress(*unscorable):
            given = {**dict(result_of(on_file).scores), **given}
    initial.update({c: _shown(v) for c, v in given.items() if c in codes})
    return initial


def scores_to_save(form: ScoreEntryForm, on_file: Assessment | None) -> dict[str, float]:
    """The entered figures, and the figures on file above the form's level, kept as they were
    (indicators, tools, the total: usually a published report's own figures, which the engine
    then checks against the entered ones). Indicator entry drops the items and sub-indicators
    on file, since they would outweigh the indicators entered."""
    if on_file is None:
        return form.scores()
    fw = form.framework
    below = {i.code for i in fw.items}
    if form.level == "indicators":
        below |= {s.code for ind in fw.indicators for s in ind.sub_indicators}
    entered = form.scores()
    kept = {
        str(c): float(v) for c, v in on_file.scores.items() if c not in below and c not in entered
    }
    return {**kept, **entered}
