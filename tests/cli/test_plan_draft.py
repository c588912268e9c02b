"""`openita plan draft` the FY2569 way: the focus indicator (lowest, or --focus), its note,
refusals with exit 2, and the catalog of the results year's framework."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from openita import frameworks, measures
from openita.cli.main import cli
from tests.conftest import EXAMPLES
from tests.plans.focus_fixture import focus_scores, install_focus_framework, write_scores

EIT_COMMUNICATION = ("e6", "e7", "e8", "e9", "e10")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scores_2568(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """FY2568 results scored by a framework that plans on one indicator (indicator 7 lowest)."""
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "no-local-catalog"))
    install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    framework = frameworks.get("ita-2568")
    assert framework.planning.approach == "focus_indicator"
    low = dict.fromkeys(EIT_COMMUNICATION, 60.0) | {"i1": 70.0}
    return write_scores(tmp_path / "scores-2568.csv", focus_scores(framework, low), 2568)


def _plan(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_lowest_indicator_is_chosen_and_recorded(scores_2568: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan-2569.yaml"
    code, _, err = run("plan", "draft", str(scores_2568), "--agency", "อบต.ทดสอบ", "-o", str(out))
    assert code == 0, err
    plan = _plan(out)
    assert plan["fiscal_year"] == 2569
    assert plan["results"]["framework"] == "ita-2568"
    assert plan["focus"] == {"indicator": "ind7", "reason": "lowest", "note": ""}
    addressed = {c for m in plan["measures"] for c in m["addresses"]}
    assert set(EIT_COMMUNICATION) <= addressed and "i1" not in addressed
    assert {"o25", "o26"} <= addressed
    assert "focus indicator: ind7 60.00 (the lowest)" in err


def test_focus_option_and_note(scores_2568: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    code, _, err = run(
        "plan", "draft", str(scores_2568), "--agency", "อบต.ทดสอบ", "-o", str(out),
        "--focus", "ind3", "--focus-note", "ความเสี่ยงการใช้อำนาจ",
    )  # fmt: skip
    assert code == 0, err
    focus = _plan(out)["focus"]
    assert focus == {"indicator": "ind3", "reason": "chosen", "note": "ความเสี่ยงการใช้อำนาจ"}
    assert "focus indicator: ind3 95.00 (chosen)" in err


def test_unknown_focus_indicator_exits_2(scores_2568: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    code, _, err = run(
        "plan",
        "draft",
        str(scores_2568),
        "--agency",
        "อบต.ทดสอบ",
        "-o",
        str(out),
        "--focus",
        "ind12",
    )
    assert code == 2
    assert err.startswith("error: --focus ind12: indicator 'ind12' is not in framework ita-2568")
    assert "ind1, ind2" in err
    assert not out.exists()


def test_focus_on_an_every_weak_item_framework_exits_2(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    scores = str(EXAMPLES / "bansong-2565.csv")
    code, _, err = run(
        "plan", "draft", scores, "--agency", "อบต.ทดสอบ", "-o", str(out), "--focus", "ind7"
    )
    assert code == 2 and "ita-2565 plans a measure for every weak item" in err
    assert not out.exists()


def test_older_results_keep_the_old_way_with_their_years_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "no-local-catalog"))
    out = tmp_path / "plan-2566.yaml"
    scores = str(EXAMPLES / "bansong-2565.csv")
    code, _, err = run("plan", "draft", scores, "--agency", "อบต.ทดสอบ", "-o", str(out))
    assert code == 0, err
    plan = _plan(out)
    assert "focus" not in plan and "focus indicator" not in err
    catalog = measures.catalog_for(frameworks.get("ita-2565"))
    titles = {m.title for e in catalog.for_code("o12") for m in e.measures}
    assert any(m["title"] in titles for m in plan["measures"] if "o12" in m["addresses"])


def test_a_broken_local_code_file_exits_2(
    scores_2568: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "catalog"
    (local / "frameworks").mkdir(parents=True)
    bad = local / "frameworks" / "ita-2568.yaml"
    bad.write_text("framework: ita-2568\nserves:\n  iit-01: [i1, i99]\n", encoding="utf-8")
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(local))
    code, _, err = run(
        "plan", "draft", str(scores_2568), "--agency", "อบต.ทดสอบ", "-o", str(tmp_path / "p.yaml")
    )
    assert code == 2
    assert f"error: {bad}:3: 'i99' is not in framework ita-2568" in err


def test_a_too_short_agency_name_exits_2(tmp_path: Path) -> None:
    scores = str(EXAMPLES / "bansong-2565.csv")
    code, _, err = run("plan", "draft", scores, "--agency", "x", "-o", str(tmp_path / "p.yaml"))
    assert code == 2 and err.startswith("error: --agency 'x': String should have at least 2")


def test_plan_next_says_the_approach_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "no-local-catalog"))
    builtin = frameworks.get("ita-2568")
    low = dict.fromkeys(EIT_COMMUNICATION, 60.0) | {"i1": 70.0}
    old_scores = write_scores(tmp_path / "s-2568.csv", focus_scores(builtin, low), 2568)
    plan = tmp_path / "plan-2569.yaml"
    code, _, err = run(
        "plan", "draft", str(old_scores), "--agency", "อบต.ทดสอบ", "-o", str(plan),
        "--framework", "ita-2568",
    )  # fmt: skip
    assert code == 0, err
    install_focus_framework(Path(os.environ["OPENITA_FRAMEWORKS_DIR"]))
    new_scores = write_scores(tmp_path / "s-2569.csv", focus_scores(builtin, low), 2569)
    out = tmp_path / "plan-2570.yaml"
    code, text, err = run(
        "plan", "next", str(plan), "--results", str(new_scores), "--framework", "ita-2568",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "Framework ita-2568 plans on one focus indicator; this year's plan did not" in text
    assert "Focus indicator: ind7 (the lowest)" in text
    not_carried = text.split("Not carried (")[1].split("Not addressed by any measure")[0]
    assert "(i1)" in not_carried
    assert _plan(out)["focus"]["indicator"] == "ind7"
    code, _, err = run("plan", "next", str(plan), "--focus", "ind7", "-o", str(tmp_path / "x.yaml"))
    assert code == 2 and "--focus needs --results" in err


def test_check_catalog_names_every_problem_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "catalog"
    (local / "frameworks").mkdir(parents=True)
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(local))
    # the built-in lists of frameworks not on this branch yet are the only other problems
    pending = {
        p.stem
        for p in (measures.catalog.BUILTIN_DIR / "frameworks").glob("*.yaml")
        if p.stem not in frameworks.available()
    }
    code, out, _ = run("plan", "check-catalog")
    assert code == (1 if pending else 0)
    assert {
        line.split(": framework '")[1].split("'")[0] for line in out.splitlines() if pending
    } == pending
    if not pending:
        assert "no problem" in out
    bad = local / "frameworks" / "ita-2566.yaml"
    bad.write_text("framework: ita-2566\nserves:\n  iit-01: [i1]\n  nope: [i99]\n", "utf-8")
    code, out, _ = run("plan", "check-catalog")
    assert code == 1
    assert f"{bad}:4: entry 'nope' is not in the catalog of measures" in out
    assert f"{bad}:4: 'i99' is not in framework ita-2566" in out


@pytest.mark.parametrize(("results_year", "low_items", "lowest"), [
    (2569, {"e11": 55.0, "e12": 60.0}, "ind8"),
    (2569, {"i13": 50.0, "i14": 58.0, "e1": 80.0}, "ind3"),
    (2570, {"o3": 0.0, "o4": 0.0, "o5": 0.0}, None),  # the lowest is found, whichever it is
])  # fmt: skip
def test_builtin_current_years_plan_on_their_lowest_indicator(
    tmp_path: Path, results_year: int, low_items: dict[str, float], lowest: str | None
) -> None:
    """FY2569 (and the provisional FY2570) results, scored by the built-in framework of that
    year, draft next year's plan on the lowest indicator and record it."""
    from openita import engine

    framework = frameworks.for_year(results_year)
    assert framework is not None and framework.planning.approach == "focus_indicator"
    scores = focus_scores(framework, low_items)
    path = write_scores(tmp_path / f"scores-{results_year}.csv", scores, results_year)
    out = tmp_path / "plan.yaml"
    code, _, err = run("plan", "draft", str(path), "--agency", "อบต.ทดสอบ", "-o", str(out))
    assert code == 0, err
    plan = _plan(out)
    result = engine.score(framework, scores)
    indicators = {c: v for c, v in result.indicators.items() if v is not None}
    expected = min(indicators, key=lambda c: round(indicators[c], 2))
    assert lowest in (None, expected)
    assert plan["fiscal_year"] == results_year + 1
    assert plan["focus"]["indicator"] == expected and plan["focus"]["reason"] == "lowest"
    weak = {c for c in low_items if framework.tool_of(c) and c in scores}
    on_focus = {
        i.code for ind in framework.indicators if ind.code == expected for i in ind.all_items
    }
    addressed = {c for m in plan["measures"] for c in m["addresses"]}
    assert weak & on_focus <= addressed
    assert {framework.planning.plan_item, framework.planning.report_item} <= addressed
