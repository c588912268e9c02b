"""The version diff marks the words changed (not whole fields) and covers the progress text
of each round, field by field, in words (never a raw status code)."""

from __future__ import annotations

from django.urls import reverse

from openita.plans.schema import Progress
from openita.text.thai import word_diff, words
from openita.web.plans import selectors, services
from openita.web.plans.content import plan_of
from tests.web.conftest import World
from tests.web.test_plans import drafted
from tests.web.test_views import client_for


def test_words_give_the_text_back_and_the_diff_marks_only_changed_words() -> None:
    text = "จัดทำคู่มือการเปิดเผยข้อมูล ต่อสาธารณะ\nปีละ 2 ครั้ง"
    assert "".join(words(text)) == text
    old, new = word_diff("จัดประชุมชี้แจงเจ้าหน้าที่ทุกคน", "จัดอบรมชี้แจงเจ้าหน้าที่ทุกคน")
    assert "".join(t for t, _ in old) == "จัดประชุมชี้แจงเจ้าหน้าที่ทุกคน"
    assert [t for t, changed in old if changed] == ["ประชุม"]
    assert [t for t, changed in new if changed] == ["อบรม"]
    assert word_diff("", "ใหม่") == ([], [("ใหม่", True)])


def test_diff_page_marks_words_and_shows_progress_text_in_words(world: World) -> None:
    plan = drafted(world)
    first = selectors.current_version(plan)
    content = plan_of(first.content)
    m1 = content.measures[0]
    progress = Progress(status="in_progress", percent=40, done="จัดประชุมชี้แจงแล้ว 1 ครั้ง")
    changed = m1.model_copy(
        update={"title": m1.title + " ทุกไตรมาส", "progress": {**m1.progress, 6: progress}}
    )
    second = services.plan_save(
        plan=plan,
        user=None,
        content=content.model_copy(update={"measures": [changed, *content.measures[1:]]}),
        base_version=1,
    ).version
    fields = {f.name: f for f in selectors.plan_diff(first, second).changed[0].fields}
    assert fields["รอบ 6 เดือน: สถานะ"].after == "อยู่ระหว่างดำเนินการ"
    assert fields["รอบ 6 เดือน: ผลการดำเนินการ"].after == "จัดประชุมชี้แจงแล้ว 1 ครั้ง"
    assert fields["รอบ 6 เดือน: ร้อยละความคืบหน้า"].after == "40%"
    url = reverse("plans:diff", args=[world.a.pk, plan.pk]) + "?a=1&b=2"
    page = client_for(world, "viewer_a").get(url).content.decode()
    assert "<ins>ทุกไตรมาส</ins>" in page or "<ins> ทุกไตรมาส</ins>" in page
    assert f"<ins>{m1.title}" not in page  # the unchanged words are not marked
    assert "รอบ 6 เดือน: ผลการดำเนินการ" in page and "จัดประชุมชี้แจงแล้ว 1 ครั้ง" in page
    assert "in_progress" not in page and "not_started" not in page
