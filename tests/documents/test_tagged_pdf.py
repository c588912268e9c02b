"""The native PDF is tagged: a structure tree (Document, H1-H3, P, L, Table/TR/TH/TD, Figure
with its alternate text, Caption), marked content by MCID, artifacts for page numbers, rules
and repeated headers; read back with pypdf and MuPDF."""

from __future__ import annotations

import io
import re
import zlib

import pymupdf
import pypdf
import pytest
from pypdf.generic import ArrayObject, DictionaryObject

from openita.documents import model as m
from openita.documents.kinds import analysis as analysis_doc
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.pdfnative import render_pdf
from tests.conftest import EXAMPLES
from tests.documents.conftest import AGENCY, squash


def _marked_texts(reader: pypdf.PdfReader) -> list[dict[int, str]]:
    """Per page, the text shown in each marked-content sequence with an MCID (an artifact's
    text belongs to none)."""
    return [_page_marks(page) for page in reader.pages]


def _page_marks(page: pypdf.PageObject) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    stack: list[int | None] = []

    def before(op: bytes, args: list[object], cm: object, tm: object) -> None:
        if op in (b"BDC", b"BMC"):
            props = args[1] if op == b"BDC" else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            if args[0] == "/Artifact":
                stack.append(None)
            elif mcid is not None:
                stack.append(int(mcid))
            else:  # a span inside (ActualText): still the outer sequence's text
                stack.append(stack[-1] if stack else None)
        elif op == b"EMC":
            stack.pop()

    def text(t: str, *_: object) -> None:
        if stack and stack[-1] is not None and t:
            texts.setdefault(stack[-1], []).append(t)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    assert stack == [], "marked content is balanced"
    return {k: "".join(v) for k, v in texts.items()}


def elements(data: bytes) -> list[tuple[str, str, str | None]]:
    """The structure tree's elements in reading order: (role, text, alternate text)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page_of = {p.indirect_reference.idnum: k for k, p in enumerate(reader.pages)}
    texts = _marked_texts(reader)
    found: list[tuple[str, str, str | None]] = []

    def walk(node: DictionaryObject, page: int | None) -> str:
        if "/Pg" in node:
            page = page_of[node.raw_get("/Pg").idnum]
        kids = node["/K"]
        parts = []
        at = len(found)
        found.append((str(node["/S"]), "", None))
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            o = kid.get_object()
            if isinstance(o, DictionaryObject) and o.get("/Type") == "/MCR":
                parts.append(texts[page_of[o.raw_get("/Pg").idnum]].get(int(o["/MCID"]), ""))
            elif isinstance(o, DictionaryObject):
                parts.append(walk(o, page))
            else:
                assert page is not None
                parts.append(texts[page].get(int(o), ""))
        text = "".join(parts)
        alt = node.get("/Alt")
        found[at] = (str(node["/S"]), text, str(alt) if alt is not None else None)
        return text

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"]["/K"].get_object(), None)
    return found


@pytest.fixture(scope="module")
def documents(example_plan, seed_analysis) -> dict[str, m.Document]:
    return {
        "analysis": analysis_doc.build(seed_analysis, agency=AGENCY),
        "plan": plan_doc.build(example_plan),
        "progress": progress_doc.build(example_plan, 6),
        "memo": memo_doc.build(example_plan, 6, base=EXAMPLES),
    }


@pytest.mark.parametrize("kind", ["analysis", "plan", "progress", "memo"])
def test_every_kind_is_tagged_with_its_headings_tables_and_figures(documents, kind):
    doc = documents[kind]
    data = render_pdf(doc)
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert catalog["/Lang"] == "th-TH"
    assert [int(p["/StructParents"]) for p in reader.pages] == list(range(len(reader.pages)))
    found = elements(data)
    assert found[0][0] == "/Document"
    headings = [b.text for b in doc.blocks if isinstance(b, m.Heading)]
    tagged = [text for role, text, _ in found if re.fullmatch(r"/H[1-6]", role)]
    assert [squash(t) for t in tagged] == [squash(h) for h in headings]
    roles = [role for role, _, _ in found]
    tables = [b for b in doc.blocks if isinstance(b, m.Table)]
    assert roles.count("/Table") == len(tables)
    assert roles.count("/TR") == sum(len(t.rows) + 1 for t in tables)  # a split row is one TR
    assert roles.count("/TH") == sum(len(t.columns) for t in tables)
    headers = [squash(text) for role, text, _ in found if role == "/TH"]
    assert headers == [squash(c.title) for t in tables for c in t.columns]
    figures = [b for b in doc.blocks if isinstance(b, m.Figure)]
    alts = [alt for role, _, alt in found if role == "/Figure"]
    emblem = (
        ["ตราครุฑ"]
        if kind == "memo" and any(isinstance(b, m.MemoHead) and b.emblem_png for b in doc.blocks)
        else []
    )
    assert alts == emblem + [f.alt or f.caption for f in figures]
    # page numbers are artifacts: no element reads "- 2 -"
    assert not any(re.fullmatch(r"-\s*\d+\s*-", text.strip()) for _, text, _ in found)
    # every text of the page is in some element: the paragraphs' words come back
    words = squash("".join(text for role, text, _ in found if role == "/P"))
    for block in doc.blocks:
        if isinstance(block, m.Paragraph):
            assert squash("".join(r.text for r in block.content)) in words


def test_mupdf_finds_the_structure_tree_and_the_marks(documents):
    data = render_pdf(documents["progress"])
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        catalog = opened.pdf_catalog()
        assert opened.xref_get_key(catalog, "StructTreeRoot")[0] == "xref"
        assert opened.xref_get_key(catalog, "MarkInfo/Marked") == ("bool", "true")
        contents = [page.read_contents() for page in opened]
        assert all(b"<</MCID 0>> BDC" in c for c in contents)  # (pypdf checks the balance)
        assert all(b"/TD <</MCID" in c for c in contents[1:-1])  # the table's pages
        text = "".join(page.get_text() for page in opened)
    assert "ผลการประเมินแบบวัด IIT" in text  # the text layer is as before


def test_a_row_split_between_pages_is_one_row_with_its_cells_on_both(tmp_path):
    long = " ".join(["ขั้นตอนการดำเนินงานตามมาตรการส่งเสริมคุณธรรม"] * 60)
    table = m.Table(
        (m.Column("มาตรการ", 30), m.Column("วิธีดำเนินการ", 70)),
        ((m.cell("มาตรการที่ 1"), m.cell(long)),),
    )
    doc = m.Document("progress", "ทดสอบ", AGENCY, 2566, (table,))
    data = render_pdf(doc)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    found = elements(data)
    assert [role for role, _, _ in found].count("/TR") == 2  # the header and the one row
    cells = [text for role, text, _ in found if role == "/TD"]
    assert squash(cells[1]).count(squash("ขั้นตอนการดำเนินงาน")) == 60  # from both pages
    # the header repeated on page 2 is an artifact, not a second header row
    assert [role for role, _, _ in found].count("/TH") == 2
    second = zlib.decompress(_raw_contents(reader.pages[1]))
    assert b"/Artifact BMC" in second


def _raw_contents(page: pypdf.PageObject) -> bytes:
    stream = page["/Contents"].get_object()
    return bytes(stream._data)
