"""The catalog of recommended measures: built-in data, coverage, validation and local files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import frameworks, measures
from openita.measures.catalog import BUILTIN_DIR

THAI = re.compile("[\u0e00-\u0e7f]")
BUILTIN_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))
BASE_2566 = (BUILTIN_DIR / "ita-2566.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _local_catalog_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Tests see the built-in catalogs only, unless they write into this directory."""
    local = tmp_path / "local-catalog"
    local.mkdir()
    monkeypatch.setenv("OPENITA_CATALOG_DIR", str(local))
    yield local


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _messages(text: str) -> list[str]:
    with pytest.raises(measures.CatalogInvalid) as info:
        measures.parse_catalog(text, "x.yaml")
    return info.value.messages


# Built-in data


def test_both_builtin_catalogs_are_there() -> None:
    assert [p.stem for p in BUILTIN_FILES] == ["ita-2565", "ita-2566", "ita-2568", "ita-2569"]


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_builtin_catalog_loads(path: Path) -> None:
    catalog = measures.load_catalog(path)
    assert catalog.id == path.stem
    assert catalog.sources
    assert len(catalog.entries) >= 40


@pytest.mark.parametrize(
    ("framework_id", "catalog_id", "items"),
    [
        ("ita-2565", "ita-2565", 88),
        ("ita-2566", "ita-2566", 88),
        ("ita-2567", "ita-2566", 88),
        ("ita-2568", "ita-2568", 71),
        ("ita-2569", "ita-2569", 71),
        ("ita-2570", "ita-2569", 71),
    ],
)
def test_every_item_is_covered(framework_id: str, catalog_id: str, items: int) -> None:
    framework = frameworks.get(framework_id)
    catalog = measures.catalog_for(framework)
    assert catalog.id == catalog_id
    assert measures.check_coverage(catalog, framework) == []
    assert len(framework.items) == items
    for item in framework.items:
        assert catalog.for_code(item.code), item.code


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_every_measure_is_complete(path: Path) -> None:
    catalog = measures.load_catalog(path)
    for entry in catalog.entries:
        assert THAI.search(entry.direction), entry.direction
        for measure in entry.measures:
            assert THAI.search(measure.title), measure.title
            assert 2 <= len(measure.steps) <= 4, measure.title
            assert all(THAI.search(step) for step in measure.steps), measure.title
            assert measure.unit in measures.KNOWN_UNITS, measure.unit
            assert 1 <= measure.deadline_month <= 12
            assert measure.rounds
            assert set(measure.rounds) <= {6, 12}


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_thai_is_real_utf8(path: Path) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert "\\u" not in text and "\\x" not in text
    assert "มาตรการ" in text
    assert len(THAI.findall(text)) > 10_000


def test_ita_2567_shares_the_2566_catalog() -> None:
    catalog = measures.catalog_for(frameworks.get("ita-2567"))
    assert catalog.applies_to == ("ita-2566", "ita-2567")


def test_26_item_catalogs_follow_the_item_mapping() -> None:
    """The FY2568/FY2569 catalogs carry the FY2566 entries through the reviewed mappings: the
    integrity-measures entry of o42/o43 serves the plan items o25/o26."""
    fy2568 = measures.catalog_for(frameworks.get("ita-2568"))
    fy2569 = measures.catalog_for(frameworks.get("ita-2569"))
    plan_title = "การจัดทำและขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    for catalog in (fy2568, fy2569):
        for code in ("o25", "o26"):
            titles = [m.title for e in catalog.for_code(code) for m in e.measures]
            assert plan_title in titles, (catalog.id, code)
    assert "ข้อมูลส่วนบุคคล" not in " ".join(e.direction for e in fy2568.for_code("o10"))
    assert any("ตรวจสอบชื่อข้อ" in e.direction for e in fy2569.for_code("o7"))  # title unknown


