"""The strict schema of a framework file (one ITA methodology version).

A framework is a tree: tools (IIT, EIT, OIT) with weights; indicators; for some indicators
sub-indicators; items. Survey tools (IIT, EIT) have answer scales on every item; checklist
tools (OIT) have only item titles, scored 0 or 100 by auditors.

The models are frozen: the engine receives them and can never change them. Structural rules
(types, required fields, unknown keys) are checked here by pydantic; rules across the tree
(weights, unique codes, bands) are checked in ``rules.py`` so that every broken rule is
reported at once, with its place in the file.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Text(_Model):
    """A text in Thai with an optional English translation."""

    th: str = Field(min_length=1)
    en: str | None = None

    def get(self, lang: str = "th") -> str:
        return self.en if lang == "en" and self.en else self.th


class Option(_Model):
    label: str = Field(min_length=1)
    points: float = Field(ge=0, le=100)


class Scale(_Model):
    """An answer scale: its options in the order they are printed on the form."""

    id: str = Field(min_length=1)
    kind: Literal["rating", "yes_no"]
    options: tuple[Option, ...] = Field(min_length=2)

    def points(self, index: int, *, reversed_: bool = False) -> float:
        """Points for the option at ``index`` (0-based); a reversed item reads them backwards."""
        values = [o.points for o in self.options]
        if reversed_:
            values.reverse()
        return values[index]


class SubItem(_Model):
    text: str = Field(min_length=1)
    reversed: bool | None = None  # None: as the item says


UNKNOWN_TITLE = "(ไม่ทราบชื่อข้อ: ยังไม่มีแหล่งข้อมูล)"


class Item(_Model):
    """A question (survey tools) or a checklist item (OIT).

    ``sources`` and ``confidence`` say where the item's title comes from and how sure that is;
    an item whose title is not known has ``title_known: false`` and a placeholder ``text``
    (never an invented title). ``components`` (องค์ประกอบ) are what a checklist item must
    publish, where they are known.
    """

    code: str = Field(pattern=r"^[a-z]+[0-9]+$")
    text: str = Field(min_length=1)
    text_en: str | None = None
    title_known: bool = True
    scale: str | None = None  # id of a scale; required on survey tools
    reversed: bool = False
    sub_items: tuple[SubItem, ...] = ()
    components: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    confidence: str | None = None
    note: str | None = None

    def sub_item_reversed(self, index: int) -> bool:
        flag = self.sub_items[index].reversed
        return self.reversed if flag is None else flag


class SubIndicator(_Model):
    code: str = Field(pattern=r"^ind[0-9]+\.[0-9]+$")
    name: Text
    items: tuple[Item, ...] = Field(min_length=1)


class Indicator(_Model):
    code: str = Field(pattern=r"^ind[0-9]+$")
    name: Text
    items: tuple[Item, ...] = ()
    sub_indicators: tuple[SubIndicator, ...] = ()

    @property
    def all_items(self) -> tuple[Item, ...]:
        if self.sub_indicators:
            return tuple(i for s in self.sub_indicators for i in s.items)
        return self.items


class Tool(_Model):
    code: str = Field(pattern=r"^[A-Z]{2,5}$")
    name: Text
    weight: float = Field(gt=0, le=100)
    kind: Literal["survey", "checklist"]
    # all_or_nothing: each item scores 0 or 100 (100 when every component is published)
    scoring: Literal["graded", "all_or_nothing"] = "graded"
    indicators: tuple[Indicator, ...] = Field(min_length=1)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for ind in self.indicators for i in ind.all_items)


class Band(_Model):
    code: str = Field(min_length=1)
    min: float = Field(ge=0, le=100)
    max: float = Field(ge=0, le=100)
    label: Text | None = None


class QualitativeLevel(_Model):
    """A level of a rule-based rating: the first level whose conditions hold is given."""

    code: str = Field(min_length=1)
    label: Text
    min_total: float = Field(default=0, ge=0, le=100)
    min_each_tool: float | None = Field(default=None, ge=0, le=100)


class QualitativeRating(_Model):
    name: Text
    levels: tuple[QualitativeLevel, ...] = Field(min_length=1)
    status: Literal["verified", "provisional"] = "provisional"
    note: str | None = None


class Planning(_Model):
    """How the framework's plan item asks an agency to plan its integrity measures.

    ``every_weak_item`` (FY2565 o42/o43): a measure for every weak item. ``focus_indicator``
    (FY2569 O25/O26): the agency chooses one indicator (the lowest, or the one at highest risk)
    and builds its development measures on that indicator's items.
    """

    approach: Literal["every_weak_item", "focus_indicator"] = "every_weak_item"
    plan_item: str | None = None  # the OIT item the plan is published under (o42, o25)
    report_item: str | None = None  # the OIT item its progress report is published under
    status: Literal["verified", "provisional"] = "provisional"
    note: str | None = None


class Source(_Model):
    title: str = Field(min_length=1)
    note: str | None = None
    url: str | None = None


class Framework(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: Text
    fiscal_years: tuple[int, ...] = Field(min_length=1)
    status: Literal["verified", "provisional"]
    provisional_notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    pass_mark: float = Field(ge=0, le=100)
    scales: tuple[Scale, ...] = ()
    tools: tuple[Tool, ...] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=1)
    qualitative_rating: QualitativeRating | None = None
    planning: Planning = Planning()

    _scales: dict[str, Scale] = PrivateAttr(default_factory=dict)
    _items: dict[str, Item] = PrivateAttr(default_factory=dict)
    _tool_of: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._scales.update({s.id: s for s in self.scales})
        for tool in self.tools:
            for item in tool.items:
                self._items[item.code] = item
                self._tool_of[item.code] = tool.code
            for ind in tool.indicators:
                self._tool_of[ind.code] = tool.code
                for sub in ind.sub_indicators:
                    self._tool_of[sub.code] = tool.code

    # Look-ups used by the engine and the command line.
    def scale(self, scale_id: str) -> Scale:
        return self._scales[scale_id]

    def item(self, code: str) -> Item | None:
        return self._items.get(code)

    def tool(self, code: str) -> Tool | None:
        return next((t for t in self.tools if t.code == code), None)

    def tool_of(self, code: str) -> str | None:
        """The tool a code (item, indicator or sub-indicator) belongs to."""
        return self._tool_of.get(code)

    def name_of(self, code: str) -> str:
        """The Thai name of a tool, indicator or sub-indicator, an item's text, or the total."""
        for tool in self.tools:
            if tool.code == code:
                return tool.name.th
            for ind in tool.indicators:
                if ind.code == code:
                    return ind.name.th
                for sub in ind.sub_indicators:
                    if sub.code == code:
                        return sub.name.th
        item = self.item(code)
        if item is not None:
            return item.text
        return "คะแนนรวม" if code == "total" else code

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for t in self.tools for ind in t.indicators)

    def colophon(self, lang: str = "th") -> str:
        """What a document states about the framework that produced its numbers:
        ``ita-2569 รุ่น 1 (ข้อมูลชั่วคราว)`` / ``ita-2569 version 1 (provisional)``."""
        if lang == "en":
            tail = " (provisional)" if self.status == "provisional" else ""
            return f"{self.id} version {self.version}{tail}"
        tail = " (ข้อมูลชั่วคราว)" if self.status == "provisional" else ""
        return f"{self.id} รุ่น {self.version}{tail}"

    @property
    def label(self) -> str:
        """The Thai colophon (see ``colophon``)."""
        return self.colophon("th")

    def place_of(self, code: str) -> tuple[str, str | None] | None:
        """(indicator, sub-indicator or None) an item sits in; None for an unknown code."""
        for ind in self.indicators:
            for item in ind.items:
                if item.code == code:
                    return ind.code, None
            for sub in ind.sub_indicators:
                for item in sub.items:
                    if item.code == code:
                        return ind.code, sub.code
        return None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(self._items.values())

    def band_for(self, published_total: float) -> Band:
        """The rating band of a total as published (rounded to 2 decimals by the engine)."""
        for band in self.bands:
            if band.min <= published_total <= band.max:
                return band
        # The rules guarantee that bands cover 0-100 in steps of 0.01.
        raise ValueError(f"no band covers {published_total}")
