"""`openita frameworks list` and `show`: fiscal years, status, item provenance, unknown
titles, components, the colophon."""

from __future__ import annotations

import json

from click.testing import CliRunner

from openita import frameworks
from openita.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_fiscal_years_and_status():
    code, out, _ = run("frameworks", "list", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    assert {y for r in rows.values() for y in r["fiscal_years"]} >= set(range(2566, 2571))
    assert rows["ita-2570"]["status"] == "provisional" and rows["ita-2570"]["fiscal_years"] == [
        2570
    ]
    code, text, _ = run("frameworks", "list")
    line = next(ln for ln in text.splitlines() if ln.startswith("ita-2569"))
    assert "provisional" in line and "2569" in line


def test_show_items_with_sources_confidence_and_unknown_titles():
    code, out, _ = run("frameworks", "show", "ita-2569")
    assert code == 0
    assert "ระบุในเอกสาร / colophon: ita-2569 รุ่น 1 (ข้อมูลชั่วคราว)" in out
    assert "o2 (ไม่ทราบชื่อข้อ: ยังไม่มีแหล่งข้อมูล)  [ไม่ทราบชื่อข้อ / title unknown]" in out
    assert "items with unknown titles: o2, o6, o7" in out
    after_o25 = out.split("o25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร", 1)[1]
    assert after_o25.splitlines()[1].strip().startswith("ความเชื่อมั่น/confidence: two sources")
    assert "ที่มา/source: github:athipaty/maesaiphayao" in after_o25
    assert "ind10.2 มาตรการภายในเพื่อป้องกันการทุจริต (o15, o25, o26)" in out
    assert "OIT (40%, ข้อละ 0 หรือ 100 / all-or-nothing)" in out
    assert "การวางแผน / planning: focus_indicator, แผน/plan o25, รายงาน/report o26" in out


def test_show_components(tmp_path):
    text = frameworks.available()["ita-2569"].read_text(encoding="utf-8")
    text = text.replace(
        "      - code: o3\n",
        "      - code: o3\n        components:\n        - ที่อยู่ของหน่วยงาน\n        - หมายเลขโทรศัพท์\n",
        1,
    )
    path = tmp_path / "mine.yaml"
    path.write_text(text.replace("id: ita-2569", "id: mine-2569", 1), encoding="utf-8")
    code, out, err = run("frameworks", "show", str(path))
    assert code == 0, err
    assert "องค์ประกอบ/component 1: ที่อยู่ของหน่วยงาน" in out
    assert "องค์ประกอบ/component 2: หมายเลขโทรศัพท์" in out
    code, out, _ = run("frameworks", "show", str(path), "--json")
    oit = json.loads(out)["tools"][2]
    o3 = oit["indicators"][0]["sub_indicators"][0]["items"][2]
    assert o3["components"] == ["ที่อยู่ของหน่วยงาน", "หมายเลขโทรศัพท์"]
