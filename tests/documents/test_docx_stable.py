"""A DOCX downloaded twice is the same bytes (issue 11): fixed member dates and order, no
moment of writing in the core properties, so one SHA-256 matches every copy."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from typing import Any

import docx
import pytest

from openita.documents import docx as docx_writer
from openita.documents.docx import render_docx
from openita.documents.docx_stable import FIXED_DATE, stable_docx
from tests.documents.test_docx import full_document


class _Clock:
    """``datetime`` as docx.py uses it, with a chosen ``now``."""

    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    @classmethod
    def now(cls, tz: Any = None) -> dt.datetime:
        return cls.moment


def test_the_same_document_gives_the_same_bytes_at_another_time(monkeypatch: Any) -> None:
    monkeypatch.setattr(docx_writer, "datetime", _Clock)
    document = full_document()
    first = render_docx(document)
    _Clock.moment = dt.datetime(2027, 6, 30, 13, 45, 7, tzinfo=dt.UTC)
    second = render_docx(document)
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml" and names[1] == "_rels/.rels"
        assert names[2:] == sorted(names[2:])
        assert {i.date_time for i in archive.infolist()} == {FIXED_DATE}
        core = archive.read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core
    assert b"2026" not in core and b"2027" not in core
    # Word's reader still opens it, with the title kept.
    assert docx.Document(io.BytesIO(first)).core_properties.title == document.title


def test_stable_docx_keeps_every_part_and_is_idempotent() -> None:
    data = render_docx(full_document())
    again = stable_docx(data)
    assert again == data
    with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(again)) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


@pytest.mark.parametrize("with_time", [True, False])
def test_a_package_from_elsewhere_is_made_stable(with_time: bool) -> None:
    out = io.BytesIO()
    stamp = b'<dcterms:created xsi:type="dcterms:W3CDTF">2026-12-06T09:00:00Z</dcterms:created>'
    core = b"<cp:coreProperties>" + (stamp if with_time else b"") + b"</cp:coreProperties>"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("docProps/core.xml", core)
        archive.writestr("[Content_Types].xml", b"<Types/>")
    stable = stable_docx(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(stable)) as archive:
        assert archive.namelist() == [
            "[Content_Types].xml",
            "docProps/core.xml",
            "word/document.xml",
        ]
        assert archive.read("docProps/core.xml") == b"<cp:coreProperties></cp:coreProperties>"
