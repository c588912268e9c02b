"""Safe files (issue 11): an XLSX or DOCX that would inflate is refused before it is unpacked,
with a Thai message, and the server's memory stays flat while it is refused."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openita import frameworks
from openita.importers import xlsxguard
from openita.importers.scores import InputInvalid, read_file
from openita.importers.templates import template_xlsx
from openita.web.evidence.files import FileRefused, check
from openita.web.results.models import Assessment
from tests.web.conftest import World
from tests.web.test_views import client_for

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"></Types>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
    b'/spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData>'
)


def inflating_xlsx(unpacked_mb: int) -> bytes:
    """A small workbook whose one sheet unpacks to ``unpacked_mb`` MB of real cells (rows of
    numbers a reader would keep), written in chunks so the test itself stays small."""
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c></row>'
    chunk = row * (2**20 // len(row))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            for _ in range(unpacked_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def many_cells_xlsx(ref: str) -> bytes:
    """A tiny workbook whose sheet declares ``ref`` as its dimension."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        sheet = SHEET_HEAD.replace(b"A1:B2", ref.encode()) + b"</sheetData></worksheet>"
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return inflating_xlsx(150)


def test_the_guard_reads_only_the_directory(bomb: bytes) -> None:
    assert len(bomb) < 2 * 2**20  # small to send...
    with pytest.raises(xlsxguard.ArchiveRefused) as refused:
        xlsxguard.check_xlsx(bomb)
    assert "expands to 150" in str(refused.value) and "over the limit of 100 MB" in str(
        refused.value
    )
    with pytest.raises(xlsxguard.ArchiveRefused, match="declares 2600000 cells"):
        xlsxguard.check_xlsx(many_cells_xlsx("A1:Z100000"))
    # A real workbook passes, with its cells counted.
    real = template_xlsx(frameworks.get("ita-2565"))
    size = xlsxguard.check_xlsx(real)
    assert size.cells is not None and 0 < size.cells < 10_000
    with pytest.raises(zipfile.BadZipFile):
        xlsxguard.check_xlsx(b"PK\x03\x04 not really a zip")


def test_the_importer_refuses_an_inflating_workbook(bomb: bytes, tmp_path: Path) -> None:
    path = tmp_path / "scores.xlsx"
    path.write_bytes(bomb)
    started = time.perf_counter()
    with pytest.raises(InputInvalid) as refused:
        read_file(path)
    assert time.perf_counter() - started < 2  # refused without unpacking 150 MB
    (problem,) = refused.value.problems
    assert "expands to" in str(problem) and "scores.xlsx" in str(problem)


def test_the_score_upload_refuses_it_in_thai_and_memory_stays_flat(
    world: World, bomb: bytes
) -> None:
    client = client_for(world, "officer_a")
    address = reverse("results:upload", args=[world.a.pk])
    upload = SimpleUploadedFile("คะแนน.xlsx", bomb)
    tracemalloc.start()
    try:
        response = client.post(address, {"fiscal_year": 2565, "framework": "", "file": upload})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    page = response.content.decode()
    assert response.status_code == 400
    assert "เมื่อแตกไฟล์ออกแล้วมีขนาด 150" in page and "เกินขนาดที่รับได้ 100 MB" in page
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MB while refusing a 150 MB workbook"
    assert Assessment.objects.count() == 0


def test_a_workbook_declaring_too_many_cells_is_refused_in_thai(world: World) -> None:
    client = client_for(world, "officer_a")
    upload = SimpleUploadedFile("big.xlsx", many_cells_xlsx("A1:XFD1048576"))
    response = client.post(
        reverse("results:upload", args=[world.a.pk]),
        {"fiscal_year": 2565, "framework": "", "file": upload},
    )
    assert response.status_code == 400
    assert "เซลล์ เกินจำนวนที่รับได้ 1000000 เซลล์" in response.content.decode()


def test_evidence_refuses_an_inflating_office_file(bomb: bytes) -> None:
    with pytest.raises(FileRefused) as refused:
        check("ผลการประชุม.xlsx", bomb)
    assert refused.value.problem.startswith("archive")
    real = template_xlsx(frameworks.get("ita-2565"))
    assert check("แบบฟอร์ม.xlsx", real).size == len(real)
