"""The validator names every broken rule with its line (table-driven)."""

from __future__ import annotations

import pytest

from openita import frameworks

BASE = frameworks.available()["ita-2565"].read_text(encoding="utf-8")


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    pos = -1
    for _ in range(nth):
        pos = text.index(needle, pos + 1)
    return text[:pos].count("\n") + 1


def _errors(text: str) -> list[frameworks.FrameworkError]:
    with pytest.raises(frameworks.FrameworkInvalid) as info:
        frameworks.parse(text, "x.yaml")
    return info.value.errors


CASES = [
    # (name, old, new, expected message part, line anchor in the new text)
    (
        "weights",
        "  weight: 40\n",
        "  weight: 45\n",
        "weights must sum to 100, they sum to 105",
        "tools:\n",
    ),
    (
        "duplicate item code",
        "- code: i2\n",
        "- code: i1\n",
        "code 'i1' is used twice",
        "- code: i1\n",
    ),
    (
        "band gap",
        "  min: 85\n",
        "  min: 86\n",
        "bands leave a gap between 84.99 and 86",
        "  min: 86\n",
    ),
    ("band overlap", "  min: 75\n", "  min: 74\n", "overlaps", "  min: 74\n"),
    (
        "unknown scale",
        "      scale: rating4\n    - code: i3",
        "      scale: nope\n    - code: i3",
        "unknown scale 'nope'",
        "scale: nope",
    ),
    (
        "score over 100",
        "    points: 100\n",
        "    points: 120\n",
        "less than or equal to 100",
        "points: 120",
    ),
    (
        "unknown field",
        "pass_mark: 85\n",
        "pass_mark: 85\npassmark: 80\n",
        "Extra inputs",
        "passmark: 80",
    ),
    ("bad status", "status: verified", "status: checked", "verified", "status: checked"),
    (
        "duplicate key",
        "pass_mark: 85\n",
        "pass_mark: 85\npass_mark: 80\n",
        "key 'pass_mark' appears twice",
        "pass_mark: 80",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "message", "anchor"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_broken(name, old, new, message, anchor):
    assert old in BASE, name
    text = BASE.replace(old, new, 1)
    errors = _errors(text)
    hits = [e for e in errors if message in e.message]
    assert hits, [str(e) for e in errors]
    nth = 2 if name == "duplicate item code" else 1
    assert hits[0].line == _line_of(text, anchor, nth)
    assert str(hits[0]).startswith(f"x.yaml:{hits[0].line}: ")


def test_all_problems_reported_at_once():
    text = (
        BASE.replace("  weight: 40\n", "  weight: 45\n", 1)
        .replace("- code: i2\n", "- code: i1\n", 1)
        .replace("  min: 85\n", "  min: 86\n", 1)
    )
    messages = " | ".join(e.message for e in _errors(text))
    assert "sum to 105" in messages and "used twice" in messages and "gap" in messages


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("id: [unclosed", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
    ],
)
def test_not_a_framework(text, message):
    assert any(message in e.message for e in _errors(text))


def test_indicator_with_neither_items_nor_subs():
    text = BASE.replace("  - code: ind10\n", "  - code: ind10\n    items: []\n", 1)
    text = text.replace(
        "    sub_indicators:\n    - code: ind10.1",
        "    sub_indicators: []\n    other:\n    - code: ind10.1",
        1,
    )
    assert any("either items or sub_indicators" in e.message for e in _errors(text))


def test_not_utf8(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(BASE.encode("cp874"))
    with pytest.raises(frameworks.FrameworkInvalid, match="not UTF-8"):
        frameworks.load_file(path)


QUALITATIVE = """qualitative_rating:
  name:
    th: ระดับ
  levels:
  - code: good
    label:
      th: ผ่านดี
    min_total: 85
    min_each_tool: 85
  - code: pass
    label:
      th: ผ่าน
    min_total: 85
  - code: low
    label:
      th: ต้องปรับปรุง
"""

NEW_RULES = [
    # (name, old, new, expected message part, line anchor in the new text)
    (
        "all-or-nothing survey tool",
        "  weight: 30\n  kind: survey\n",
        "  weight: 30\n  kind: survey\n  scoring: all_or_nothing\n",
        "tool IIT: all_or_nothing scoring is for checklist tools",
        "scoring: all_or_nothing",
    ),
    (
        "unknown title on a survey item",
        "    - code: i2\n",
        "    - code: i2\n      title_known: false\n",
        "item i2: a survey question must have its text",
        "title_known: false",
    ),
    (
        "components on a survey item",
        "    - code: i2\n",
        "    - code: i2\n      components:\n      - x\n",
        "item i2: components are for checklist items",
        "      components:",
    ),
    (
        "empty source",
        "      - code: o5\n",
        "      - code: o5\n        sources:\n        - ''\n",
        "item o5: empty source",
        "        - ''",
    ),
    (
        "unknown plan item",
        "  plan_item: o42\n",
        "  plan_item: o99\n",
        "planning.plan_item 'o99' is not an item of a checklist tool",
        "plan_item: o99",
    ),
    (
        "plan item of a survey tool",
        "  report_item: o43\n",
        "  report_item: i3\n",
        "planning.report_item 'i3' is not an item of a checklist tool",
        "report_item: i3",
    ),
    (
        "fiscal year twice",
        "- 2564\n- 2565\n",
        "- 2564\n- 2564\n",
        "fiscal year 2564 is listed twice",
        "- 2564\nstatus",
    ),
    (
        "fiscal year in C.E.",
        "- 2563\n",
        "- 2020\n",
        "fiscal year 2020 is not a Buddhist Era year",
        "- 2020",
    ),
    (
        "qualitative level code twice",
        "planning:\n",
        QUALITATIVE.replace("code: low", "code: good") + "planning:\n",
        "qualitative level code 'good' is used twice",
        "  - code: good\n    label:\n      th: ต้องปรับปรุง",
    ),
    (
        "qualitative levels out of order",
        "planning:\n",
        QUALITATIVE.replace(
            "  - code: good\n    label:\n      th: ผ่านดี\n    min_total: 85\n    min_each_tool: 85\n"
            "  - code: pass\n    label:\n      th: ผ่าน\n    min_total: 85\n",
            "  - code: pass\n    label:\n      th: ผ่าน\n    min_total: 85\n"
            "  - code: good\n    label:\n      th: ผ่านดี\n    min_total: 90\n"
            "    min_each_tool: 85\n",
        )
        + "planning:\n",
        "qualitative level 'good' needs a total of 90, more than the level before it",
        "min_total: 90",
    ),
    (
        "qualitative last level with a condition",
        "planning:\n",
        QUALITATIVE + "    min_total: 10\n" + "planning:\n",
        "the last qualitative level must have no conditions",
        "  - code: low",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "message", "anchor"), NEW_RULES, ids=[c[0] for c in NEW_RULES]
)
def test_new_rule_broken(name, old, new, message, anchor):
    assert old in BASE, name
    text = BASE.replace(old, new, 1)
    errors = _errors(text)
    hits = [e for e in errors if message in e.message]
    assert hits, [str(e) for e in errors]
    assert hits[0].line == _line_of(text, anchor)


def test_checklist_item_data_is_kept():
    text = BASE.replace(
        "      - code: o5\n        text: ข้อมูลการติดต่อ\n",
        "      - code: o5\n        text: '(ไม่ทราบชื่อข้อ: ยังไม่มีแหล่งข้อมูล)'\n"
        "        title_known: false\n        components:\n        - ที่อยู่\n        - โทรศัพท์\n"
        "        sources:\n        - an agency's page\n        confidence: single source\n",
        1,
    )
    assert text != BASE
    fw = frameworks.parse(text, "x.yaml")
    item = fw.item("o5")
    assert item.title_known is False
    assert item.components == ("ที่อยู่", "โทรศัพท์")
    assert item.sources == ("an agency's page",) and item.confidence == "single source"
