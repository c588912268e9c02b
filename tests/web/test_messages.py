"""Problem messages of the engine and importers are shown in Thai on Thai pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from openita.web.results import services
from openita.web.results.messages import RULES, problem_for_page, thai_problem
from tests.web.conftest import World, example_bytes
from tests.web.test_views import client_for

BAD_FILES = {
    "range.csv": "code,score\ni1,120\ni2,abc\ni3,\ni4,90\ni4,91\nzz9,50\n,80\n",
    "year.csv": "fiscal_year,25x5\ncode,score\ni1,90\n",
    "empty.csv": "",
    "nohead.csv": "name,value\nfoo,bar\n",
    "bad.json": "{nope",
    "binary.csv": "\x00\x01\x02\x03" * 10,
}


def problems_of(world: World, name: str, text: str) -> list[str]:
    found = services.assessment_preview(
        agency=world.a,
        fiscal_year=2565,
        framework_id=None,
        uploaded_file=SimpleUploadedFile(name, text.encode("utf-8")),
    )
    assert found.problems, name
    return [p.message for p in found.problems]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_message_a_bad_upload_gives_has_thai(world: World, name: str) -> None:
    for message in problems_of(world, name, BAD_FILES[name]):
        thai = thai_problem(message)
        assert thai != message, f"no Thai for {message!r}"
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai)


def test_the_facts_survive_the_translation(world: World) -> None:
    thai = [thai_problem(m) for m in problems_of(world, "range.csv", BAD_FILES["range.csv"])]
    assert "i1: คะแนน 120 อยู่นอกช่วง 0–100" in thai
    assert "i2: คะแนน 'abc' ไม่ใช่ตัวเลข" in thai
    assert "i3: ไม่มีคะแนน" in thai
    assert any(t.startswith("i4: รหัสซ้ำ (พบครั้งแรกที่ range.csv:") for t in thai), thai


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("unknown code 'x1' in framework ita-2565", "ไม่มีรหัส 'x1' ในหลักเกณฑ์ ita-2565"),
        ("is larger than 20 MB", "มีขนาดเกิน 20 MB"),
        ("the file is for fiscal year 2564, not 2565", "ไฟล์นี้เป็นผลของปีงบประมาณ 2564 ไม่ใช่ 2565"),
        (
            "FY2564: the report claims a total of 85.29 but its figures give 85.27",
            "ปี 2564: รายงานระบุคะแนนรวม 85.29 แต่คะแนนในรายงานคำนวณได้ 85.27",
        ),
        (
            "FY2565: the report claims a IIT score of 93.10 but its figures give 93.09",
            "ปี 2565: รายงานระบุคะแนน IIT 93.10 แต่คะแนนในรายงานคำนวณได้ 93.09",
        ),
        (
            "o5: score 50 is not allowed: OIT items of framework ita-2568 are all-or-nothing, "
            "0 or 100 (100 only when every component is published)",
            "o5: คะแนน 50 ใช้ไม่ได้: ข้อของ OIT ในหลักเกณฑ์ ita-2568 ได้ 0 หรือ 100 เท่านั้น "
            "(100 เมื่อเผยแพร่ครบทุกองค์ประกอบ)",
        ),
        ("something new the table does not know", "something new the table does not know"),
    ],
)
def test_table(message: str, expected: str) -> None:
    assert thai_problem(message) == expected


def test_no_rule_is_shadowed_by_an_earlier_one() -> None:
    patterns = [p.pattern for p, _ in RULES]
    assert len(patterns) == len(set(patterns))


def test_english_pages_keep_the_original() -> None:
    message = "i1: score 120 is outside 0-100"
    with translation.override("en"):
        assert problem_for_page(message) == message
    with translation.override("th"):
        assert problem_for_page(message) == "i1: คะแนน 120 อยู่นอกช่วง 0–100"


def test_the_upload_page_shows_thai_problems(world: World) -> None:
    client = client_for(world, "officer_a")
    bad = example_bytes(2565).replace(b"\ni1,", b"\ni1,1", 1)
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {"fiscal_year": 2565, "file": SimpleUploadedFile("s.csv", bad)},
    )
    assert response.status_code == 400
    assert "อยู่นอกช่วง 0–100" in response.content.decode()


def test_the_engine_all_or_nothing_refusal_has_thai() -> None:
    from openita import engine, frameworks

    fw = frameworks.get("ita-2568")
    given = {"IIT": 90.0, "EIT": 90.0} | {i.code: 100.0 for i in fw.tool("OIT").items}
    with pytest.raises(engine.ScoringError) as info:
        engine.score(fw, given | {"o5": 50.0})
    [problem] = info.value.problems
    assert thai_problem(problem.message).startswith("o5: คะแนน 50 ใช้ไม่ได้: ข้อของ OIT")
