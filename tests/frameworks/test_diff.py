"""``frameworks diff``: moved, renamed, added, removed items and the indicators they change,
titles compared after normalising the Thai; a proposal is only a proposal."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from openita import frameworks
from openita.cli.main import cli
from openita.frameworks import mappings
from openita.frameworks.diff import diff
from openita.text.thai import title_key

BASE = frameworks.available()["ita-2565"].read_text(encoding="utf-8")


def _pairs(changes):
    return {(c.old.code, c.new.code) for c in changes}


def _variant(*replacements: tuple[str, str]) -> frameworks.Framework:
    text = BASE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return frameworks.parse(text.replace("id: ita-2565", "id: ita-2565-x", 1), "x.yaml")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อ", "ประกาศต่างๆ  เกี่ยวกับการจัดซื้อ"),
        ("การดำเนินการเพื่อจัดการ", "การด\u0e4d\u0e32เนินการเพื่อจัดการ"),  # sara am typed in two
        ("น้ำ", "น\u0e4d\u0e49\u0e32"),  # nikhahit before the tone mark
        ("น้ำ", "น\u0e49\u0e4d\u0e32"),
        ("ข้อมูลการติดต่อ", "ข้อมูล\u200bการติดต่อ\ufeff"),
        ("E-Service", "E–SERVICE"),
    ],
)
def test_title_key_equal(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(("a", "b"), [("ข้อมูลการติดต่อ", "ข้อมูลผู้บริหาร"), ("ตา", "ต่า")])
def test_title_key_different(a, b):
    assert title_key(a) != title_key(b)


def test_same_framework_no_change():
    fw = frameworks.get("ita-2569")
    found = diff(fw, fw)
    assert found.empty and not found.indicators
    assert found.unchanged == len(fw.items)


def test_spelling_variants_are_not_changes():
    other = _variant(
        ("text: ประกาศต่าง ๆ เกี่ยวกับ", "text: ประกาศต่างๆ เกี่ยวกับ"),
        ("text: การดำเนินการเพื่อจัดการ", "text: การด\u0e4d\u0e32เนินการเพื่อจัดการ"),
        ("text: ข้อมูลการติดต่อ", "text: ข้อมูล\u200bการติดต่อ"),
    )
    assert diff(frameworks.get("ita-2565"), other).empty


def test_rename_move_add_remove_in_one_variant():
    other = _variant(
        ("text: Social Network", "text: Social Network ของหน่วยงาน"),  # o9 renamed
        # o8 Q&A moves from 9.1 to 9.5 (same code, other sub-indicator)
        ("      - code: o8\n        text: Q&A\n", ""),
        (
            "      - code: o29\n",
            "      - code: o8\n        text: Q&A\n      - code: o29\n",
        ),
        # o35 replaced by a new item under a new code
        (
            "      - code: o35\n        text: การมีส่วนร่วมของผู้บริหาร\n",
            "      - code: o44\n        text: ข้อใหม่\n",
        ),
    )
    found = diff(frameworks.get("ita-2565"), other)
    assert [(c.old.code, c.new.code, c.old.place, c.new.place) for c in found.moved] == [
        ("o8", "o8", "ind9.1", "ind9.5")
    ]
    assert [c.new.code for c in found.added] == ["o44"]
    assert [c.old.code for c in found.removed] == ["o35"]
    assert _pairs(found.renamed) == {("o9", "o9")} and found.renamed[0].reworded
    changed = {i.code: i for i in found.indicators}
    assert changed["ind9.1"].moved_out == ("o8",) and changed["ind9.5"].moved_in == ("o8",)
    assert "ind9" not in changed or "o8" not in changed["ind9"].moved_in  # moved within ind9
    assert changed["ind10.1"].added == ("o44",) and changed["ind10.1"].removed == ("o35",)


def test_diff_2565_2569_lists_what_moved():
    found = diff(frameworks.get("ita-2565"), frameworks.get("ita-2569"))
    moved = {(c.old.code, c.new.code) for c in found.moved}
    assert {("o7", "o4"), ("o4", "o5"), ("o39", "o23"), ("o29", "o16"), ("o30", "o17")} <= moved
    assert all(not c.reworded for c in found.moved if (c.old.code, c.new.code) == ("o39", "o23"))
    renamed = {c.old.code: c for c in found.renamed}
    assert renamed["o2"].new.title_known is False  # same code, the FY2569 title is unknown
    assert "o25" in {c.new.code for c in found.added}
    assert "o42" in {c.old.code for c in found.removed}  # its title is nowhere in FY2569
    assert found.same_tools == ("IIT", "EIT")
    changed = {i.code for i in found.indicators}
    assert {"ind9.1", "ind9.3", "ind10.2"} <= changed
    assert not changed & {f"ind{n}" for n in range(1, 9)}


def test_2565_2566_reworded_move_across_sub_indicators():
    found = diff(frameworks.get("ita-2565"), frameworks.get("ita-2566"))
    [plan] = [c for c in found.moved if c.old.code == "o18"]
    assert plan.new.code == "o11" and plan.reworded
    assert (plan.old.place, plan.new.place) == ("ind9.3", "ind9.2")
    assert "o10" in {c.new.code for c in found.added}  # the personal-data policy


def test_cli_diff_text_and_json():
    runner = CliRunner()
    text = runner.invoke(cli, ["frameworks", "diff", "ita-2565", "ita-2569"])
    assert text.exit_code == 0
    assert "o39 [ind10.1] แผนปฏิบัติการป้องกันการทุจริต  ->  o23 [ind10.1]" in text.stdout
    assert "(ไม่ทราบชื่อข้อ / title unknown)" in text.stdout
    out = runner.invoke(cli, ["frameworks", "diff", "ita-2565", "ita-2569", "--json"])
    data = json.loads(out.stdout)
    assert (data["old"], data["new"]) == ("ita-2565", "ita-2569")
    assert {"old", "new", "similarity", "reworded"} <= set(data["moved"][0])
    assert any(m["old"]["code"] == "o7" and m["new"]["code"] == "o4" for m in data["moved"])
    assert {i["code"] for i in data["indicators"]} >= {"ind9.1", "ind10.2"}
    assert all(p["confidence"] in ("high", "medium", "low") for p in data["proposed_mapping"])


def test_cli_diff_unknown_framework():
    out = CliRunner().invoke(cli, ["frameworks", "diff", "ita-2565", "ita-1999"])
    assert out.exit_code == 2 and "unknown framework 'ita-1999'" in out.stderr


@pytest.mark.parametrize(("a", "b"), [("ita-2565", "ita-2566"), ("ita-2568", "ita-2569")])
def test_proposed_mapping_is_a_valid_mapping(tmp_path, a, b):
    out = CliRunner().invoke(cli, ["frameworks", "diff", a, b, "--propose-mapping"])
    assert out.exit_code == 0
    path = tmp_path / f"{a}__{b}.yaml"
    path.write_text(out.stdout, encoding="utf-8")
    found = mappings.load_file(path)
    assert (found.source, found.target) == (a, b)
    data = yaml.safe_load(out.stdout)
    assert data["status"] == "provisional" and "review" in data["note"]
