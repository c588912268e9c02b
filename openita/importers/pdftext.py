"""Text from a PDF, with poppler's ``pdftotext`` (Debian: poppler-utils).

``-layout`` keeps table columns apart (two or more spaces between cells), which the report
reader uses; the plain mode keeps each cell's text whole and is tried when the layout text
gives the reader nothing. A PDF without a text layer (a scan) gives empty text: the reader
then says so and suggests OCR.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TIMEOUT = 120


class PdfTextError(Exception):
    """The PDF cannot be read: encrypted, broken, or no pdftotext on this machine."""


def pdftotext_path() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        raise PdfTextError(
            "pdftotext is not installed (Debian: apt-get install poppler-utils); "
            "or save the report as text and import the .txt file"
        )
    return found


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def pdf_text(path: Path, *, layout: bool = True) -> str:
    """The text of every page; pages are separated by form feeds."""
    args = [pdftotext_path(), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    args += [str(path), "-"]
    try:
        done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PdfTextError(f"{path}: reading the PDF took longer than {TIMEOUT} s") from None
    if done.returncode != 0:
        raise PdfTextError(f"{path}: {_explain(done.stderr.decode('utf-8', 'replace'))}")
    return done.stdout.decode("utf-8", "replace")


def _explain(stderr: str) -> str:
    low = stderr.lower()
    if "password" in low or "encrypt" in low:
        return (
            "the PDF is encrypted (password protected): open it, print or save it without "
            "a password, and import that copy"
        )
    if "permission" in low:
        return "the PDF does not allow copying its text"
    first = next((line for line in stderr.splitlines() if line.strip()), "unknown error")
    return f"not a readable PDF ({first.strip()})"
