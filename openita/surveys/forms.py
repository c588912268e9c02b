"""A survey form built from a framework's survey tool: one section per indicator, one question
per item (or per sub-item), the options in the order the national form prints them.

Answer keys are the engine's (``i2``, ``i1.3``: see ``engine.answers``), so answers go straight to
``engine.item_scores``. Reversed items are asked as printed; only their points read backwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from openita.frameworks.schema import Framework, Tool


class FormError(ValueError):
    """A tool that cannot be asked as a survey (unknown, or a checklist)."""


@dataclass(frozen=True)
class Question:
    key: str  # engine answer key: item code, or item code "." sub-item number
    item: str
    number: str  # as printed: "1", "1.2"
    text: str
    options: tuple[str, ...]  # labels, option n is answered as str(n) (1-based)
    yes_no: bool


@dataclass(frozen=True)
class Section:
    indicator: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Form:
    framework_id: str
    tool: str
    title: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def keys(self) -> list[str]:
        return [q.key for q in self.questions]


def survey_tool(framework: Framework, code: str) -> Tool:
    for tool in framework.tools:
        if tool.code == code.upper():
            if tool.kind != "survey":
                raise FormError(f"{tool.code} of {framework.id} is a checklist, not a survey")
            return tool
    known = ", ".join(t.code for t in framework.tools if t.kind == "survey")
    raise FormError(f"{framework.id} has no survey tool {code!r}; its surveys: {known}")


def build(framework: Framework, tool_code: str, lang: str = "th") -> Form:
    tool = survey_tool(framework, tool_code)
    sections = []
    number = 0
    for indicator in tool.indicators:
        questions = []
        for item in indicator.all_items:
            number += 1
            assert item.scale is not None  # the framework rules require a scale on survey items
            scale = framework.scale(item.scale)
            labels = tuple(o.label for o in scale.options)
            yes_no = scale.kind == "yes_no"
            text = (item.text_en if lang == "en" and item.text_en else item.text) or item.text
            if item.sub_items:
                questions.append(
                    Question(f"{item.code}.0", item.code, str(number), text, (), yes_no)
                )  # the stem, printed above its sub-items; never answered
                for n, sub in enumerate(item.sub_items, start=1):
                    questions.append(
                        Question(
                            f"{item.code}.{n}", item.code, f"{number}.{n}", sub.text, labels, yes_no
                        )
                    )
            else:
                questions.append(Question(item.code, item.code, str(number), text, labels, yes_no))
        sections.append(Section(indicator.code, indicator.name.get(lang), tuple(questions)))
    return Form(framework.id, tool.code, tool.name.get(lang), tuple(sections))


def answerable(form: Form) -> list[Question]:
    """The questions a respondent answers (sub-item stems are headings only)."""
    return [q for q in form.questions if q.options]


@dataclass(frozen=True)
class AnswerProblem:
    key: str
    message: str


def check(
    form: Form, answers: Mapping[str, str], *, section: str | None = None
) -> list[AnswerProblem]:
    """Every answer must be one of its options; every question of the section (or the form)
    must be answered. Keys not on the form are refused by name."""
    wanted = [
        q
        for s in form.sections
        if section is None or s.indicator == section
        for q in s.questions
        if q.options
    ]
    known = {q.key for q in answerable(form)}
    problems = [
        AnswerProblem(k, f"{k} is not a question of this form") for k in answers if k not in known
    ]
    for q in wanted:
        value = (answers.get(q.key) or "").strip()
        if not value:
            problems.append(AnswerProblem(q.key, f"ข้อ {q.number} ยังไม่ได้ตอบ"))
        elif not value.isdigit() or not 1 <= int(value) <= len(q.options):
            problems.append(AnswerProblem(q.key, f"ข้อ {q.number}: คำตอบ {value!r} ไม่ใช่ตัวเลือก"))
    return problems


def as_engine_answers(form: Form, answers: Mapping[str, str]) -> dict[str, int]:
    """Checked answers as the engine reads them (option numbers, 1-based)."""
    keys = {q.key for q in answerable(form)}
    return {k: int(v) for k, v in answers.items() if k in keys and str(v).strip().isdigit()}
