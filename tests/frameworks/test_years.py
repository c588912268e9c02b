"""FY2566-FY2570 as the shared OIT lists give them: numbering, grouping, unknown titles,
sources and confidence kept per item, planning, all-or-nothing OIT, the colophon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openita import engine, frameworks
from openita.frameworks.schema import UNKNOWN_TITLE

OIT_LISTS = Path("/work/shared/domain/oit")


def _subs(fw: frameworks.Framework) -> dict[str, list[str]]:
    return {
        sub.code: [i.code for i in sub.items] for ind in fw.indicators for sub in ind.sub_indicators
    }


def test_ita_2566_numbering_and_grouping():
    subs = _subs(frameworks.get("ita-2566"))
    expected = {
        "ind9.1": range(1, 11),
        "ind9.2": range(11, 19),
        "ind9.3": range(19, 23),
        "ind9.4": range(23, 27),
        "ind9.5": range(27, 31),
        "ind10.1": range(31, 39),
        "ind10.2": range(39, 44),
    }
    assert subs == {k: [f"o{n}" for n in v] for k, v in expected.items()}


@pytest.mark.parametrize(
    ("ref", "code", "title"),
    [
        ("ita-2566", "o10", "นโยบายคุ้มครองข้อมูลส่วนบุคคล"),
        ("ita-2566", "o31", "ประกาศเจตนารมณ์นโยบาย No Gift Policy จากการปฏิบัติหน้าที่"),
        ("ita-2566", "o39", "ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ"),
        ("ita-2566", "o43", "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),
        ("ita-2568", "o1", "โครงสร้างและอำนาจหน้าที่"),
        (
            "ita-2568",
            "o21",
            "ประกาศเจตนารมณ์และการสร้างวัฒนธรรม ตามนโยบาย No Gift Policy จากการปฏิบัติหน้าที่",
        ),
        ("ita-2569", "o1", "โครงสร้าง หน้าที่และอำนาจ"),
        ("ita-2569", "o10", "ระบบการให้บริการผ่านช่องทางออนไลน์ (E-SERVICE)"),
        ("ita-2569", "o25", "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"),
        ("ita-2570", "o26", "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"),
    ],
)
def test_titles(ref, code, title):
    assert frameworks.get(ref).item(code).text == title


@pytest.mark.parametrize(
    ("ref", "unknown"),
    [("ita-2566", []), ("ita-2568", ["o2", "o7"]), ("ita-2569", ["o2", "o6", "o7"])],
)
def test_unknown_titles_are_marked_not_invented(ref, unknown):
    fw = frameworks.get(ref)
    assert [i.code for i in fw.items if not i.title_known] == unknown
    for code in unknown:
        assert fw.item(code).text == UNKNOWN_TITLE


@pytest.mark.parametrize(
    ("ref", "year"), [("ita-2566", 2566), ("ita-2568", 2568), ("ita-2569", 2569)]
)
def test_every_oit_item_keeps_its_sources_and_confidence(ref, year):
    """Each OIT item carries the sources and confidence of the shared list it came from."""
    rows = {r["code"]: r for r in json.loads((OIT_LISTS / f"oit-{year}.json").read_text("utf-8"))}
    fw = frameworks.get(ref)
    for item in fw.tool("OIT").items:
        row = rows[item.code]
        assert list(item.sources) == row["sources"], item.code
        assert item.confidence == row["confidence"], item.code
        if row["title"] is not None:
            assert row["title"].startswith(item.text), item.code


def test_fy2567_keeps_the_fy2566_list_and_says_which_items_were_seen():
    fy66, fy67 = frameworks.get("ita-2566"), frameworks.get("ita-2567")
    assert [(i.code, i.text) for i in fy66.items] == [(i.code, i.text) for i in fy67.items]
    assert "seen on a FY2567 page" in fy67.item("o11").confidence
    assert "not seen for FY2567" in fy67.item("o20").confidence


def test_fy2570_says_nothing_was_published():
    fw = frameworks.get("ita-2570")
    assert any("Nothing of the FY2570 methodology was published" in n for n in fw.provisional_notes)
    fy69 = frameworks.get("ita-2569")
    assert [(i.code, i.text) for i in fw.items] == [(i.code, i.text) for i in fy69.items]
    assert _subs(fw) == _subs(fy69)


@pytest.mark.parametrize(
    ("ref", "approach", "plan", "report"),
    [
        ("ita-2565", "every_weak_item", "o42", "o43"),
        ("ita-2566", "every_weak_item", "o42", "o43"),
        ("ita-2567", "every_weak_item", "o42", "o43"),
        ("ita-2568", "every_weak_item", "o25", "o26"),
        ("ita-2569", "focus_indicator", "o25", "o26"),
        ("ita-2570", "focus_indicator", "o25", "o26"),
    ],
)
def test_planning(ref, approach, plan, report):
    planning = frameworks.get(ref).planning
    assert (planning.approach, planning.plan_item, planning.report_item) == (approach, plan, report)
    assert planning.note


@pytest.mark.parametrize("ref", ["ita-2568", "ita-2569", "ita-2570"])
def test_26_item_years_still_score_ten_indicators(ref):
    fw = frameworks.get(ref)
    given = {i.code: 100.0 if n % 3 else 0.0 for n, i in enumerate(fw.tool("OIT").items)}
    given |= {f"ind{n}": 80.0 + n for n in range(1, 9)}
    result = engine.score(fw, given)
    assert all(v is not None for v in result.indicators.values())
    assert len(result.indicators) == 10
    assert 0 < result.tools["OIT"] < 100


@pytest.mark.parametrize(
    ("ref", "value", "refused"),
    [
        ("ita-2568", 50.0, True),
        ("ita-2569", 99.5, True),
        ("ita-2570", 0.01, True),
        ("ita-2569", 100.0, False),
        ("ita-2569", 0.0, False),
        ("ita-2566", 50.0, False),  # FY2566 does not say all-or-nothing
    ],
)
def test_oit_all_or_nothing(ref, value, refused):
    fw = frameworks.get(ref)
    given = {"IIT": 90.0, "EIT": 90.0} | {i.code: 100.0 for i in fw.tool("OIT").items}
    given["o5"] = value
    if not refused:
        assert engine.score(fw, given).scores["o5"] == value
        return
    with pytest.raises(engine.ScoringError) as info:
        engine.score(fw, given)
    [problem] = info.value.problems
    assert problem.code == "o5"
    assert f"o5: score {value:g} is not allowed" in problem.message
    assert "all-or-nothing, 0 or 100" in problem.message


def test_all_or_nothing_is_data_of_the_tool():
    assert frameworks.get("ita-2569").tool("OIT").scoring == "all_or_nothing"
    assert frameworks.get("ita-2569").tool("IIT").scoring == "graded"
    assert frameworks.get("ita-2566").tool("OIT").scoring == "graded"


@pytest.mark.parametrize(
    ("ref", "th", "en"),
    [
        ("ita-2569", "ita-2569 รุ่น 1 (ข้อมูลชั่วคราว)", "ita-2569 version 1 (provisional)"),
        ("ita-2565", "ita-2565 รุ่น 1", "ita-2565 version 1"),
    ],
)
def test_colophon(ref, th, en):
    fw = frameworks.get(ref)
    assert fw.colophon() == th == fw.label
    assert fw.colophon("en") == en
