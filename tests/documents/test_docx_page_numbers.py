"""Thai page numbers in DOCX, in Word and in LibreOffice (``Sarabun Thai Digits``)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from openita import frameworks
from openita.documents import docx_fonts
from openita.documents import model as m
from openita.documents.docx import render_docx
from openita.documents.fonts import sarabun_path
from openita.documents.kinds import analysis as analysis_doc
from openita.documents.kinds import memo as memo_doc
from openita.documents.kinds import plan as plan_doc
from openita.documents.kinds import progress as progress_doc
from openita.documents.kinds.oit import oit_checklist
from tests.conftest import EXAMPLES
from tests.documents.conftest import AGENCY

W = docx_fonts.W
THAI = "๐๑๒๓๔๕๖๗๘๙"


def _outline(font: TTFont, glyph: str) -> tuple[list[tuple[int, int]], list[int]]:
    coords, ends, _ = font["glyf"][glyph].getCoordinates(font["glyf"])
    return [tuple(c) for c in coords], list(ends)


def _parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def _two_pages(**kwargs: object) -> m.Document:
    return m.Document(
        "plan",
        "ทดสอบ",
        AGENCY,
        2566,
        (m.Paragraph(m.runs("หน้าหนึ่ง")), m.PageBreak(), m.Paragraph(m.runs("หน้าสอง"))),
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_digits_face_draws_ascii_digits_with_the_thai_digit_glyphs() -> None:
    data = docx_fonts.thai_digits_font()
    assert data == docx_fonts.thai_digits_font.__wrapped__()  # the same bytes each time
    font = TTFont(io.BytesIO(data))
    sarabun = TTFont(sarabun_path())
    cmap, own = font.getBestCmap(), sarabun.getBestCmap()
    for d in range(10):
        thai = _outline(sarabun, own[0x0E50 + d])
        assert _outline(font, cmap[ord(str(d))]) == thai
        assert _outline(font, cmap[0x0E50 + d]) == thai
        assert _outline(sarabun, own[ord(str(d))]) != thai  # Sarabun's own 0-9 differ
    names = {r.nameID: r.toUnicode() for r in font["name"].names}
    assert names[1] == docx_fonts.DIGITS_FAMILY and names[6] == docx_fonts.DIGITS_POSTSCRIPT
    assert "Sarabun Project Authors" in names[0] and "Open Font License" in names[13]
    assert len(data) < 10_000  # digits only, not a second copy of Sarabun


@pytest.mark.parametrize("embed", [True, False])
def test_thai_page_numbers_are_set_in_the_embedded_digits_face(embed: bool) -> None:
    parts = _parts(render_docx(_two_pages(thai_digits=True), embed_sarabun=embed))
    assert "word/fonts/SarabunThaiDigits-regular.odttf" in parts
    assert ("word/fonts/Sarabun-regular.odttf" in parts) is embed
    table = etree.fromstring(parts["word/fontTable.xml"])
    digits = table.xpath(f"w:font[@w:name='{docx_fonts.DIGITS_FAMILY}']", namespaces={"w": W})
    (embedded,) = digits[0].xpath("w:embedRegular", namespaces={"w": W})
    guid = embedded.get(f"{{{W}}}fontKey")
    hidden = parts["word/fonts/SarabunThaiDigits-regular.odttf"]
    assert docx_fonts.obfuscate(hidden, guid) == docx_fonts.thai_digits_font()
    footer = etree.fromstring(parts["word/footer1.xml"])
    field = footer.xpath(
        "//w:r[w:fldChar or w:instrText or following-sibling::w:r[w:fldChar/@w:fldCharType='end']"
        " and preceding-sibling::w:r[w:fldChar/@w:fldCharType='begin']]",
        namespaces={"w": W},
    )
    assert len(field) == 5  # begin, instruction, separate, result, end
    for run in field:
        fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(f"{{{W}}}{slot}") == docx_fonts.DIGITS_FAMILY
    dashes = footer.xpath("//w:r[w:t]/w:rPr/w:rFonts/@w:ascii", namespaces={"w": W})
    assert dashes[0] == "Sarabun"  # "- " and " -" stay in Sarabun


def test_arabic_page_numbers_need_no_digits_face() -> None:
    parts = _parts(render_docx(_two_pages()))
    assert not any("ThaiDigits" in name for name in parts)
    assert docx_fonts.DIGITS_FAMILY.encode() not in parts["word/footer1.xml"]


def test_a_template_with_fonts_of_its_own_gets_the_digits_face_too() -> None:
    # Sarabun embedded, no page numbers of its own: a letterhead "with fonts"
    letterhead = render_docx(_two_pages(page_numbers=False))
    parts = _parts(render_docx(_two_pages(thai_digits=True), template=letterhead))
    assert "word/fonts/SarabunThaiDigits-regular.odttf" in parts
    assert "word/fonts/Sarabun-regular.odttf" in parts
    rels = etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
    ids = [r.get("Id") for r in rels]
    assert len(ids) == len(set(ids)) == sum(n.startswith("word/fonts/") for n in parts)


def _documents(example_plan, seed_analysis) -> dict[str, m.Document]:
    built = memo_doc.build(example_plan, 6, thai_digits=True, base=EXAMPLES)
    head, rest = built.blocks[0], built.blocks[1:]
    filler = tuple(m.Paragraph(m.runs("เนื้อความของบันทึกเพื่อให้มีหลายหน้า " * 12)) for _ in range(8))
    fw = frameworks.default()
    oit = [i for i in fw.items if fw.tool_of(i.code) == "OIT"]
    return {
        "analysis": analysis_doc.build(
            seed_analysis, agency=AGENCY, thai_digits=True, with_charts=False
        ),
        "plan": plan_doc.build(example_plan, thai_digits=True),
        "progress": progress_doc.build(example_plan, 6, thai_digits=True),
        "memo": replace(built, blocks=(head, *filler, *rest)),
        "oit": oit_checklist(
            agency=AGENCY,
            fiscal_year=2566,
            framework=fw,
            rows=[(i.code, i.text, [f"https://www.example.go.th/{i.code}"]) for i in oit],
            today=dt.date(2023, 3, 1),
            thai_digits=True,
        ),
    }


def _page_number_glyphs(pdf: Path) -> list[str]:
    """Per page, the digits drawn in the digits face, read back as the Sarabun glyphs their
    outlines are (``?`` for an outline that is no Sarabun digit)."""
    sarabun = TTFont(sarabun_path())
    own = sarabun.getBestCmap()
    shapes = {ch: _outline(sarabun, own[ord(ch)]) for ch in [*"0123456789", *THAI]}
    found = []
    with pymupdf.open(pdf) as opened:
        for page in opened:
            fonts = {f[3].split("+")[-1]: f[0] for f in page.get_fonts()}
            drawn = ""
            for span in page.get_texttrace():
                name = span["font"]
                if "ThaiDigits" not in name:
                    continue
                xref = next(x for n, x in fonts.items() if n.startswith(name))
                font = TTFont(io.BytesIO(opened.extract_font(xref)[3]))
                order = font.getGlyphOrder()
                for _, gid, *_ in span["chars"]:
                    shape = _outline(font, order[gid])
                    drawn += next((ch for ch, s in shapes.items() if s == shape), "?")
            found.append(drawn)
    return found


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) missing")
def test_libreoffice_shows_thai_page_numbers_in_every_kind(
    example_plan, seed_analysis, tmp_path: Path
) -> None:
    paths = []
    for kind, doc in _documents(example_plan, seed_analysis).items():
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(render_docx(doc))
        paths.append(path)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for path in paths:
        drawn = _page_number_glyphs(path.with_suffix(".pdf"))
        assert len(drawn) >= 2, path.name
        first = 2 if path.stem == "memo" else 1  # the memo is numbered from page 2
        expected = [
            "" if k < first else "".join(THAI[int(c)] for c in str(k))
            for k in range(1, len(drawn) + 1)
        ]
        assert drawn == expected, path.name
        assert drawn[1] == "๒"
