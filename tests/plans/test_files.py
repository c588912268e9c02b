"""Plan files: loading, problems named by file, line and field, and the documented format."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from openita.plans import PlanInvalid, dump_plan, load_agency, load_plan, save_plan
from openita.plans.schema import (
    Agency,
    Measure,
    Meeting,
    Memo,
    Person,
    Plan,
    Progress,
    Results,
    Signers,
    YearScores,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "plan-format.md"

GOOD = """\
format: openita-plan/1
agency:
  name: เทศบาลตำบลบ้านส้อง
  units: [สำนักปลัด, กองคลัง]
fiscal_year: 2566
results:
  current:
    fiscal_year: 2565
    scores: {i7: 84.94, o12: 0}
measures:
- id: M1
  title: การเผยแพร่แผนการใช้จ่ายงบประมาณประจำปี
  steps: [เผยแพร่แผนการใช้จ่ายงบประมาณแก่บุคลากร]
  unit: กองคลัง
  deadline: 2023-06-30
  progress:
    6:
      status: in_progress
      percent: 50
- id: M2
  title: การจัดทำรายงานผลการดำเนินงานประจำปี
  steps: [จัดทำรายงาน, เผยแพร่บนเว็บไซต์]
  unit: สำนักปลัด
  deadline: 2022-12-31
"""


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "plan.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str | bytes) -> list[str]:
    path = _write(tmp_path, text)
    with pytest.raises(PlanInvalid) as info:
        load_plan(path)
    assert all(p.startswith(f"{path}:") for p in info.value.problems)
    return info.value.problems


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


# Good files


def test_good_file_loads(tmp_path: Path) -> None:
    plan = load_plan(_write(tmp_path, GOOD))
    assert plan.fiscal_year == 2566
    assert plan.measures[0].deadline == dt.date(2023, 6, 30)
    assert plan.measures[0].progress[6].status == "in_progress"
    assert plan.results is not None and plan.results.current.scores["o12"] == 0.0


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    plan = load_plan(_write(tmp_path, GOOD))
    out = tmp_path / "again.yaml"
    save_plan(plan, out)
    text = out.read_text(encoding="utf-8")
    assert "deadline: 2023-06-30" in text and "เทศบาลตำบลบ้านส้อง" in text
    assert load_plan(out).model_dump() == plan.model_dump()
    assert dump_plan(load_plan(out)) == text


def test_plan_file_is_an_agency_file(tmp_path: Path) -> None:
    assert load_agency(_write(tmp_path, GOOD)).name == "เทศบาลตำบลบ้านส้อง"


def test_documented_example_loads(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    plan = load_plan(_write(tmp_path, blocks[0]))
    assert plan.measures[1].progress[6].status == "in_progress"


# Bad files: every problem names the file, a line and the field


def test_missing_measures(tmp_path: Path) -> None:
    text = GOOD[: GOOD.index("measures:")]
    (problem,) = _problems(tmp_path, text)
    assert re.search(r":\d+: measures: Field required", problem)


def test_unknown_key(tmp_path: Path) -> None:
    text = GOOD.replace("  units:", "  colour: blue\n  units:")
    (problem,) = _problems(tmp_path, text)
    line = _line_of(text, "colour")
    assert f":{line}: agency.colour: Extra inputs are not permitted" in problem


def test_dropped_without_reason(tmp_path: Path) -> None:
    text = GOOD.replace("status: in_progress", "status: dropped")
    (problem,) = _problems(tmp_path, text)
    assert f":{_line_of(text, '    6:')}: measures.0.progress.6:" in problem
    assert "a dropped measure needs a reason" in problem


def test_dropped_with_reason_is_fine(tmp_path: Path) -> None:
    text = GOOD.replace("status: in_progress", "status: dropped\n      reason: ไม่ได้รับงบประมาณ")
    assert load_plan(_write(tmp_path, text)).measures[0].progress[6].reason


def test_percent_over_100(tmp_path: Path) -> None:
    text = GOOD.replace("percent: 50", "percent: 120")
    (problem,) = _problems(tmp_path, text)
    assert f":{_line_of(text, 'percent: 120')}: measures.0.progress.6.percent:" in problem
    assert "less than or equal to 100 (got 120)" in problem


def test_duplicate_measure_id(tmp_path: Path) -> None:
    text = GOOD.replace("- id: M2", "- id: M1")
    (problem,) = _problems(tmp_path, text)
    assert f":{_line_of(text, 'measures:')}: measures: measure ids used twice: M1" in problem


def test_results_year_not_before_plan_year(tmp_path: Path) -> None:
    text = GOOD.replace("fiscal_year: 2565", "fiscal_year: 2566")
    (problem,) = _problems(tmp_path, text)
    assert f":{_line_of(text, 'results:')}: results:" in problem
    assert "results.current.fiscal_year 2566 must be before the plan's fiscal_year 2566" in problem


def test_not_utf8(tmp_path: Path) -> None:
    text = GOOD.encode("utf-8").replace("สำนักปลัด".encode(), "สำนักปลัด".encode("cp874"), 1)
    (problem,) = _problems(tmp_path, text)
    assert f":{_line_of(GOOD, 'สำนักปลัด')}: not UTF-8 text" in problem


def test_not_yaml(tmp_path: Path) -> None:
    text = GOOD.replace("  units: [สำนักปลัด, กองคลัง]", "  units: [สำนักปลัด, กองคลัง")
    (problem,) = _problems(tmp_path, text)
    assert re.search(r"\.yaml:\d+: not valid YAML", problem)


def test_not_a_mapping(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, "- just\n- a list\n")
    assert problem.endswith(":1: a plan file is a mapping with agency, fiscal_year and measures")


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("percent: 50", "percent: 120").replace("2565", "2567")
    problems = _problems(tmp_path, text)
    assert [p.split(": ")[1] for p in problems] == ["results", "measures.0.progress.6.percent"]


# The format is documented


MODELS: list[type[BaseModel]] = [
    Plan,
    Agency,
    Person,
    Signers,
    Results,
    YearScores,
    Measure,
    Progress,
    Memo,
    Meeting,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    doc = DOC.read_text(encoding="utf-8")
    missing = [name for name in model.model_fields if f"`{name}`" not in doc]
    assert not missing, f"{model.__name__} fields not in {DOC.name}: {missing}"


def test_statuses_are_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for status in ("not_started", "in_progress", "done", "dropped"):
        assert f"`{status}`" in doc
    assert "openita report plan PLAN.yaml -o plan.pdf" in doc
