"""Framework look-ups: each YAML text parsed once, with libyaml when PyYAML has it; a look-up
by id answered from an index (no directory listed, no file read) until something it was built
from changes: the local directory setting, a provider's versions, or the files once
FILES_RECHECK_SECONDS have passed (or at once after ``refresh()``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import yaml

from openita import frameworks
from openita.frameworks import loader
from openita.yamlsource import read


class Held:
    """A provider in memory that counts how often it is asked for a text."""

    def __init__(self) -> None:
        self.texts: dict[tuple[str, int], str] = {}
        self.asked = 0

    def versions(self) -> Mapping[str, Mapping[int, str]]:
        found: dict[str, dict[int, str]] = {}
        for (framework_id, version), text in self.texts.items():
            found.setdefault(framework_id, {})[version] = str(hash(text))
        return found

    def text(self, framework_id: str, version: int) -> str | None:
        self.asked += 1
        return self.texts.get((framework_id, version))


def _builtin_text(framework_id: str) -> str:
    return (loader.BUILTIN_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8")


def _with_version(text: str, version: int) -> str:
    data = yaml.safe_load(text)
    data["version"] = version
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def held() -> Iterator[Held]:
    provider = Held()
    loader.register_provider(provider)
    yield provider
    loader.unregister_provider(provider)


def test_read_parses_once_and_gives_what_safe_load_gives() -> None:
    for path in sorted(loader.BUILTIN_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        root, data = read(text)
        assert data == yaml.safe_load(text), path.name
        assert isinstance(root, yaml.MappingNode)
        assert root.start_mark.line == yaml.compose(text, Loader=yaml.SafeLoader).start_mark.line
    assert read("") == (None, None)
    with pytest.raises(yaml.YAMLError):
        read("id: [unclosed\n")


def test_a_framework_text_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text was parsed a second time")

    monkeypatch.setattr(yaml, "load", refuse)
    monkeypatch.setattr(yaml, "compose", refuse)
    monkeypatch.setattr(yaml, "safe_load", refuse)
    assert frameworks.parse(_builtin_text("ita-2566"), "ita-2566.yaml").id == "ita-2566"


def test_a_look_up_by_id_lists_no_directory_once_indexed(monkeypatch: pytest.MonkeyPatch) -> None:
    frameworks.refresh()
    first = frameworks.get("ita-2567")
    assert frameworks.for_year(2567) is first

    def listed(local: Path) -> object:
        raise AssertionError("a directory was listed again")

    monkeypatch.setattr(loader, "_listing", listed)
    monkeypatch.setattr(loader, "load_file", listed)
    for _ in range(3):
        assert frameworks.get("ita-2567") is first
        assert frameworks.for_year(2567) is first
        assert frameworks.default().status == "verified"


def test_a_local_file_is_seen_after_the_recheck_time_or_a_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path))
    assert frameworks.get("ita-2565").version == 1
    (tmp_path / "ita-2565.yaml").write_text(
        _with_version(_builtin_text("ita-2565"), 7), encoding="utf-8"
    )
    monkeypatch.setattr(loader, "FILES_RECHECK_SECONDS", 0.0)
    assert frameworks.get("ita-2565").version == 7  # rechecked: the local file replaces it
    monkeypatch.setattr(loader, "FILES_RECHECK_SECONDS", 3600.0)
    (tmp_path / "ita-2565.yaml").unlink()
    assert frameworks.get("ita-2565").version == 7  # not looked at yet
    frameworks.refresh()
    assert frameworks.get("ita-2565").version == 1


def test_a_new_directory_setting_is_seen_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "FILES_RECHECK_SECONDS", 3600.0)
    assert frameworks.get("ita-2565").version == 1
    (tmp_path / "ita-2565.yaml").write_text(
        _with_version(_builtin_text("ita-2565"), 4), encoding="utf-8"
    )
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path))
    assert frameworks.get("ita-2565").version == 4


def test_a_version_stored_by_a_provider_is_seen_by_the_next_look_up(
    held: Held, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "FILES_RECHECK_SECONDS", 3600.0)
    text = _builtin_text("ita-2566")
    assert frameworks.get("ita-2566").version == 1
    held.texts[("ita-2566", 2)] = _with_version(text, 2)
    assert frameworks.get("ita-2566").version == 2
    assert frameworks.for_year(2566) == frameworks.get("ita-2566")
    for _ in range(5):
        frameworks.get("ita-2566")
    assert held.asked == 1  # parsed once; later look-ups come from the index
    held.texts[("ita-2566", 3)] = _with_version(text, 3)
    assert frameworks.get("ita-2566").version == 3
    assert frameworks.get("ita-2566@2").version == 2
    del held.texts[("ita-2566", 3)], held.texts[("ita-2566", 2)]
    assert frameworks.get("ita-2566").version == 1  # back to the file
