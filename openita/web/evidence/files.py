"""Checking an uploaded evidence file: the extension says what it claims to be, the first
bytes (and for DOCX/XLSX the parts inside the zip) must agree, and it must fit the limit.

Pure functions: no database, so they are easy to test and reuse.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from openita.importers import xlsxguard

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200

# extension -> (content type, what the content must be)
KINDS: dict[str, tuple[str, str]] = {
    ".pdf": ("application/pdf", "pdf"),
    ".png": ("image/png", "png"),
    ".jpg": ("image/jpeg", "jpeg"),
    ".jpeg": ("image/jpeg", "jpeg"),
    ".gif": ("image/gif", "gif"),
    ".webp": ("image/webp", "webp"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
ALLOWED = "PDF, PNG, JPG, GIF, WEBP, DOCX, XLSX"
_UNSAFE = re.compile(r"[/\\:*?\"<>|\x00-\x1f\x7f]+")


class FileRefused(Exception):
    """The file cannot be kept; ``problem`` says why (names the file and the limit)."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")


@dataclass(frozen=True)
class Checked:
    name: str  # display name (Thai kept, unsafe characters replaced)
    extension: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def display_name(raw: str) -> str:
    """The name shown: no folders, no characters that file systems or the plan's evidence
    lines refuse, at most 200 characters with the extension kept."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", raw or ""))[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = stem.strip() or "file"
    ext = ext.lower()
    room = MAX_NAME - len(ext) - 1
    return f"{stem[:room].rstrip()}.{ext}" if ext else stem[:MAX_NAME]


def sniff(data: bytes) -> str | None:
    """What the bytes are, from their content alone."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def check(raw_name: str, data: bytes, *, limit: int = MAX_BYTES) -> Checked:
    """The file as it will be kept, or FileRefused naming the file and the rule."""
    name = display_name(raw_name)
    if len(data) > limit:
        raise FileRefused(name, f"size>{limit}")
    if not data:
        raise FileRefused(name, "empty")
    extension = "." + name.rpartition(".")[2] if "." in name else ""
    kind = KINDS.get(extension)
    if kind is None:
        raise FileRefused(name, "type")
    if sniff(data) != kind[1]:
        raise FileRefused(name, "content")
    if kind[1] in ("docx", "xlsx"):  # kept as they are, but refused if they would inflate
        try:
            (xlsxguard.check_xlsx if kind[1] == "xlsx" else xlsxguard.check_ooxml)(data)
        except (xlsxguard.ArchiveRefused, zipfile.BadZipFile) as exc:
            raise FileRefused(name, f"archive: {exc}") from None
    return Checked(name, extension, kind[0], data, hashlib.sha256(data).hexdigest())


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2).pdf``, ``name (3).pdf``… when another file already has it."""
    if name not in taken:
        return name
    stem, _, ext = name.rpartition(".")
    n = 2
    while True:
        candidate = f"{stem[: MAX_NAME - len(ext) - 8]} ({n}).{ext}"
        if candidate not in taken:
            return candidate
        n += 1
