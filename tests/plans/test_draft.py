"""Drafting a plan from an analysis: coverage, order, deadlines, results, round trip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import engine, frameworks, importers
from openita.measures.catalog import Catalog, Entry
from openita.measures.catalog import Measure as CatalogMeasure
from openita.plans import Agency, Plan, dump_plan, load_plan
from openita.plans.draft import GROUPS, deadline, draft_plan, match_unit
from openita.text.thai import fiscal_year_bounds

EXAMPLE = Path(__file__).resolve().parents[2] / "openita" / "examples" / "bansong-2565.csv"
EIT_UNDER_85 = {"e1", "e2", "e3", "e5", "e6", "e7", "e9", "e10", "e11", "e12", "e14", "e15"}


@pytest.fixture(autouse=True)
def _builtin_catalogs_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(tmp_path / "local-catalog"))
    yield


@pytest.fixture(scope="module")
def result() -> engine.Result:
    return importers.load_result([EXAMPLE])


@pytest.fixture(scope="module")
def analysis(result: engine.Result) -> engine.Analysis:
    return engine.analyze(result)


@pytest.fixture
def agency() -> Agency:
    return Agency(
        name="เทศบาลตำบลบ้านส้อง",
        type="เทศบาลตำบล",
        province="สุราษฎร์ธานี",
        units=["สำนักปลัด", "กองคลัง", "งานนิติการ สำนักปลัด", "งานพัสดุและทรัพย์สิน"],
    )


@pytest.fixture
def plan(analysis: engine.Analysis, agency: Agency) -> Plan:
    return draft_plan(analysis, agency=agency)


def _addressed(plan: Plan) -> set[str]:
    return {code for m in plan.measures for code in m.addresses}


def _all_items(value: float) -> dict[str, float]:
    framework = frameworks.get("ita-2565")
    return {item.code: value for item in framework.items}


def _analysis(scores: dict[str, float], fiscal_year: int | None = 2565) -> engine.Analysis:
    framework = frameworks.get("ita-2565")
    return engine.analyze(engine.score(framework, scores, fiscal_year=fiscal_year))


# The seed-003 example (FY2565 results, plan for FY2566)


def test_covers_every_weak_item(plan: Plan) -> None:
    assert {"i7", "o12", "o20"} | EIT_UNDER_85 <= _addressed(plan)


def test_covers_below_threshold_and_zero_items(plan: Plan, analysis: engine.Analysis) -> None:
    weak = {s.code for s in (*analysis.below_threshold, *analysis.zero_items)}
    assert weak <= _addressed(plan)


def test_ordered_by_gain(plan: Plan, analysis: engine.Analysis) -> None:
    gains = {f.code: f.gain for f in analysis.uplift.fixes}
    item_measures = [m for m in plan.measures if any(c in gains for c in m.addresses)]
    groups = list(dict.fromkeys(m.group for m in plan.measures))  # one run per group
    assert [m.group for m in plan.measures] == sorted(
        (m.group for m in plan.measures), key=groups.index
    )
    for group in groups:  # by gain inside a group
        strongest = [
            max(gains[c] for c in m.addresses if c in gains)
            for m in item_measures
            if m.group == group
        ]
        assert strongest == sorted(strongest, reverse=True)
    assert plan.measures[0].addresses[0] == analysis.uplift.fixes[0].code  # e3
    for measure in plan.measures:  # addresses strongest first too
        known = [gains[c] for c in measure.addresses if c in gains]
        assert known == sorted(known, reverse=True)


def test_codes_of_one_entry_share_a_measure(plan: Plan) -> None:
    (measure,) = [m for m in plan.measures if "e11" in m.addresses]
    assert measure.addresses == ["e11", "e12"]


def test_weak_indicator_entry_added(plan: Plan) -> None:
    eit = [m for m in plan.measures if m.group == GROUPS["EIT"]]
    assert eit[-1].addresses == ["ind6"]  # after the item measures of its group


def test_ids_unique_and_in_order(plan: Plan) -> None:
    assert [m.id for m in plan.measures] == [f"M{n}" for n in range(1, len(plan.measures) + 1)]


def test_deadlines_inside_the_plan_year(plan: Plan) -> None:
    start, end = fiscal_year_bounds(2566)
    assert plan.fiscal_year == 2566
    assert all(start <= m.deadline <= end for m in plan.measures)
    assert {m.deadline for m in plan.measures} <= {
        dt.date(2022, 12, 31),
        dt.date(2023, 3, 31),
        dt.date(2023, 6, 30),
        dt.date(2023, 9, 30),
    }


def test_groups_by_tool(plan: Plan) -> None:
    by_code = {m.addresses[0]: m.group for m in plan.measures}
    assert by_code["i7"] == GROUPS["IIT"]
    assert by_code["e3"] == GROUPS["EIT"]
    assert by_code["o12"] == GROUPS["OIT"]


def test_units_follow_the_agency(plan: Plan) -> None:
    (measure,) = [m for m in plan.measures if "e10" in m.addresses]
    assert measure.unit == "งานนิติการ สำนักปลัด"  # catalog: งานนิติการ


def test_results_rescore_to_the_same_total(plan: Plan, result: engine.Result) -> None:
    assert plan.results is not None
    assert plan.results.framework == "ita-2565"
    current = plan.results.current
    assert current.fiscal_year == 2565
    # NACC's published figures stay beside the items: the documents print them
    assert current.scores["total"] == 90.52 and current.scores["ind5"] == 91.82
    again = engine.score(frameworks.get("ita-2565"), current.scores, fiscal_year=2565)
    assert round(again.total, 2) == 90.52
    assert again.total == pytest.approx(result.total, abs=1e-9)


def test_history_is_kept(analysis: engine.Analysis, agency: Agency) -> None:
    older = engine.score(
        frameworks.get("ita-2565"),
        {f"ind{n}": 80.0 for n in range(1, 11)},
        fiscal_year=2564,
    )
    plan = draft_plan(analysis, agency=agency, history=[older])
    assert plan.results is not None
    (year,) = plan.results.history
    assert year.fiscal_year == 2564
    assert year.scores == {f"ind{n}": 80.0 for n in range(1, 11)}


def test_foreword_names_agency_and_years(plan: Plan) -> None:
    assert plan.foreword.startswith("เทศบาลตำบลบ้านส้อง เป็นองค์กรปกครองส่วนท้องถิ่นในจังหวัดสุราษฎร์ธานี")
    assert "ปีงบประมาณ พ.ศ. 2565" in plan.foreword
    assert "ประจำปีงบประมาณ พ.ศ. 2566" in plan.foreword
    assert plan.published is None and plan.memos == {}


def test_round_trip(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(dump_plan(plan), encoding="utf-8")
    assert load_plan(path).model_dump() == plan.model_dump()


def test_explicit_fiscal_year(analysis: engine.Analysis, agency: Agency) -> None:
    plan = draft_plan(analysis, agency=agency, fiscal_year=2567)
    start, end = fiscal_year_bounds(2567)
    assert all(start <= m.deadline <= end for m in plan.measures)
    with pytest.raises(ValueError, match="must come after the results year 2565"):
        draft_plan(analysis, agency=agency, fiscal_year=2565)


def test_results_without_year(agency: Agency) -> None:
    analysis = _analysis(_all_items(90.0), fiscal_year=None)
    with pytest.raises(ValueError, match="no fiscal year"):
        draft_plan(analysis, agency=agency)


# Other agencies


def test_perfect_agency_still_gets_a_plan(agency: Agency) -> None:
    plan = draft_plan(_analysis(_all_items(100.0)), agency=agency)
    assert plan.measures
    addressed = _addressed(plan)
    assert addressed
    assert {c[0] for c in addressed} == {"i", "e"}  # survey tools only
    assert len({c for c in addressed if c.startswith("i")}) == 3
    assert len({c for c in addressed if c.startswith("e")}) == 3


def test_good_agency_drafts_its_lowest_items(agency: Agency) -> None:
    scores = _all_items(95.0) | {"i4": 86.0, "i9": 88.0, "i20": 90.0, "i1": 91.0, "e2": 87.0}
    plan = draft_plan(_analysis(scores), agency=agency)
    addressed = _addressed(plan)
    assert {"i4", "i9", "i20", "e2"} <= addressed
    assert "i1" not in addressed


def test_code_without_catalog_entry_gets_a_generic_measure(agency: Agency) -> None:
    catalog = Catalog(
        id="local",
        version=1,
        applies_to=("ita-2565",),
        entries=(
            Entry(
                items=("e14",),
                direction="ส่งเสริมการมีส่วนร่วม",
                measures=(
                    CatalogMeasure(
                        title="การส่งเสริมการมีส่วนร่วม",
                        steps=("ประชาสัมพันธ์ช่องทางแสดงความคิดเห็น",),
                        unit="งานนิติการ",
                        deadline_month=11,
                        rounds=(12,),
                    ),
                ),
            ),
        ),
    )
    scores = _all_items(100.0) | {"e3": 60.0, "e14": 70.0}
    plan = draft_plan(_analysis(scores), agency=agency, catalog=catalog)
    first, second = plan.measures
    assert first.addresses == ["e3"]
    assert "e3" in first.title and first.title.startswith("การพัฒนาประเด็น")
    assert len(first.steps) == 4
    assert first.deadline == dt.date(2023, 6, 30)
    assert second.addresses == ["e14"]
    assert second.unit == "งานนิติการ สำนักปลัด"
    assert second.deadline == dt.date(2022, 11, 30)
    assert second.rounds == [12]


def test_indicator_only_results_are_covered(agency: Agency) -> None:
    scores = _all_items(100.0)
    for code in [c for c in scores if c.startswith("e")]:
        del scores[code]
    scores |= {"ind6": 70.0, "ind7": 90.0, "ind8": 60.0}
    plan = draft_plan(_analysis(scores), agency=agency)
    assert {"ind6", "ind8"} <= _addressed(plan)


# Helpers


@pytest.mark.parametrize(
    ("month", "expected"),
    [(10, dt.date(2022, 10, 31)), (2, dt.date(2023, 2, 28)), (9, dt.date(2023, 9, 30))],
)
def test_deadline(month: int, expected: dt.date) -> None:
    assert deadline(2566, month) == expected


@pytest.mark.parametrize(
    ("unit", "units", "expected"),
    [
        ("งานนิติการ", [], "งานนิติการ"),
        ("กองคลัง", ["กองคลัง", "กองคลังเทศบาล"], "กองคลัง"),
        ("งานนิติการ", ["สำนักปลัด", "งานนิติการ สำนักปลัด"], "งานนิติการ สำนักปลัด"),
        ("สำนักปลัด", ["งานนิติการ สำนักปลัด", "สำนักปลัดเทศบาล"], "สำนักปลัดเทศบาล"),
        ("หน่วยตรวจสอบภายใน", ["ตรวจสอบภายใน", "กองคลัง"], "ตรวจสอบภายใน"),
        ("ทุกส่วนราชการ", ["สำนักปลัด", "กองคลัง"], "ทุกส่วนราชการ"),
    ],
)
def test_match_unit(unit: str, units: list[str], expected: str) -> None:
    assert match_unit(unit, units) == expected
