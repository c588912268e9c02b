"""A result's figures are computed when it is saved (lists read columns, never rescore), and a
changed framework finds the stale ones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openita import engine, frameworks
from openita.web.results.models import Assessment
from openita.web.results.services import refresh_stale_figures
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _scores(level: float) -> dict[str, float]:
    return {f"ind{n}": level + n / 10 for n in range(1, 11)}


def test_saving_stores_the_figures_the_engine_gives(world: World) -> None:
    a = Assessment.objects.create(
        agency=world.a, fiscal_year=2565, framework_id="ita-2565", scores=_scores(80)
    )
    expected = engine.official(engine.score(frameworks.get("ita-2565"), _scores(80)))
    a.refresh_from_db()
    assert a.total == Decimal(f"{expected.total:.2f}")
    assert a.rating == expected.band.code
    assert a.passed is expected.passed
    assert a.figures["ind3"] == pytest.approx(80.3)
    assert set(a.figures) >= {t.code for t in expected.framework.tools}
    assert a.figures_key.startswith("ita-2565@")
    # a change of scores through save(update_fields=...) recomputes them too
    a.scores = _scores(95)
    a.save(update_fields=["scores", "updated"])
    a.refresh_from_db()
    assert a.total > expected.total and a.figures["ind3"] == pytest.approx(95.3)


def test_qualitative_level_is_stored_from_fy2567(world: World) -> None:
    fw = frameworks.for_year(2569)
    assert fw is not None and fw.qualitative_rating is not None
    given = {t.code: 90.0 for t in fw.tools}
    a = Assessment.objects.create(
        agency=world.a, fiscal_year=2569, framework_id=fw.id, scores=given
    )
    level = engine.score(fw, given).qualitative
    assert level is not None and a.level == level.code != ""


def test_a_result_that_cannot_be_scored_stores_no_figures(world: World) -> None:
    a = Assessment.objects.create(
        agency=world.a, fiscal_year=2565, framework_id="ita-2565", scores={"ind1": 90.0}
    )
    a.refresh_from_db()
    assert a.total is None and a.rating == "" and a.figures == {} and a.figures_key == ""


def test_stale_figures_are_found_and_refreshed(world: World) -> None:
    a = Assessment.objects.create(
        agency=world.a, fiscal_year=2565, framework_id="ita-2565", scores=_scores(80)
    )
    b = Assessment.objects.create(
        agency=world.b, fiscal_year=2565, framework_id="ita-2565", scores=_scores(90)
    )
    right = Assessment.objects.get(pk=a.pk).total
    # as if computed under an older framework file: a wrong total and an old fingerprint
    Assessment.objects.filter(pk=a.pk).update(total=Decimal("1.00"), figures_key="ita-2565@0:old")
    assert refresh_stale_figures() == 1
    assert Assessment.objects.get(pk=a.pk).total == right
    assert (
        Assessment.objects.get(pk=b.pk).figures_key == Assessment.objects.get(pk=a.pk).figures_key
    )
    assert refresh_stale_figures() == 0
