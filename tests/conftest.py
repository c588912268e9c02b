from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita import frameworks
from openita.frameworks import loader

EXAMPLES = Path(__file__).resolve().parent.parent / "openita" / "examples"

# The web app adds the framework versions stored in its database (a provider registered when
# Django starts). Tests see the built-in frameworks only, as before; the tests of that feature
# (tests/web/test_frameworks_*.py) register it themselves.
for _provider in loader.providers():
    loader.unregister_provider(_provider)


@pytest.fixture(autouse=True)
def _no_local_frameworks(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Tests see the built-in frameworks only, never a user's local directory."""
    monkeypatch.setenv("OPENITA_FRAMEWORKS_DIR", str(tmp_path_factory.mktemp("local-fw")))
    yield


def read_example(name: str) -> dict[str, float]:
    with (EXAMPLES / name).open(encoding="utf-8") as fh:
        return {
            r["code"]: float(r["score"]) for r in csv.DictReader(fh) if r["code"] != "fiscal_year"
        }


@pytest.fixture(scope="session")
def fw2565() -> frameworks.Framework:
    return frameworks.get("ita-2565")


@pytest.fixture(scope="session")
def seed_items() -> dict[str, float]:
    """Seed 003's published FY2565 item scores (items only)."""
    return {
        k: v
        for k, v in read_example("bansong-2565.csv").items()
        if k[0] in "ieo" and k[1:].isdigit()
    }


def docx_plain(text: str) -> str:
    """Text read from a DOCX without the zero-width spaces (break here) and word joiners
    (no break here) that tell Word and LibreOffice where a Thai line may break."""
    return text.replace("\u200b", "").replace("\u2060", "")
