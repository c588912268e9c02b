"""The plan file: an agency's integrity measures for one fiscal year, and their progress.

One YAML file holds everything the plan, progress and memo documents need, so that the
agency's name, the fiscal year and every figure come from one place:

* ``agency``: name, type, address, units, the people who sign and approve, memo settings;
* ``results``: the ITA results that motivated the plan (scores of the results year, and
  earlier years), scored by the engine whenever a document is made;
* ``measures``: each with steps, responsible unit, deadline, reporting rounds, the codes it
  addresses, and its progress per round (6 and 12 months);
* ``memos``: reference number and date of the covering memo of each round.

The format is documented in docs/plan-format.md; a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

FORMAT: Literal["openita-plan/1"] = "openita-plan/1"
Status = Literal["not_started", "in_progress", "done", "dropped"]
STATUS_TH: dict[str, str] = {
    "not_started": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "dropped": "ยกเลิก",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Person(_Model):
    name: str = Field(min_length=1)
    position: str = Field(min_length=1)
    position_extra: str | None = None  # e.g. รักษาราชการแทนปลัดเทศบาล...


class Signers(_Model):
    """Who writes, reviews and approves: the memo's signature and comment blocks."""

    officer: Person  # writes the memo (often นิติกร)
    reviewers: list[Person] = []  # comment blocks, in order (หัวหน้าสำนักปลัด, ปลัด)
    executive: Person  # approves (นายก)


class Agency(_Model):
    name: str = Field(min_length=2)
    type: str | None = None  # อบต., เทศบาลตำบล, ...
    district: str | None = None
    province: str | None = None
    address: str | None = None
    website: str | None = None
    units: list[str] = []  # the agency's own list of units (สำนักปลัด, กองคลัง, ...)
    memo_unit: str | None = None  # ส่วนราชการ of the memo; default สำนักปลัด + agency name
    memo_prefix: str | None = None  # ที่ of the memo, e.g. "สฎ ๕๒๑๐๑/"
    emblem: str | None = None  # path of the Garuda emblem image (PNG), relative to the file
    signers: Signers | None = None

    @property
    def place(self) -> str:
        parts = [
            f"อำเภอ{self.district}" if self.district else "",
            f"จังหวัด{self.province}" if self.province else "",
        ]
        return " ".join(p for p in parts if p)


class YearScores(_Model):
    fiscal_year: int = Field(ge=2500, le=2700)
    scores: dict[str, float]
    framework: str | None = None

    @field_validator("scores")
    @classmethod
    def _in_range(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [f"{k}={v:g}" for k, v in value.items() if not 0 <= v <= 100]
        if bad:
            raise ValueError(f"scores outside 0-100: {', '.join(bad)}")
        return value


class Results(_Model):
    framework: str | None = None  # default: the framework of the results year
    current: YearScores
    history: list[YearScores] = []


class Progress(_Model):
    status: Status = "not_started"
    done: str = ""  # what was done (ผลการดำเนินการ)
    outcome: str = ""  # result / outcome (ผลลัพธ์/ความสำเร็จ)
    follow_up: str = ""  # กำกับติดตาม
    percent: int = Field(default=0, ge=0, le=100)
    evidence: list[str] = []  # file paths or links
    reason: str = ""  # why it was dropped
    updated: dt.date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Progress:
        if self.status == "dropped" and not self.reason:
            raise ValueError("a dropped measure needs a reason")
        if self.status == "done" and self.percent not in (0, 100):
            raise ValueError(f"a done measure is 100 percent, not {self.percent}")
        return self


class Measure(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    group: str = ""  # heading the measure stands under (มาตรการหลัก)
    title: str = Field(min_length=2)
    steps: list[str] = Field(min_length=1)
    unit: str = Field(min_length=2)  # responsible unit
    deadline: dt.date
    rounds: list[Literal[6, 12]] = [6, 12]
    addresses: list[str] = []  # item or indicator codes of the findings behind it
    suggestion: str = ""  # ข้อเสนอแนะ column of the plan (shown when any measure has one)
    monitoring: str = ""  # การติดตามผล column of the plan (shown when any measure has one)
    progress: dict[Literal[6, 12], Progress] = {}


class Focus(_Model):
    """The one indicator a plan of the focus-indicator approach (FY2569 O25) is built on."""

    indicator: str = Field(pattern=r"^ind[0-9]+$")
    reason: Literal["lowest", "chosen"] = "lowest"  # the lowest score, or the officer's choice
    note: str = ""  # why it was chosen (e.g. the risk the agency sees)


class Meeting(_Model):
    """The meeting that decided the measures (printed in the plan when given)."""

    body: str = Field(min_length=2)  # e.g. คณะทำงานจัดทำมาตรการส่งเสริมคุณธรรมฯ
    date: dt.date | None = None
    note: str = ""  # e.g. ครั้งที่ 1/2566


class Memo(_Model):
    reference: str = ""  # the number after the agency's prefix
    date: dt.date | None = None
    decision: Literal["approved", "rejected"] | None = None
    reason: str = ""
    decided: dt.date | None = None  # when the executive decided (shown in the approval block)


class Plan(_Model):
    format: Literal["openita-plan/1"] = FORMAT
    agency: Agency
    fiscal_year: int = Field(ge=2500, le=2700)  # the plan's fiscal year (B.E.)
    results: Results | None = None
    foreword: str = ""  # คำนำ; drafted, then the officer's own words
    published: dt.date | None = None  # the month shown under the foreword
    focus: Focus | None = None  # the focus indicator (frameworks with planning.approach
    # focus_indicator); None for the every-weak-item approach
    meeting: Meeting | None = None  # the meeting that decided the measures
    recommendations: list[str] = []  # ข้อเสนอแนะเพิ่มเติมของสำนักงาน ป.ป.ช. on the results
    round_forewords: dict[Literal[6, 12], str] = {}  # คำนำ of each progress report
    measures: list[Measure] = Field(min_length=1)
    memos: dict[Literal[6, 12], Memo] = {}

    # Field validators (not a model validator) so that a problem is reported at its field and
    # line in the file, not at the top of it.
    @field_validator("results")
    @classmethod
    def _results_before(cls, value: Results | None, info: ValidationInfo) -> Results | None:
        year = info.data.get("fiscal_year")
        if value is not None and year is not None and value.current.fiscal_year >= year:
            raise ValueError(
                f"results.current.fiscal_year {value.current.fiscal_year} must be "
                f"before the plan's fiscal_year {year}"
            )
        return value

    @field_validator("measures")
    @classmethod
    def _unique_ids(cls, value: list[Measure]) -> list[Measure]:
        ids = [m.id for m in value]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"measure ids used twice: {', '.join(twice)}")
        return value
