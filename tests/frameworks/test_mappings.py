"""Item mappings between frameworks: validated against both frameworks with file:line,
complete, composable along the years."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from openita import frameworks
from openita.cli.main import cli
from openita.frameworks import mappings

GOOD = """from: ita-2569
to: ita-2570
status: provisional
same_codes: [IIT, EIT]
pairs:
{pairs}
removed: []
added: []
"""


def _text(pairs: list[tuple[str, str]]) -> str:
    lines = "\n".join(f"- old: {a}\n  new: {b}\n  confidence: high" for a, b in pairs)
    return GOOD.format(pairs=lines)


ALL = [(f"o{n}", f"o{n}") for n in range(1, 27)]


def _errors(text: str) -> list[frameworks.FrameworkError]:
    with pytest.raises(frameworks.FrameworkInvalid) as info:
        mappings.parse(text, "m.yaml")
    return info.value.errors


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_builtin_mappings_validate_and_cover_the_years():
    found = mappings.available()
    required = {
        ("ita-2565", "ita-2566"),
        ("ita-2566", "ita-2568"),
        ("ita-2568", "ita-2569"),
        ("ita-2569", "ita-2570"),
    }
    assert required <= set(found)
    for path in found.values():
        mapping = mappings.load_file(path)
        assert mapping.pairs and mapping.same_codes == ("IIT", "EIT")
        assert {p.confidence for p in mapping.pairs} <= {"high", "medium", "low"}


def test_good_mapping():
    mapping = mappings.parse(_text(ALL), "m.yaml")
    assert mapping.new_codes("o25") == ("o25",) and mapping.old_codes("o1") == ("o1",)


@pytest.mark.parametrize(
    ("pairs", "needle", "message"),
    [
        (
            [*ALL[:-1], ("o27", "o26")],
            "old: o27",
            "pairs: unknown item 'o27' in ita-2569 (old)",
        ),
        ([*ALL[:-1], ("o26", "o44")], "new: o44", "pairs: unknown item 'o44' in ita-2570 (new)"),
        ([*ALL[:-1], ("o26", "i1")], "new: i1", "unknown item 'i1' in ita-2570"),  # same_codes
        (
            [*ALL, ("o26", "o26")],
            "- old: o26\n  new: o26\n  confidence: high\n- old: o26",
            "listed twice",
        ),
        (ALL[:-1], "pairs:", "items of ita-2569 in no pair and not under removed: o26"),
    ],
)
def test_mapping_problems_with_their_line(pairs, needle, message):
    text = _text(pairs)
    errors = _errors(text)
    hits = [e for e in errors if message in e.message]
    assert hits, [str(e) for e in errors]
    line = _line(text, needle)
    if needle.startswith("- old: o26\n"):
        line = _line(text, needle) + 3
    assert hits[0].line == line
    assert str(hits[0]).startswith(f"m.yaml:{line}: ")


def test_bad_confidence():
    text = _text(ALL).replace("confidence: high", "confidence: sure", 1)
    [err] = _errors(text)
    assert err.line == _line(text, "confidence: sure")
    assert "pairs.0.confidence: Input should be 'high', 'medium' or 'low'" in err.message


def test_unknown_target_framework():
    text = _text(ALL).replace("to: ita-2570", "to: ita-1999")
    [err] = _errors(text)
    assert err.line == 2 and "framework 'ita-1999' cannot be used" in err.message


def test_item_both_paired_and_removed():
    text = _text(ALL).replace("removed: []", "removed:\n- code: o3")
    [err] = _errors(text)
    assert "removed: item o3 of ita-2569 is also in a pair" in err.message
    assert err.line == _line(text, "- code: o3")


def test_same_codes_must_hold():
    text = (
        _text(ALL)
        .replace("to: ita-2570", "to: ita-2565")
        .replace("same_codes: [IIT, EIT]", "same_codes: [IIT, OIT]")
    )
    messages = " | ".join(e.message for e in _errors(text))
    assert "same_codes: tool OIT does not have the same item codes" in messages


def test_compose_equals_the_direct_file():
    """ita-2566 -> ita-2567 -> ita-2568 gives the reviewed ita-2566 -> ita-2568."""
    files = mappings.available()
    first = mappings.load_file(files[("ita-2566", "ita-2567")])
    second = mappings.load_file(files[("ita-2567", "ita-2568")])
    direct = mappings.load_file(files[("ita-2566", "ita-2568")])
    composed = mappings.compose(first, second)
    assert {(p.old, p.new, p.confidence) for p in composed.pairs} == {
        (p.old, p.new, p.confidence) for p in direct.pairs
    }
    assert composed.removed == direct.removed and composed.added == direct.added
    assert composed.chain == ("ita-2566", "ita-2567", "ita-2568")


def test_compose_mismatched_refused():
    files = mappings.available()
    a = mappings.load_file(files[("ita-2565", "ita-2566")])
    with pytest.raises(ValueError, match="cannot compose"):
        mappings.compose(a, a)


def test_get_walks_the_chain_2565_to_2569():
    mapping = mappings.get("ita-2565", "ita-2569")
    assert mapping.chain == ("ita-2565", "ita-2566", "ita-2568", "ita-2569")
    # the FY2565 plan item reaches the FY2569 items by title (o23) and by role (o25)
    assert set(mapping.new_codes("o42")) == {"o23", "o25"}
    assert mapping.new_codes("o35") == ()  # removed in FY2566
    assert "o35" in mapping.removed
    assert mapping.translate(["o42"], at_least="medium") == {"o42": ("o23",)}
    # a pair is as sure as its least sure step: o42 -> o25 (medium) -> o23 (high) / o25 (low)
    sure = {p.new: p.confidence for p in mapping.pairs_of("o42")}
    assert sure == {"o23": "medium", "o25": "low"}
    assert mappings.carry(mapping, "i5") == ("i5",)  # IIT keeps its codes


def test_get_self_and_missing():
    assert mappings.get("ita-2569", "ita-2569").same_codes == ("IIT", "EIT", "OIT")
    with pytest.raises(mappings.MappingNotFound, match="no item mapping from ita-2570 to ita-2565"):
        mappings.get("ita-2570", "ita-2565")


def test_local_mapping_replaces_builtin(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path))
    (tmp_path / "mappings").mkdir()
    text = _text(ALL)
    (tmp_path / "mappings" / "ita-2569__ita-2570.yaml").write_text(
        text.replace("status: provisional", "status: verified"), encoding="utf-8"
    )
    assert mappings.get("ita-2569", "ita-2570").status == "verified"


def test_cli_mapping_and_validate(tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["frameworks", "mapping", "ita-2565", "ita-2569", "--json"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["chain"] == ["ita-2565", "ita-2566", "ita-2568", "ita-2569"]
    assert {"old": "o39", "new": "o23"} in [
        {"old": p["old"], "new": p["new"]} for p in data["pairs"]
    ]
    bad = tmp_path / "ita-2569__ita-2570.yaml"
    bad.write_text(_text([*ALL[:-1], ("o26", "o44")]), encoding="utf-8")
    out = runner.invoke(cli, ["frameworks", "validate", str(bad)])
    assert out.exit_code == 1
    assert f"{bad}:" in out.stderr and "unknown item 'o44' in ita-2570" in out.stderr
    out = runner.invoke(cli, ["frameworks", "mapping", "ita-2570", "ita-2565"])
    assert out.exit_code == 2 and "no item mapping" in out.stderr
