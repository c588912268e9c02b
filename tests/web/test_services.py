from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from openita import engine, frameworks
from openita.importers import load_result
from openita.web.agencies.selectors import agencies_for, agency_for_user, thai_sorted
from openita.web.results import selectors, services
from openita.web.results.models import Assessment
from tests.conftest import EXAMPLES
from tests.web.conftest import World, example_bytes


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def preview(world: World, data: bytes, year: int = 2565, name: str = "scores.csv"):
    return services.assessment_preview(
        agency=world.a, fiscal_year=year, framework_id=None, uploaded_file=upload(name, data)
    )


def test_given_figures_score_back_to_the_same_result() -> None:
    result = load_result([EXAMPLES / "bansong-2565.csv"])
    again = engine.score(result.framework, services.given_figures(result), fiscal_year=2565)
    assert again.scores == result.scores
    assert again.claimed == result.claimed


def test_preview_of_the_example_is_clean_and_saves_nothing(world: World) -> None:
    found = preview(world, example_bytes())
    assert found.ok and found.result is not None
    assert f"{found.result.total:.2f}" == "90.52"
    assert found.result.band.code == "A"
    assert Assessment.objects.count() == 0


def test_preview_lists_every_problem_with_rows(world: World) -> None:
    bad = b"code,score\ni1,92\ni2,abc\nzz9,50\ni3,150\n"
    found = preview(world, bad, name="bad.csv")
    assert not found.ok
    rows = {p.row for p in found.problems}
    assert {3, 4, 5} <= rows
    assert all(p.file == "bad.csv" for p in found.problems)
    assert Assessment.objects.count() == 0


def test_preview_refuses_a_file_of_another_year(world: World) -> None:
    found = preview(world, example_bytes(2565), year=2566)
    assert not found.ok
    assert any("2565" in p.message for p in found.problems)


def test_save_once_then_no_change_on_a_second_submit(world: World) -> None:
    found = preview(world, example_bytes())
    assert found.confirmation is not None
    token = found.confirmation.token()
    first = services.assessment_save(
        agency=world.a,
        confirmation=services.confirmation_from_token(token, agency=world.a),
        user=world.users["officer_a"],
    )
    second = services.assessment_save(
        agency=world.a,
        confirmation=services.confirmation_from_token(token, agency=world.a),
        user=world.users["officer_a"],
    )
    assert first.changed and not second.changed
    assert Assessment.objects.count() == 1
    assert f"{selectors.result_of(first.assessment).total:.2f}" == "90.52"


def test_a_stale_preview_is_refused(world: World) -> None:
    old = preview(world, example_bytes())
    other = preview(world, example_bytes().replace(b"i1,92.97", b"i1,90.00"))
    assert old.confirmation and other.confirmation
    services.assessment_save(agency=world.a, confirmation=other.confirmation, user=None)
    with pytest.raises(services.StalePreview):
        services.assessment_save(agency=world.a, confirmation=old.confirmation, user=None)


def test_a_token_for_another_agency_or_forged_is_refused(world: World) -> None:
    found = preview(world, example_bytes())
    assert found.confirmation is not None
    with pytest.raises(services.StalePreview):
        services.confirmation_from_token(found.confirmation.token(), agency=world.b)
    with pytest.raises(services.StalePreview):
        services.confirmation_from_token(found.confirmation.token() + "x", agency=world.a)


def test_analysis_uses_earlier_years_as_history(world: World) -> None:
    for year in (2563, 2564, 2565):
        found = preview(world, example_bytes(year), year=year)
        assert found.confirmation is not None, found.problems
        services.assessment_save(agency=world.a, confirmation=found.confirmation, user=None)
    latest = selectors.assessment_for(world.a, 2565)
    assert latest is not None
    analysis = selectors.analysis_for(latest)
    assert analysis.trend is not None
    assert analysis.trend.years == ("2563", "2564", "2565")
    assert [a.fiscal_year for a in selectors.assessments_for(world.a)] == [2563, 2564, 2565]


def test_access_rules(world: World) -> None:
    u = world.users
    assert agency_for_user(u["officer_a"], world.a.pk, write=True) == world.a
    with pytest.raises(Http404):
        agency_for_user(u["officer_a"], world.b.pk)
    with pytest.raises(Http404):
        agency_for_user(u["viewer_a"], world.a.pk, write=True)
    with pytest.raises(Http404):
        agency_for_user(u["provincial"], world.a.pk, write=True)
    assert agency_for_user(u["provincial"], world.b.pk) == world.b
    with pytest.raises(Http404):
        agency_for_user(u["provincial"], world.c.pk)
    assert agency_for_user(u["admin"], world.c.pk, write=True) == world.c
    with pytest.raises(Http404):
        agency_for_user(u["officer_a"], 999_999)


def test_agencies_are_in_thai_order(world: World) -> None:
    names = [a.name for a in agencies_for(world.users["admin"])]
    assert names == ["เทศบาลตำบลตัวอย่าง", "เทศบาลเมืองอื่น", "องค์การบริหารส่วนตำบลทดลอง"]
    assert [x for x in thai_sorted(["ไก่", "กาล", "เกิด"], key=str)] == ["กาล", "เกิด", "ไก่"]


def test_framework_choices_list_the_builtin_frameworks() -> None:
    ids = [fid for fid, _ in selectors.framework_choices()]
    assert set(ids) >= set(frameworks.available()) - {"broken"}
