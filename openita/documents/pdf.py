"""Document -> PDF: the native renderer by default, Chromium on request.

``render_pdf`` uses the native renderer (``openita.documents.pdfnative``: HarfBuzz shaping,
the PDF written directly, tens of times faster); with ``OPENITA_PDF_ENGINE=chromium``
it prints the HTML preview with Debian's Chromium instead, driven by Playwright (no browser
download). Both keep a correct Thai text layer and embed the Sarabun subset.

For Chromium, one browser serves many documents: use ``PdfPrinter`` as a context manager for
a batch; ``render_pdf`` keeps one browser per thread for the process. ``NativePrinter`` has
the same interface, for code that takes either.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import subprocess
import threading
from functools import cache
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


@cache
def sarabun_installed() -> bool:
    """Whether fontconfig knows Sarabun (scripts/setup.sh installs it for the user)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run(
        [fc_list, "Sarabun:style=Regular", "family"], capture_output=True, text=True, check=False
    )
    return "Sarabun" in found.stdout


class PdfUnavailable(RuntimeError):
    """Chromium cannot be found or started (or ``OPENITA_PDF_ENGINE`` names no engine)."""


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


_local = threading.local()  # Playwright's sync API belongs to the thread that started it


def _driver() -> Any:
    """This thread's Playwright driver, started once and stopped at exit."""
    driver = getattr(_local, "driver", None)
    if driver is None:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        _local.driver = driver
        atexit.register(_stop, driver)
    return driver


def _stop(driver: Any) -> None:
    with contextlib.suppress(Exception):
        driver.stop()


class PdfPrinter:
    """A running headless Chromium that prints HTML pages to PDF."""

    def __init__(self) -> None:
        self._browser: Any = None

    def __enter__(self) -> PdfPrinter:
        from playwright.sync_api import Error

        path = chromium_path()
        try:
            self._browser = _driver().chromium.launch(
                executable_path=path, args=CHROMIUM_FLAGS, headless=True
            )
        except Error as exc:
            raise PdfUnavailable(f"Chromium ({path}) did not start: {exc.message}") from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                self._browser.close()
            self._browser = None

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
        return self.print_html(render_html(doc, fonts="local" if sarabun_installed() else "embed"))


def shared_printer() -> PdfPrinter:
    """This thread's long-lived printer: one Chromium for every document it makes."""
    printer = getattr(_local, "printer", None)
    if printer is None or printer._browser is None or not printer._browser.is_connected():
        printer = PdfPrinter().__enter__()
        _local.printer = printer
        atexit.register(printer.__exit__, None, None, None)
    return printer


class NativePrinter:
    """The native renderer behind ``PdfPrinter``'s interface (nothing to start or stop)."""

    def __enter__(self) -> NativePrinter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def render(self, doc: Document) -> bytes:
        from openita.documents.pdfnative import render_pdf as native

        return native(doc)


ENGINES = ("native", "chromium")


def engine() -> str:
    """The engine ``render_pdf`` uses: ``OPENITA_PDF_ENGINE`` (native or chromium)."""
    name = os.environ.get("OPENITA_PDF_ENGINE", "native").strip().lower() or "native"
    if name not in ENGINES:
        raise PdfUnavailable(f"OPENITA_PDF_ENGINE={name}: use one of {', '.join(ENGINES)}")
    return name


def render_pdf(doc: Document) -> bytes:
    if engine() == "chromium":
        return shared_printer().render(doc)
    return NativePrinter().render(doc)
