"""What changed between two framework versions, item by item and indicator by indicator.

Items are compared within each tool, by title (normalised: spaces, sara am forms,
zero-width characters, dashes, Latin case; see ``openita.text.thai.title_key``):

* **moved**: the same title under another code, or in another indicator or sub-indicator
  (``reworded`` when the title is only similar, not the same);
* **renamed**: the same code with another title that matches no other item;
* **added** / **removed**: an item with no counterpart on the other side.

An item whose title is unknown (``title_known: false``) never matches by title. The diff only
*proposes* how items correspond (``proposal``); what compares items across frameworks uses
the reviewed mapping files (``openita.frameworks.mappings``), never this guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import yaml

from openita.frameworks.schema import Framework, Item
from openita.text.thai import title_key

SIMILAR = 0.72  # ratio of matching characters for two titles to be "the same item, reworded"
RENAMED = 0.5  # a code kept with a title less similar than this is another item


@dataclass(frozen=True)
class ItemRef:
    tool: str
    code: str
    title: str
    title_known: bool
    indicator: str
    sub_indicator: str | None

    @property
    def place(self) -> str:
        return self.sub_indicator or self.indicator


@dataclass(frozen=True)
class Change:
    kind: str  # "moved", "renamed", "added", "removed"
    old: ItemRef | None
    new: ItemRef | None
    similarity: float = 1.0  # 1.0: the same title after normalising

    @property
    def reworded(self) -> bool:
        return self.similarity < 1.0


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator or sub-indicator whose items changed."""

    code: str
    name: str
    old_items: tuple[str, ...]
    new_items: tuple[str, ...]
    added: tuple[str, ...]  # new codes with no counterpart
    removed: tuple[str, ...]  # old codes with no counterpart
    moved_in: tuple[str, ...]  # new codes whose counterpart sat in another group
    moved_out: tuple[str, ...]  # old codes whose counterpart sits in another group
    renumbered: tuple[str, ...]  # new codes of items that stay in the group with another code
    renamed: tuple[str, ...]  # codes kept with another title


@dataclass(frozen=True)
class Proposal:
    old: str
    new: str
    confidence: str  # high: same title; medium: similar title; low: same code only
    note: str


@dataclass(frozen=True)
class Diff:
    old_id: str
    new_id: str
    moved: tuple[Change, ...]
    renamed: tuple[Change, ...]
    added: tuple[Change, ...]
    removed: tuple[Change, ...]
    unchanged: int
    indicators: tuple[IndicatorChange, ...]
    proposals: tuple[Proposal, ...]
    same_tools: tuple[str, ...]  # tools whose items are all unchanged

    @property
    def empty(self) -> bool:
        return not (self.moved or self.renamed or self.added or self.removed)


def _refs(fw: Framework, tool_code: str) -> list[ItemRef]:
    tool = fw.tool(tool_code)
    if tool is None:
        return []
    refs = []
    for ind in tool.indicators:
        for item in ind.items:
            refs.append(_ref(tool_code, item, ind.code, None))
        for sub in ind.sub_indicators:
            for item in sub.items:
                refs.append(_ref(tool_code, item, ind.code, sub.code))
    return refs


def _ref(tool: str, item: Item, indicator: str, sub: str | None) -> ItemRef:
    return ItemRef(tool, item.code, item.text, item.title_known, indicator, sub)


def _ratio(a: ItemRef, b: ItemRef) -> float:
    if not (a.title_known and b.title_known):
        return 0.0
    return SequenceMatcher(None, title_key(a.title), title_key(b.title), autojunk=False).ratio()


