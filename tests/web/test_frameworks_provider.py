"""The loader's provider hook, with a provider in memory (no database): which version an id
resolves to, ``ID@VERSION``, listing, and parsing each version once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest
import yaml

from openita import frameworks
from openita.frameworks import loader


class InMemory:
    def __init__(self, texts: dict[tuple[str, int], str]) -> None:
        self.texts = texts
        self.asked: list[tuple[str, int]] = []

    def versions(self) -> Mapping[str, Mapping[int, str]]:
        found: dict[str, dict[int, str]] = {}
        for (framework_id, version), text in self.texts.items():
            found.setdefault(framework_id, {})[version] = str(hash(text))
        return found

    def text(self, framework_id: str, version: int) -> str | None:
        self.asked.append((framework_id, version))
        return self.texts.get((framework_id, version))


def variant(
    framework_id: str, version: int, *, new_id: str | None = None, pass_mark: int = 85
) -> str:
    where = frameworks.available()[framework_id]
    data = yaml.safe_load(open(where, encoding="utf-8").read())  # noqa: SIM115
    data.update(version=version, pass_mark=pass_mark)
    if new_id:
        data.update(id=new_id, fiscal_years=[2598])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def provider() -> Iterator[InMemory]:
    builtin = frameworks.get("ita-2565").version
    held = InMemory(
        {
            ("ita-2565", builtin): variant("ita-2565", builtin, pass_mark=80),  # a tie
            ("ita-2565", builtin + 3): variant("ita-2565", builtin + 3, pass_mark=70),
            ("ita-2598", 1): variant("ita-2565", 1, new_id="ita-2598"),
        }
    )
    loader.register_provider(held)
    yield held
    loader.unregister_provider(held)


def test_an_id_resolves_to_its_highest_version(provider: InMemory) -> None:
    builtin_version = loader.load_file(loader.BUILTIN_DIR / "ita-2565.yaml").version
    assert frameworks.get("ita-2565").version == builtin_version + 3
    assert frameworks.get("ita-2565").pass_mark == 70
    assert frameworks.get(f"ita-2565@{builtin_version}").pass_mark == 80  # a tie: provided
    assert frameworks.for_year(2565) == frameworks.get("ita-2565")
    on_file = loader.load_file(loader.BUILTIN_DIR / "ita-2566.yaml")
    assert frameworks.get(f"ita-2566@{on_file.version}") == on_file  # the file's version
    assert frameworks.get("ita-2598").fiscal_years == (2598,)
    assert frameworks.for_year(2598) == frameworks.get("ita-2598")
    assert frameworks.available()["ita-2598"] == "ita-2598"
    assert frameworks.available()["ita-2565"] == loader.BUILTIN_DIR / "ita-2565.yaml"


def test_each_version_is_parsed_once(provider: InMemory) -> None:
    for _ in range(5):
        frameworks.get("ita-2565")
        frameworks.for_year(2598)
    assert sorted(set(provider.asked)) == sorted(provider.asked)


def test_unknown_versions_are_refused_clearly(provider: InMemory) -> None:
    with pytest.raises(frameworks.FrameworkNotFound, match="version 42 of framework 'ita-2565'"):
        frameworks.get("ita-2565@42")
    with pytest.raises(frameworks.FrameworkNotFound, match="must be a number"):
        frameworks.get("ita-2565@latest")
    with pytest.raises(frameworks.FrameworkNotFound, match="ita-2598"):  # listed as known
        frameworks.get("ita-1999")


def test_without_a_provider_nothing_changes() -> None:
    assert loader.providers() == ()  # tests see the files only (tests/conftest.py)
    assert "ita-2598" not in frameworks.available()
    assert frameworks.get("ita-2565") == loader.load_file(loader.BUILTIN_DIR / "ita-2565.yaml")
