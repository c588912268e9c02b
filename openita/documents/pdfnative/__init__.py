"""A PDF renderer of the document model, without a browser: HarfBuzz shapes, the layout
follows ``html.py``'s stylesheet, and the file is written directly (see
docs/decisions/0004-native-pdf.md)."""

from __future__ import annotations

import gc

from openita.documents.model import Document
from openita.documents.pdfnative.layout import Layout
from openita.documents.pdfnative.writer import Meta, write_pdf


def render_pdf(doc: Document) -> bytes:
    # The renderer makes no reference cycles, and the cyclic collector, triggered by its many
    # small allocations, would walk every object of the process (PyThaiNLP's dictionary,
    # matplotlib, the caches here) again and again: about half the time of a document. It is
    # paused while a document is made and restored after.
    paused = gc.isenabled()
    gc.disable()
    try:
        layout = Layout(doc)
        layout.run()
        meta = Meta(
            title=doc.title,
            author=doc.agency,
            subject=doc.subject,
            keywords=", ".join(doc.keywords),
        )
        return write_pdf(
            layout.pages,
            (layout.width, layout.height),
            layout.glyphs_used(),
            layout.images,
            layout.outline,
            meta,
            layout.structure,
        )
    finally:
        if paused:
            gc.enable()
        _settle()


_settled = False


def _settle() -> None:
    """After the first document, move what the process holds for good (PyThaiNLP's dictionary,
    some half a million objects; the fonts; the libraries) out of the collector's sight, once:
    otherwise every full collection walks it again, which cost a batch of plans about as much
    as the documents themselves (``gc.freeze``; the young generations are collected first)."""
    global _settled
    if not _settled:
        _settled = True
        gc.collect(1)
        gc.freeze()
