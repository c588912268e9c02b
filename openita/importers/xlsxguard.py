"""Refuse an Office file (XLSX, DOCX) that would expand to too much before it is unpacked.

An XLSX or DOCX is a zip archive. A small upload can inflate to hundreds of megabytes (a "zip
bomb"), or an XLSX can declare millions of cells, and the reader would then hold it all in
memory. ``check_xlsx`` and ``check_ooxml`` look only at the archive's central directory (the
list of members with their declared sizes, which Python's zip reader never reads past) and, for
a workbook, at the first few kilobytes of each sheet, where its ``<dimension ref="A1:D120">``
says how many cells it has. Nothing is decompressed beyond that, so memory stays flat whatever
the archive claims to hold.

Every reader of an uploaded XLSX calls ``check_xlsx`` first (the score importer
``openita.importers.scores`` and through it the web's score uploads); the evidence upload calls
``check_ooxml`` for XLSX and DOCX it keeps. Problems are raised as ``ArchiveRefused`` with an
English message of a fixed shape (the web shows it in Thai, ``results/messages.py``).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

# Generous for any real score file or evidence document, small for a server's memory.
MAX_UNCOMPRESSED = 100 * 2**20  # bytes, all members together
MAX_MEMBERS = 5_000
MAX_RATIO = 200  # uncompressed / compressed, per member over 1 MB (XML is ~10-30)
MAX_CELLS = 1_000_000  # per workbook, from the sheets' declared dimensions
DIMENSION_WINDOW = 64 * 1024  # how much of a sheet is read to find <dimension>

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")


class ArchiveRefused(ValueError):
    """The archive is refused before it is unpacked; ``message`` says why, with the figures."""


@dataclass(frozen=True)
class ArchiveSize:
    members: int
    uncompressed: int
    cells: int | None  # workbooks only


def _megabytes(n: int) -> str:
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MB"


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _infos(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive and its directory; not a zip at all raises ``zipfile.BadZipFile`` as the
    reader would (the caller says the file is not a workbook)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, archive.infolist()


def _check_directory(infos: list[zipfile.ZipInfo], max_uncompressed: int) -> int:
    if len(infos) > MAX_MEMBERS:
        raise ArchiveRefused(f"holds {len(infos)} files, over the limit of {MAX_MEMBERS}")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise ArchiveRefused(
            f"expands to {_megabytes(total)} when unpacked, "
            f"over the limit of {_megabytes(max_uncompressed)}"
        )
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveRefused(
                f"expands to {_megabytes(total)} when unpacked, "
                f"{info.file_size // max(info.compress_size, 1)} times its packed size "
                f"(over {MAX_RATIO} times is refused)"
            )
    return total


def check_ooxml(data: bytes, *, max_uncompressed: int = MAX_UNCOMPRESSED) -> ArchiveSize:
    """Refuse an archive with too many members, too much unpacked or an extreme ratio."""
    archive, infos = _infos(data)
    with archive:
        total = _check_directory(infos, max_uncompressed)
    return ArchiveSize(len(infos), total, None)


def _declared_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The cells a sheet declares (``<dimension>``), reading at most DIMENSION_WINDOW bytes."""
    with archive.open(info) as member:
        head = member.read(DIMENSION_WINDOW)
    found = _DIMENSION.search(head)
    if found is None:
        return 0
    first_col, first_row, last_col, last_row = found.groups()
    if last_col is None:
        return 1
    rows = int(last_row) - int(first_row) + 1
    cols = _column(last_col) - _column(first_col) + 1
    return max(rows, 0) * max(cols, 0)


def check_xlsx(
    data: bytes, *, max_uncompressed: int = MAX_UNCOMPRESSED, max_cells: int = MAX_CELLS
) -> ArchiveSize:
    """``check_ooxml``, then refuse a workbook whose sheets declare more than ``max_cells``."""
    archive, infos = _infos(data)
    with archive:
        total = _check_directory(infos, max_uncompressed)
        cells = 0
        for info in infos:
            if _SHEET.match(info.filename):
                cells += _declared_cells(archive, info)
        if cells > max_cells:
            raise ArchiveRefused(f"declares {cells} cells, over the limit of {max_cells}")
    return ArchiveSize(len(infos), total, cells)