def test_for_code_follows_the_numbering() -> None:
    fy2565 = measures.catalog_for(frameworks.get("ita-2565"))
    fy2566 = measures.catalog_for(frameworks.get("ita-2566"))
    assert "แผนดำเนินงาน" in fy2565.for_code("o10")[0].direction
    assert "ข้อมูลส่วนบุคคล" in fy2566.for_code("o10")[0].direction
    assert fy2566.for_code("e3")[0].items == ("e3", "e9")
    assert fy2566.for_code("ind9")[0].indicators == ("ind9", "ind10")
    assert fy2566.for_code("o99") == ()


def test_catalog_is_frozen() -> None:
    catalog = measures.catalog_for(frameworks.get("ita-2566"))
    with pytest.raises(ValueError, match="frozen"):
        catalog.entries[0].measures[0].deadline_month = 7  # type: ignore[misc]


# Validation of a broken catalog

BROKEN = [
    # (name, old, new, expected message part, line anchor in the new text)
    (
        "unknown key",
        "  direction: ส่งเสริมให้บุคลากรมุ่งผลสำเร็จ",
        "  colour: red\n  direction: ส่งเสริมให้บุคลากรมุ่งผลสำเร็จ",
        "colour: Extra inputs are not permitted",
        "colour: red",
    ),
    (
        "deadline 13",
        "    deadline_month: 3\n",
        "    deadline_month: 13\n",
        "deadline_month: Input should be less than or equal to 12 (got 13)",
        "deadline_month: 13",
    ),
    (
        "bad round",
        "    rounds: [6, 12]\n",
        "    rounds: [6, 9]\n",
        "rounds.1: Input should be 6 or 12",
        "rounds: [6, 9]",
    ),
    (
        "malformed code",
        "- items: [i3]\n",
        "- items: [i-3]\n",
        "items: 'i-3' is not an item code",
        "- items: [i-3]",
    ),
    (
        "no codes",
        "- items: [i3]\n",
        "- items: []\n",
        "an entry must name at least one item or indicator",
        "- items: []",
    ),
    (
        "code twice",
        "- items: [i3]\n",
        "- items: [i3, i3]\n",
        "items: 'i3' is named twice",
        "- items: [i3, i3]",
    ),
    (
        "duplicate key",
        "version: 1\n",
        "version: 1\nversion: 2\n",
        "key 'version' appears twice",
        "version: 2",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected", "anchor"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_catalog_names_file_line_and_problem(
    old: str, new: str, expected: str, anchor: str
) -> None:
    assert old in BASE_2566
    text = BASE_2566.replace(old, new, 1)
    messages = _messages(text)
    line = _line_of(text, anchor)
    assert any(m.startswith(f"x.yaml:{line}: ") and expected in m for m in messages), messages


def test_every_problem_is_reported_at_once() -> None:
    text = BASE_2566.replace("deadline_month: 3\n", "deadline_month: 13\n").replace(
        "deadline_month: 6\n", "deadline_month: 0\n"
    )
    messages = _messages(text)
    assert len(messages) > 5
    assert any("(got 13)" in m for m in messages) and any("(got 0)" in m for m in messages)


def test_not_yaml_and_empty() -> None:
    assert _messages("id: [unclosed\n")[0].startswith("x.yaml:")
    assert "not valid YAML" in _messages("id: [unclosed\n")[0]
    assert _messages("") == ["x.yaml:1: the file is empty"]


def test_unknown_code_is_reported_against_the_framework() -> None:
    text = BASE_2566.replace("- items: [o42, o43]", "- items: [o42, o43, o44]").replace(
        "- indicators: [ind9, ind10]", "- indicators: [ind9, ind11]"
    )
    catalog = measures.parse_catalog(text, "x.yaml")
    messages = measures.check_coverage(catalog, frameworks.get("ita-2566"))
    assert len(messages) == 2
    assert any("item 'o44' is not in framework ita-2566" in m for m in messages)
    assert any("indicator 'ind11' is not in framework ita-2566" in m for m in messages)
    assert all(m.startswith("entry ") for m in messages)


def test_an_item_code_is_not_an_indicator() -> None:
    text = BASE_2566.replace("- indicators: [ind9, ind10]", "- indicators: [ind9, ind10.2]")
    catalog = measures.parse_catalog(text, "x.yaml")
    assert measures.check_coverage(catalog, frameworks.get("ita-2566")) == []
    text = BASE_2566.replace("- items: [e13]", "- items: [e13, ind9]")
    catalog = measures.parse_catalog(text, "x.yaml")
    messages = measures.check_coverage(catalog, frameworks.get("ita-2566"))
    assert len(messages) == 1 and "item 'ind9'" in messages[0]


def test_uncovered_items_are_reported() -> None:
    text = BASE_2566.replace("- items: [o42, o43]", "- items: [o42]")
    catalog = measures.parse_catalog(text, "x.yaml")
    messages = measures.check_coverage(catalog, frameworks.get("ita-2567"))
    assert messages == [
        "item o43 (OIT) of framework ita-2567 is covered by no entry of catalog ita-2566"
    ]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(measures.CatalogNotFound, match="cannot read"):
        measures.load_catalog(tmp_path / "missing.yaml")
    bad = tmp_path / "cp874.yaml"
    bad.write_bytes("id: ทดสอบ\n".encode("cp874"))
    with pytest.raises(measures.CatalogInvalid, match="not UTF-8"):
        measures.load_catalog(bad)


# Local catalogs


def test_local_file_with_same_id_replaces_builtin(_local_catalog_dir: Path) -> None:
    text = BASE_2566.replace("version: 1\n", "version: 2\n").replace(
        "ส่งเสริมให้บุคลากรมุ่งผลสำเร็จของงาน", "แนวทางของหน่วยงานเอง", 1
    )
    (_local_catalog_dir / "my-measures.yaml").write_text(text, encoding="utf-8")
    for framework_id in ("ita-2566", "ita-2567"):
        catalog = measures.catalog_for(frameworks.get(framework_id))
        assert catalog.version == 2
        assert catalog.for_code("i3")[0].direction.startswith("แนวทางของหน่วยงานเอง")
    assert measures.available_catalogs()["ita-2566"][1] is True
    assert measures.catalog_for(frameworks.get("ita-2565")).id == "ita-2565"


def test_local_catalog_with_new_id_is_preferred(_local_catalog_dir: Path) -> None:
    text = BASE_2566.replace("id: ita-2566\n", "id: bansong-2568\n").replace(
        "applies_to: [ita-2566, ita-2567]", "applies_to: [ita-2568]"
    )
    (_local_catalog_dir / "bansong.yaml").write_text(text, encoding="utf-8")
    assert measures.catalog_for(frameworks.get("ita-2568")).id == "bansong-2568"
    assert measures.catalog_for(frameworks.get("ita-2566")).id == "ita-2566"
    assert set(measures.available_catalogs()) == {
        "ita-2565",
        "ita-2566",
        "ita-2568",
        "ita-2569",
        "bansong-2568",
    }


def test_broken_local_catalog_is_reported(_local_catalog_dir: Path) -> None:
    path = _local_catalog_dir / "broken.yaml"
    path.write_text(BASE_2566.replace("deadline_month: 3\n", "deadline_month: 13\n", 1), "utf-8")
    with pytest.raises(measures.CatalogInvalid) as info:
        measures.catalog_for(frameworks.get("ita-2566"))
    assert info.value.messages[0].startswith(f"{path}:")


def test_default_local_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OPENITA_CATALOG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert measures.local_catalog_dir() == tmp_path / "openita" / "catalog"


def test_no_catalog_for_an_unknown_framework() -> None:
    framework = frameworks.get("ita-2566").model_copy(update={"id": "ita-2599"})
    with pytest.raises(measures.CatalogNotFound, match="ita-2599"):
        measures.catalog_for(framework)