def _match_tool(old: list[ItemRef], new: list[ItemRef]) -> list[tuple[ItemRef, ItemRef, float]]:
    """Pairs (old, new, similarity): same titles first, then the most similar titles, then
    what is left with the same code (similarity 0)."""
    pairs: list[tuple[ItemRef, ItemRef, float]] = []
    left_old = list(old)
    left_new = list(new)

    def take(a: ItemRef, b: ItemRef, score: float) -> None:
        pairs.append((a, b, score))
        left_old.remove(a)
        left_new.remove(b)

    by_title: dict[str, list[ItemRef]] = {}
    for ref in left_old:
        if ref.title_known:
            by_title.setdefault(title_key(ref.title), []).append(ref)
    for b in list(left_new):
        if not b.title_known:
            continue
        found = by_title.get(title_key(b.title), [])
        if found:
            # several old items with one title: prefer the same code
            a = next((r for r in found if r.code == b.code), found[0])
            found.remove(a)
            take(a, b, 1.0)
    scored = sorted(
        (
            (_ratio(a, b), a.code != b.code, n, m)
            for n, a in enumerate(left_old)
            for m, b in enumerate(left_new)
        ),
        key=lambda x: (-x[0], x[1], x[2], x[3]),
    )
    olds, news = list(left_old), list(left_new)
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, _, n, m in scored:
        if score < SIMILAR:
            break
        if n in used_old or m in used_new:
            continue
        used_old.add(n)
        used_new.add(m)
        take(olds[n], news[m], score)
    by_code = {r.code: r for r in left_new}
    for a in list(left_old):
        same = by_code.get(a.code)
        if same is None:
            continue
        score = _ratio(a, same)
        if score >= RENAMED or not (a.title_known and same.title_known):
            take(a, same, score if score >= RENAMED else 0.0)
    return pairs


def diff(old: Framework, new: Framework) -> Diff:
    moved: list[Change] = []
    renamed: list[Change] = []
    added: list[Change] = []
    removed: list[Change] = []
    proposals: list[Proposal] = []
    same_tools: list[str] = []
    unchanged = 0
    tool_codes = [t.code for t in old.tools] + [
        t.code for t in new.tools if old.tool(t.code) is None
    ]
    for tool in tool_codes:
        old_refs, new_refs = _refs(old, tool), _refs(new, tool)
        pairs = _match_tool(old_refs, new_refs)
        tool_changed = False
        paired_old = {a.code for a, _, _ in pairs}
        paired_new = {b.code for _, b, _ in pairs}
        for a, b, score in pairs:
            same_code = a.code == b.code
            unknown = not (a.title_known and b.title_known)
            if unknown and not a.title_known and not b.title_known and a.place == b.place:
                unchanged += 1  # nothing says it changed; nothing says it is the same
                proposals.append(
                    Proposal(a.code, b.code, "low", "same code and place; both titles unknown")
                )
                continue
            if score == 0.0:
                renamed.append(Change("renamed", a, b, 0.0))
                tool_changed = True
                proposals.append(
                    Proposal(a.code, b.code, "low", "same code; a title is unknown: check")
                )
                continue
            if same_code and a.place == b.place and score == 1.0:
                unchanged += 1
                proposals.append(Proposal(a.code, b.code, "high", "same code and title"))
                continue
            tool_changed = True
            if same_code and a.place == b.place:
                renamed.append(Change("renamed", a, b, score))
                proposals.append(Proposal(a.code, b.code, "medium", "same code, title reworded"))
            else:
                moved.append(Change("moved", a, b, score))
                what = "same title" if score == 1.0 else "similar title"
                proposals.append(
                    Proposal(
                        a.code,
                        b.code,
                        "high" if score == 1.0 else "medium",
                        f"{what}; {_where(a)} -> {_where(b)}",
                    )
                )
        for a in old_refs:
            if a.code not in paired_old:
                removed.append(Change("removed", a, None, 0.0))
                tool_changed = True
        for b in new_refs:
            if b.code not in paired_new:
                added.append(Change("added", None, b, 0.0))
                tool_changed = True
        if not tool_changed and old_refs and new_refs:
            same_tools.append(tool)
    proposals = [p for p in proposals if _tool_of(old, p.old) not in same_tools]
    moved.sort(key=lambda c: _code_key(c.old.code if c.old else ""))
    proposals.sort(key=lambda p: (_code_key(p.old), _code_key(p.new)))
    return Diff(
        old_id=old.id,
        new_id=new.id,
        moved=tuple(moved),
        renamed=tuple(renamed),
        added=tuple(added),
        removed=tuple(removed),
        unchanged=unchanged,
        indicators=_indicator_changes(old, new, moved, renamed, added, removed),
        proposals=tuple(proposals),
        same_tools=tuple(same_tools),
    )


def _code_key(code: str) -> tuple[str, int]:
    prefix = code.rstrip("0123456789")
    return (prefix, int(code[len(prefix) :] or 0))


def _tool_of(fw: Framework, code: str) -> str | None:
    return fw.tool_of(code)


def _where(ref: ItemRef) -> str:
    return f"{ref.code} in {ref.place}"


