"""Provinces and regions as data: 77 provinces in six regions, names as people write them."""

from __future__ import annotations

import pytest

from openita import geography


def test_seventy_seven_provinces_in_six_regions() -> None:
    found = geography.provinces()
    assert len(found) == 77
    assert len({p.th for p in found}) == 77
    counts = {r.code: len(geography.in_region(r.code)) for r in geography.regions()}
    assert counts == {"north": 9, "northeast": 20, "central": 22, "east": 7, "west": 5, "south": 14}


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("เชียงใหม่", "เชียงใหม่"),
        ("จังหวัดเชียงใหม่", "เชียงใหม่"),
        ("จ.ขอนแก่น", "ขอนแก่น"),
        ("จ. ขอนแก่น", "ขอนแก่น"),
        ("กรุงเทพฯ", "กรุงเทพมหานคร"),
        ("chiang mai", "เชียงใหม่"),
        ("NAKHON SI THAMMARAT", "นครศรีธรรมราช"),
        ("นครศรีธรรมราช\u200b", "นครศรีธรรมราช"),
        (" อุบลราชธานี ", "อุบลราชธานี"),
    ],
)
def test_province_names_as_people_write_them(written: str, official: str) -> None:
    assert geography.province(written).th == official


def test_unknown_names_are_refused_by_name() -> None:
    assert geography.find("ตัวอย่าง") is None
    assert geography.region_of("ตัวอย่าง") is None
    with pytest.raises(geography.UnknownProvince, match="ตัวอย่าง"):
        geography.province("ตัวอย่าง")
    with pytest.raises(geography.UnknownProvince, match="atlantis"):
        geography.region("atlantis")


def test_region_of_a_province() -> None:
    region = geography.region_of("ภูเก็ต")
    assert region is not None and region.code == "south" and region.th == "ภาคใต้"
