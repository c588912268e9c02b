"""The frameworks that ship: they validate and hold what the methodology says."""

from __future__ import annotations

import pytest

from openita import frameworks

# id -> (fiscal years, OIT items, status)
BUILTIN = {
    "ita-2565": ((2563, 2564, 2565), 43, "verified"),
    "ita-2566": ((2566,), 43, "provisional"),
    "ita-2567": ((2567,), 43, "provisional"),
    "ita-2568": ((2568,), 26, "provisional"),
    "ita-2569": ((2569,), 26, "provisional"),
    "ita-2570": ((2570,), 26, "provisional"),
}


@pytest.mark.parametrize("ref", BUILTIN)
def test_builtin_validates(ref):
    years, oit, status = BUILTIN[ref]
    path = frameworks.available()[ref]
    fw = frameworks.load_file(path)
    assert fw.id == ref
    assert fw.fiscal_years == years and fw.status == status
    assert sum(t.weight for t in fw.tools) == 100
    assert [len(t.items) for t in fw.tools] == [30, 15, oit]
    assert [i.code for i in fw.indicators] == [f"ind{n}" for n in range(1, 11)]
    assert [i.code for i in fw.tool("OIT").items] != []
    assert sorted(int(i.code[1:]) for i in fw.tool("OIT").items) == list(range(1, oit + 1))


def test_every_fiscal_year_2563_to_2570_has_one_framework():
    assert set(frameworks.available()) == set(BUILTIN)
    for year in range(2563, 2571):
        owners = [ref for ref, (years, _, _) in BUILTIN.items() if year in years]
        assert len(owners) == 1, year
        assert frameworks.for_year(year).id == owners[0]


@pytest.mark.parametrize("ref", BUILTIN)
def test_files_are_real_utf8_thai(ref):
    text = frameworks.available()[ref].read_text(encoding="utf-8")
    assert "การปฏิบัติหน้าที่" in text
    assert "\\u0e" not in text.lower()  # no escaped Thai


def test_statuses():
    assert frameworks.default().id == "ita-2565"
    assert frameworks.get("ita-2566").qualitative_rating is None
    for ref in ("ita-2567", "ita-2568", "ita-2569", "ita-2570"):
        assert frameworks.get(ref).qualitative_rating is not None, ref


def test_ita_2565_texts_and_scales(fw2565):
    i1 = fw2565.item("i1")
    assert i1 is not None and len(i1.sub_items) == 2 and i1.scale == "rating4"
    i11 = fw2565.item("i11")
    assert i11 is not None and [i11.sub_item_reversed(n) for n in (0, 1)] == [False, True]
    assert fw2565.item("o42").text == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert fw2565.item("e3").reversed is True
    assert fw2565.scale("rating4").points(3) == 100


def test_ita_2566_renumbered_oit():
    fw = frameworks.get("ita-2566")
    assert "ข้อมูลส่วนบุคคล" in fw.item("o10").text
    assert fw.item("o42").text == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert fw.provisional_notes


def test_for_year():
    assert frameworks.for_year(2564).id == "ita-2565"
    assert frameworks.for_year(2567).id == "ita-2567"
    assert frameworks.for_year(2568).id == "ita-2568"
    assert frameworks.for_year(2599) is None


def test_local_framework_replaces_builtin(tmp_path, monkeypatch):
    text = frameworks.available()["ita-2565"].read_text(encoding="utf-8")
    (tmp_path / "ita-2565.yaml").write_text(
        text.replace("version: 1", "version: 2"), encoding="utf-8"
    )
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path))
    assert frameworks.get("ita-2565").version == 2


def test_unknown_framework():
    with pytest.raises(frameworks.FrameworkNotFound, match="unknown framework 'ita-1999'"):
        frameworks.get("ita-1999")