def _indicator_changes(
    old: Framework,
    new: Framework,
    moved: list[Change],
    renamed: list[Change],
    added: list[Change],
    removed: list[Change],
) -> tuple[IndicatorChange, ...]:
    def groups(fw: Framework) -> dict[str, tuple[str, tuple[str, ...]]]:
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for ind in fw.indicators:
            found[ind.code] = (ind.name.th, tuple(i.code for i in ind.all_items))
            for sub in ind.sub_indicators:
                found[sub.code] = (sub.name.th, tuple(i.code for i in sub.items))
        return found

    before, after = groups(old), groups(new)
    order = list(before) + [c for c in after if c not in before]
    changes = []
    for code in order:

        def holds(ref: ItemRef | None, code: str = code) -> bool:
            return ref is not None and code in (ref.indicator, ref.sub_indicator)

        moved_in = tuple(
            c.new.code for c in moved if c.new is not None and holds(c.new) and not holds(c.old)
        )
        moved_out = tuple(
            c.old.code for c in moved if c.old is not None and holds(c.old) and not holds(c.new)
        )
        renumbered = tuple(
            c.new.code
            for c in moved
            if c.new is not None and holds(c.new) and holds(c.old) and not _same_code(c)
        )
        add = tuple(c.new.code for c in added if c.new is not None and holds(c.new))
        rem = tuple(c.old.code for c in removed if c.old is not None and holds(c.old))
        ren = tuple(c.new.code for c in renamed if c.new is not None and holds(c.new))
        if not (moved_in or moved_out or renumbered or add or rem or ren):
            continue
        name = (after.get(code) or before.get(code) or (code, ()))[0]
        changes.append(
            IndicatorChange(
                code=code,
                name=name,
                old_items=before.get(code, ("", ()))[1],
                new_items=after.get(code, ("", ()))[1],
                added=add,
                removed=rem,
                moved_in=moved_in,
                moved_out=moved_out,
                renumbered=renumbered,
                renamed=ren,
            )
        )
    return tuple(changes)


def _same_code(change: Change) -> bool:
    return change.old is not None and change.new is not None and change.old.code == change.new.code


# --- output ------------------------------------------------------------------------------------


def _ref_json(ref: ItemRef | None) -> dict[str, object] | None:
    if ref is None:
        return None
    return {
        "code": ref.code,
        "title": ref.title,
        "title_known": ref.title_known,
        "indicator": ref.indicator,
        "sub_indicator": ref.sub_indicator,
    }


def as_json(d: Diff) -> dict[str, object]:
    def changes(items: tuple[Change, ...]) -> list[dict[str, object]]:
        return [
            {
                "old": _ref_json(c.old),
                "new": _ref_json(c.new),
                "similarity": round(c.similarity, 2),
                "reworded": c.reworded,
            }
            for c in items
        ]

    return {
        "old": d.old_id,
        "new": d.new_id,
        "unchanged": d.unchanged,
        "same_tools": list(d.same_tools),
        "moved": changes(d.moved),
        "renamed": changes(d.renamed),
        "added": [_ref_json(c.new) for c in d.added],
        "removed": [_ref_json(c.old) for c in d.removed],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "old_items": list(i.old_items),
                "new_items": list(i.new_items),
                "added": list(i.added),
                "removed": list(i.removed),
                "moved_in": list(i.moved_in),
                "moved_out": list(i.moved_out),
                "renumbered": list(i.renumbered),
                "renamed": list(i.renamed),
            }
            for i in d.indicators
        ],
        "proposed_mapping": [
            {"old": p.old, "new": p.new, "confidence": p.confidence, "note": p.note}
            for p in d.proposals
        ],
    }


def proposed_mapping_yaml(d: Diff) -> str:
    """A mapping file proposed from the titles, for a person to review and correct."""
    data: dict[str, object] = {
        "from": d.old_id,
        "to": d.new_id,
        "status": "provisional",
        "note": "Proposed by 'openita frameworks diff' from the titles: review every pair.",
        "same_codes": list(d.same_tools),
        "pairs": [
            {"old": p.old, "new": p.new, "confidence": p.confidence, "note": p.note}
            for p in d.proposals
        ],
        "removed": [{"code": c.old.code} for c in d.removed if c.old is not None],
        "added": [{"code": c.new.code} for c in d.added if c.new is not None],
    }
    header = f"# Item mapping {d.old_id} -> {d.new_id} (proposed; review before use)\n"
    return header + yaml.dump(data, allow_unicode=True, sort_keys=False, width=10**6)
