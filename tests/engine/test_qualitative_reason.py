"""The analysis says which figure holds an agency below the next qualitative level, and by
how much (FY2567 on); and trends compare indicators and tools, never item codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from openita import engine, frameworks
from openita.cli.main import cli

CASES = [
    # (framework, IIT, EIT, OIT, total, level, next level, [(code, score, needed, short by)])
    ("ita-2568", 99.2, 84, 99.2, 94.64, "pass", "good", [("EIT", 84.0, 85, 1.0)]),
    (
        "ita-2568",
        84,
        84,
        99,
        90.0,
        "pass",
        "good",
        [("IIT", 84.0, 85, 1.0), ("EIT", 84.0, 85, 1.0)],
    ),
    ("ita-2568", 96, 96, 96, 96.0, "excellent", None, []),
    ("ita-2569", 99, 94, 99, 97.5, "good", "excellent", [("EIT", 94.0, 95, 1.0)]),
    (
        "ita-2569",
        90,
        92,
        94,
        92.2,
        "good",
        "excellent",
        [
            ("total", 92.2, 95, 2.8),
            ("IIT", 90.0, 95, 5.0),
            ("EIT", 92.0, 95, 3.0),
            ("OIT", 94.0, 95, 1.0),
        ],
    ),
    ("ita-2567", 90, 84.5, 80, 84.35, "improve", "pass", [("total", 84.35, 85, 0.65)]),
    ("ita-2570", 60, 60, 60, 60.0, "urgent", "improve", [("total", 60.0, 70, 10.0)]),
    (
        "ita-2568",
        84.995,
        84.995,
        84.995,
        85.0,
        "good",
        "excellent",
        [
            ("total", 85.0, 95, 10.0),
            ("IIT", 85.0, 95, 10.0),
            ("EIT", 85.0, 95, 10.0),
            ("OIT", 85.0, 95, 10.0),
        ],
    ),  # 84.995 is published as 85.00, which meets ผ่านดี
]


@pytest.mark.parametrize(("ref", "iit", "eit", "oit", "total", "level", "above", "short"), CASES)
def test_reason(ref, iit, eit, oit, total, level, above, short):
    result = engine.score(frameworks.get(ref), {"IIT": iit, "EIT": eit, "OIT": oit})
    reason = engine.analyze(result).qualitative_reason
    assert round(result.total, 2) == total
    assert reason.level.code == level == result.qualitative.code
    assert (reason.next_level.code if reason.next_level else None) == above
    got = [(s.code, round(s.score, 2), s.needed, s.short_by) for s in reason.shortfalls]
    assert got == short
    assert reason.held_by_tools is (bool(short) and all(c != "total" for c, *_ in short))


def test_no_reason_without_a_qualitative_rating(fw2565):
    result = engine.score(fw2565, {"IIT": 90, "EIT": 84, "OIT": 90})
    assert engine.analyze(result).qualitative_reason is None


def test_cli_shows_the_reason(tmp_path):
    scores = tmp_path / "fy2568.csv"
    scores.write_text("code,score\nIIT,99.2\nEIT,84\nOIT,99.2\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(cli, ["analyze", str(scores), "--framework", "ita-2568", "--json"])
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total"] == 94.64 and data["qualitative_rating"]["label"] == "ผ่าน"
    assert data["qualitative_reason"] == {
        "level": "pass",
        "next_level": "good",
        "next_label": "ผ่านดี",
        "held_by_tools": True,
        "shortfalls": [{"code": "EIT", "score": 84.0, "needed": 85.0, "short_by": 1.0}],
    }
    text = runner.invoke(cli, ["analyze", str(scores), "--framework", "ita-2568"]).stdout
    assert "ระดับเชิงคุณภาพ / Qualitative rating: ผ่าน (Pass)" in text
    assert "เหตุผล: EIT 84.00 ต่ำกว่า 85 ที่ระดับผ่านดีกำหนด ขาดอีก 1.00" in text
    assert "Reason: EIT 84.00 is under the 85 needed for ผ่านดี, short by 1.00" in text


def test_trend_across_renumbered_frameworks_compares_indicators_and_tools_only(seed_items, fw2565):
    """FY2565 o42 and FY2569 o42 are not the same item (FY2569 has no o42 at all): the trend
    holds the total, the tools and the ten indicators, which survive renumbering."""
    old = engine.score(fw2565, seed_items, fiscal_year=2565)
    fw = frameworks.get("ita-2569")
    given = {f"ind{n}": 90.0 for n in range(1, 9)} | {i.code: 100.0 for i in fw.tool("OIT").items}
    now = engine.score(fw, given, fiscal_year=2569)
    trend = engine.analyze(now, [old]).trend
    expected = {"total", "IIT", "EIT", "OIT", *(f"ind{n}" for n in range(1, 11))}
    assert set(trend.series) == expected
    assert trend.series["ind10"] == (pytest.approx(old.scores["ind10"]), 100.0)
    assert trend.change["OIT"] == pytest.approx(100.0 - old.scores["OIT"])


@pytest.mark.parametrize(("ref", "factor"), [("ita-2569", 100), ("ita-2566", 85)])
def test_an_all_or_nothing_item_at_0_gains_its_whole_weight_to_pass(ref, factor):
    fw = frameworks.get(ref)
    given = {f"ind{n}": 90.0 for n in range(1, 9)} | {i.code: 100.0 for i in fw.tool("OIT").items}
    given["o5"] = 0.0
    up = engine.analyze(engine.score(fw, given)).uplift
    [fix] = [f for f in up.fixes if f.code == "o5"]
    assert fix.gain_to_pass == pytest.approx(fix.coefficient * factor)
    assert fix.gain == pytest.approx(fix.coefficient * 100)
