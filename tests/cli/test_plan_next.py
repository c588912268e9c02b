"""`openita plan next`: next year's plan written, the lists printed, bad input exits 2."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from openita.cli.main import cli
from openita.plans import load_plan
from tests.conftest import EXAMPLES

PLAN = str(EXAMPLES / "bansong-plan-2566.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def scores_2566(tmp_path: Path) -> Path:
    """The example's 2565 scores as the 2566 results, with e3 and e9 raised and i1 lowered.
    They keep the FY2565 item numbering, so the file names its framework (ita-2565): under
    ita-2566 the same codes would be other items."""
    changed = {"fiscal_year": "2566", "e3": "90", "e9": "91", "i1": "70"}
    lines = []
    for line in (EXAMPLES / "bansong-2565.csv").read_text(encoding="utf-8").splitlines():
        code = line.split(",")[0]
        if code.startswith("ind") or code.isupper() or code == "total":
            continue  # the published figures of 2565 do not hold for changed items
        lines.append(f"{code},{changed[code]}" if code in changed else line)
        if code == "fiscal_year":
            lines.append("framework,ita-2565")
    path = tmp_path / "scores-2566.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_next_without_results(tmp_path: Path) -> None:
    out_file = tmp_path / "plan-2567.yaml"
    code, out, err = run("plan", "next", PLAN, "-o", str(out_file))
    assert code == 0, err
    assert "No results given" in out and "fiscal year 2567, 13 measures" in err
    plan = load_plan(out_file)
    assert plan.fiscal_year == 2567 and all(m.progress == {} for m in plan.measures)
    assert plan.measures[0].deadline.isoformat() == "2024-03-31"
    assert plan.results is not None and plan.results.current.fiscal_year == 2565


def test_next_with_results_prints_the_lists(tmp_path: Path) -> None:
    out_file = tmp_path / "plan-2567.yaml"
    code, out, err = run(
        "plan", "next", PLAN, "--results", str(scores_2566(tmp_path)), "-o", str(out_file)
    )
    assert code == 0, err
    uncovered, resolved = out.split("Measures whose items all pass now")
    assert "Not addressed by any measure (1)" in uncovered and "i1" in uncovered
    assert "(3): may be dropped" in resolved
    assert "M1" in resolved and "M2" in resolved and "e3 90.00" in resolved
    plan = load_plan(out_file)
    assert plan.results is not None and plan.results.current.fiscal_year == 2566
    assert plan.results.current.scores["i1"] == 70


def test_a_scores_file_without_a_year_is_the_plans_year(tmp_path: Path) -> None:
    path = scores_2566(tmp_path)
    text = path.read_text(encoding="utf-8").replace("fiscal_year,2566\n", "")
    nameless = tmp_path / "scores.csv"
    nameless.write_text(text, encoding="utf-8")
    out_file = tmp_path / "next.yaml"
    code, _, err = run("plan", "next", PLAN, "--results", str(nameless), "-o", str(out_file))
    assert code == 0, err
    plan = load_plan(out_file)
    assert plan.results is not None and plan.results.current.fiscal_year == 2566


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    out_file = tmp_path / "plan-2567.yaml"
    out_file.write_text("keep", encoding="utf-8")
    code, _, err = run("plan", "next", PLAN, "-o", str(out_file))
    assert code == 2 and f"{out_file}: exists: use --force" in err
    assert out_file.read_text(encoding="utf-8") == "keep"
    code, _, _ = run("plan", "next", PLAN, "-o", str(out_file), "--force")
    assert code == 0 and load_plan(out_file).fiscal_year == 2567


def test_results_of_the_wrong_year(tmp_path: Path) -> None:
    scores = str(EXAMPLES / "bansong-2565.csv")
    out_file = tmp_path / "next.yaml"
    code, _, err = run("plan", "next", PLAN, "--results", scores, "-o", str(out_file))
    assert code == 2 and f"error: {scores}: the scores are of fiscal year 2565" in err
    assert not out_file.exists()


def test_bad_plan_and_bad_scores(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("agency: {name: x}\nfiscal_year: 2566\nmeasures: []\n", encoding="utf-8")
    code, _, err = run("plan", "next", str(bad), "-o", str(tmp_path / "n.yaml"))
    assert code == 2 and err.startswith(f"error: {bad}:")
    scores = tmp_path / "s.csv"
    scores.write_text("code,score\nfiscal_year,2566\ni1,abc\n", encoding="utf-8")
    code, _, err = run(
        "plan", "next", PLAN, "--results", str(scores), "-o", str(tmp_path / "n.yaml")
    )
    assert code == 2 and f"error: {scores}" in err
    missing = tmp_path / "missing.yaml"
    code, _, err = run("plan", "next", str(missing), "-o", str(tmp_path / "n.yaml"))
    assert code == 2 and str(missing) in err
