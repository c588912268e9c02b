from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from openita.documents import pdf
from openita.documents.kinds import analysis as analysis_doc
from openita.engine import analyze
from openita.importers import load_result
from openita.plans import load_plan
from tests.conftest import EXAMPLES

AGENCY = "เทศบาลตำบลบ้านส้อง"


def _have_chromium() -> bool:
    try:
        pdf.chromium_path()
    except pdf.PdfUnavailable:
        return False
    return True


def _have_pdf_tools() -> bool:
    return shutil.which("pdftotext") is not None


needs_pdf = pytest.mark.skipif(
    not _have_pdf_tools() and not os.environ.get("CI"),
    reason="pdftotext missing: run scripts/setup.sh as root",
)


def pdf_text(data: bytes, tmp_path: Path, *, raw: bool = True) -> str:
    """The PDF's text layer; ``raw`` keeps content order, so a table cell's lines stay
    together (the default reading order interleaves neighbouring cells)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-raw"] if raw else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    """NFKC, whitespace and zero-width spaces (the DOCX's word breaks) removed: how the tests
    compare extracted text."""
    return "".join(
        unicodedata.normalize("NFKC", text).replace("\u200b", "").replace("\u2060", "").split()
    )


def plain(item: object) -> str:
    """A python-docx paragraph's or cell's text without the zero-width spaces that mark
    where a line may break between Thai words."""
    return str(getattr(item, "text", "")).replace("\u200b", "").replace("\u2060", "")


@pytest.fixture(scope="session")
def seed_analysis():
    result = load_result([EXAMPLES / "bansong-2565.csv"])
    past = [load_result([EXAMPLES / f"bansong-{y}.csv"]) for y in (2563, 2564)]
    return analyze(result, past)


@pytest.fixture(scope="session")
def analysis_document(seed_analysis):
    return analysis_doc.build(seed_analysis, agency=AGENCY)


@pytest.fixture(scope="session")
def example_plan():
    return load_plan(EXAMPLES / "bansong-plan-2566.yaml")


@pytest.fixture(scope="session", params=["native", "chromium"])
def printer(request):
    """Each PDF test runs with both engines: the native renderer and Chromium."""
    if not _have_pdf_tools():
        pytest.skip("pdftotext missing: run scripts/setup.sh as root")
    if request.param == "native":
        with pdf.NativePrinter() as p:
            yield p
        return
    if not _have_chromium():
        pytest.skip("Chromium missing: run scripts/setup.sh as root")
    with pdf.PdfPrinter() as p:
        yield p
