"""The analysis document's section on whether the measures worked, from plain data."""

from __future__ import annotations

from openita.documents.kinds.common import Fmt
from openita.documents.kinds.measures_effect import EffectRow, MeasuresEffect, section
from openita.documents.model import BulletList, Heading, Table


def effect(**changes: object) -> MeasuresEffect:
    data: dict[str, object] = {
        "plan_year": 2566,
        "before_year": 2565,
        "after_year": 2566,
        "rows": (EffectRow("o12", "แผนปฏิบัติการป้องกันการทุจริต", 0.0, 100.0),),
        "untargeted_mean": 1.5,
        "untargeted_n": 40,
    }
    return MeasuresEffect(**{**data, **changes})  # type: ignore[arg-type]


def test_no_data_no_section() -> None:
    assert section(None, Fmt()) == []
    assert section(effect(rows=()), Fmt()) == []


def test_section_heading_table_and_comparison() -> None:
    blocks = section(effect(missing=("o9",)), Fmt(thai_digits=True), number=6)
    assert isinstance(blocks[0], Heading) and blocks[0].text == "๖. มาตรการที่ได้ผล"
    table = next(b for b in blocks if isinstance(b, Table))
    assert [c.title for c in table.columns][2:4] == ["ปี ๒๕๖๕", "ปี ๒๕๖๖"]
    notes = next(b for b in blocks if isinstance(b, BulletList))
    words = ["".join(r.text for r in item) for item in notes.items]
    assert words[0].endswith("+๑๐๐.๐๐ คะแนน")
    assert "(๔๐ ข้อ)" in words[1] and "+๑.๕๐" in words[1]
    assert words[2].endswith("o9")
