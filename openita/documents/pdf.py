"""HTML -> PDF with Debian's Chromium, driven by Playwright (no browser download).

Chromium keeps a correct Thai text layer (copy, search and screen readers work) and embeds
the Sarabun subset. One browser serves many documents: use ``PdfPrinter`` as a context
manager for a batch; ``render_pdf`` starts and stops one for a single document.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

from openita.documents.html import render_html
from openita.documents.model import Document

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-first-run",
]
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class PdfUnavailable(RuntimeError):
    """Chromium cannot be found or started."""


def chromium_path() -> str:
    explicit = os.environ.get("OPENITA_CHROMIUM")
    if explicit:
        if Path(explicit).is_file():
            return explicit
        raise PdfUnavailable(f"OPENITA_CHROMIUM={explicit} is not a file")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfUnavailable(
        "making a PDF needs Chromium; run scripts/setup.sh as root (it installs Debian's "
        "chromium) or set OPENITA_CHROMIUM to a Chromium binary"
    )


class PdfPrinter:
    """A running headless Chromium that prints HTML pages to PDF."""

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> PdfPrinter:
        from playwright.sync_api import Error, sync_playwright

        path = chromium_path()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=path, args=CHROMIUM_FLAGS, headless=True
            )
        except Error as exc:
            self._playwright.stop()
            raise PdfUnavailable(f"Chromium ({path}) did not start: {exc.message}") from None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def print_html(self, page_html: str) -> bytes:
        page = self._browser.new_page()
        try:
            page.set_content(page_html, wait_until="load")
            data: bytes = page.pdf(
                prefer_css_page_size=True, print_background=True, tagged=True, outline=True
            )
            return data
        finally:
            page.close()

    def render(self, doc: Document) -> bytes:
        return self.print_html(render_html(doc))


def render_pdf(doc: Document) -> bytes:
    with PdfPrinter() as printer:
        return printer.render(doc)
