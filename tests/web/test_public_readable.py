"""The public page shows the agency's results, measures and progress as text (not only
files), from what was frozen when it was published: a newer unpublished version never shows."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from openita.web.approvals.models import Subject
from openita.web.plans import selectors as plan_selectors
from openita.web.plans import services as plan_services
from openita.web.plans.content import plan_of
from openita.web.publishing import services
from tests.web.conftest import World
from tests.web.test_publishing import _fast_pdf, approve, published  # noqa: F401 (fixture)


def public(world: World) -> str:
    """The public page's text (words are wrapped in spans that keep them whole)."""
    page = Client().get(reverse("publishing:public", args=[world.a.pk])).content.decode()
    return re.sub(r"<(?!table|/table)[^>]+>", "", page)


def test_published_plan_reads_as_text_with_its_results(world: World) -> None:
    publication = published(world)
    content = plan_of(publication.version.content)
    page = public(world)
    for m in content.measures:
        assert m.title in page
    assert "ผลการประเมิน ITA ปีงบประมาณ 2565 ที่แผนนี้ใช้" in page
    assert "90.52" in page  # the example agency's 2565 total


def test_only_the_published_content_shows_not_a_newer_version(world: World) -> None:
    publication = published(world)
    plan = publication.plan
    current = plan_selectors.current_version(plan)
    content = plan_of(current.content)
    first = content.measures[0].model_copy(update={"title": "ชื่อที่ยังไม่ได้อนุมัติ"})
    plan_services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": [first, *content.measures[1:]]}),
        base_version=current.number,
    )
    page = public(world)
    assert "ชื่อที่ยังไม่ได้อนุมัติ" not in page
    assert content.measures[0].title in page


def test_published_progress_report_reads_as_a_table(world: World) -> None:
    publication = published(world)
    plan = publication.plan
    current = plan_selectors.current_version(plan)
    content = plan_of(current.content)
    first = content.measures[0]
    progress = {6: {"status": "in_progress", "percent": 60, "done": "จัดอบรมแล้ว 2 รุ่น"}}
    changed = first.model_copy(update={"progress": progress, "rounds": [6, 12]})
    version = plan_services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": [changed, *content.measures[1:]]}),
        base_version=current.number,
    ).version
    approve(version, world, Subject.PROGRESS_6)
    services.publication_publish(
        plan=plan, version=version, subject=Subject.PROGRESS_6, user=world.users["officer_a"]
    )
    page = public(world)
    assert '<table class="measures progress stack-phone public-progress">' in page
    assert "จัดอบรมแล้ว 2 รุ่น" in page and "อยู่ระหว่างดำเนินการ 60%" in page
