"""Embed Sarabun in a DOCX, so Word and LibreOffice show it on machines that lack the font.

Thai agencies' computers rarely have Sarabun installed (Windows has none); without it Word
falls back to another face and every line break moves. Office Open XML embeds TrueType fonts
as *obfuscated* parts (ECMA-376 Part 1, 17.8.1): the font file with its first 32 bytes XORed
with a 16-byte key taken from a GUID, the GUID written beside the reference in the font table.
This module post-processes a finished DOCX (a zip): it adds the font parts, their relationships
and content type, the ``w:embed*`` references in ``word/fontTable.xml``, and
``w:embedTrueTypeFonts`` in ``word/settings.xml``. It is deterministic (the GUID comes from the
font's bytes), so the same document gives the same file.

Thai page numbers. Word prints a PAGE field in Thai digits when the section's number format
is ``thaiNumbers``; LibreOffice has no Thai-digit number format for fields or sections and
prints 1 2 3 (and ก ข ค for the ``\\* ThaiArabic`` switch). So the field's runs are set in a
face made here from Sarabun Regular, *Sarabun Thai Digits*: only its digits, space and hyphen,
with the ASCII digits 0-9 mapped to the glyphs of ๐-๙ (and ๐-๙ to themselves). Word shows
the ๑ ๒ ๓ it computes, LibreOffice draws its 1 2 3 as ๑ ๒ ๓: the same glyphs in both. The face
is embedded like Sarabun (about 3 KB); a copy of the text LibreOffice shows reads 1 2 3.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from lxml import etree  # type: ignore[import-untyped]

from openita.documents.fonts import FAMILY, Weight, sarabun_bytes, sarabun_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
DIGITS_FAMILY = "Sarabun Thai Digits"  # Sarabun's ๐-๙ also under the ASCII digits
DIGITS_POSTSCRIPT = "SarabunThaiDigits-Regular"
THAI_ZERO = 0x0E50

# Face -> (font table element, Sarabun weight)
FACES: dict[str, tuple[str, Weight]] = {
    "regular": ("embedRegular", "Regular"),
    "bold": ("embedBold", "Bold"),
    "italic": ("embedItalic", "Italic"),
    "bolditalic": ("embedBoldItalic", "BoldItalic"),
}
# Settings that must come before w:embedTrueTypeFonts (the schema's sequence).
SETTINGS_BEFORE = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def font_key(data: bytes) -> str:
    """A GUID for the font, derived from its bytes: ``{XXXXXXXX-XXXX-...}``."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def _key_bytes(guid: str) -> bytes:
    """The 16-byte key: the GUID's 32 hex digits read as bytes from the last pair to the first."""
    digits = guid.strip("{}").replace("-", "")
    return bytes(int(digits[i : i + 2], 16) for i in range(30, -1, -2))


def obfuscate(data: bytes, guid: str) -> bytes:
    """XOR the first 32 bytes with the key (the operation is its own inverse)."""
    key = _key_bytes(guid)
    head = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@cache
def thai_digits_font() -> bytes:
    """Sarabun Regular cut down to its digits, space and hyphen, under the family
    ``Sarabun Thai Digits``, with ``0``-``9`` drawn by the glyphs of ``๐``-``๙``. Made once a
    process (fontTools, ~0.1 s); the same bytes every time (no timestamp is renewed)."""
    from fontTools import subset  # only documents with Thai page numbers need it
    from fontTools.ttLib import TTFont

    font = TTFont(sarabun_path("Regular"), recalcTimestamp=False)
    glyph_of = font.getBestCmap()
    thai = [glyph_of[THAI_ZERO + d] for d in range(10)]
    options = subset.Options()
    options.layout_features = []  # digits need no shaping
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 13, 14]  # the copyright and the licence (OFL) stay
    options.prune_codepage_ranges = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(THAI_ZERO, THAI_ZERO + 10), ord(" "), ord("-")])
    subsetter.subset(font)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for d in range(10):
                table.cmap[ord("0") + d] = thai[d]
    names = font["name"]
    for name_id, value in (
        (1, DIGITS_FAMILY),
        (2, "Regular"),
        (3, f"1.000;OpenITA;{DIGITS_POSTSCRIPT}"),
        (4, f"{DIGITS_FAMILY} Regular"),
        (5, "Version 1.000; derived from Sarabun Regular by OpenITA"),
        (6, DIGITS_POSTSCRIPT),
    ):
        names.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode, English (US)
        names.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class _Embedded:
    family: str
    face: str
    part: str  # word/fonts/...
    rel_id: str
    guid: str
    data: bytes


def faces_used(document_xml: bytes) -> list[str]:
    """Regular always; bold and italic faces when some run is set so."""
    root = etree.fromstring(document_xml)
    bold = bool(root.findall(f".//{_w('b')}")) or bool(root.findall(f".//{_w('bCs')}"))
    italic = bool(root.findall(f".//{_w('i')}"))
    faces = ["regular"]
    faces += ["bold"] if bold else []
    faces += ["italic"] if italic else []
    faces += ["bolditalic"] if bold and italic else []
    return faces


def embed_fonts(
    docx: bytes,
    faces: Iterable[str] | None = None,
    *,
    sarabun: bool = True,
    thai_digits: bool = False,
) -> bytes:
    """The DOCX with Sarabun's faces embedded (those the document uses, by default), and
    ``Sarabun Thai Digits`` when ``thai_digits`` (for Thai page numbers). A document that
    carries fonts already (a template's) keeps them; only the digits face is added to it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    names = source.namelist()
    parts = {name: source.read(name) for name in names}
    table_xml = parts.get("word/fontTable.xml")
    had_fonts = any(n.startswith("word/fonts/") for n in names)
    wanted: list[tuple[str, str, bytes]] = []  # (family, face, font file)
    if sarabun and not had_fonts:
        chosen = list(faces) if faces is not None else faces_used(parts["word/document.xml"])
        wanted += [(FAMILY, face, sarabun_bytes(FACES[face][1])) for face in chosen]
    if thai_digits and not (table_xml and _embeds(table_xml, DIGITS_FAMILY)):
        wanted.append((DIGITS_FAMILY, "regular", thai_digits_font()))
    if not wanted:
        return docx
    rels_name = "word/_rels/fontTable.xml.rels"
    rels = etree.fromstring(parts[rels_name]) if rels_name in parts else None
    taken = {r.get("Id") for r in rels} if rels is not None else set()
    ids = (f"rIdFont{n}" for n in range(1, 1000) if f"rIdFont{n}" not in taken)
    embedded = []
    for (family, face, data), rel_id in zip(wanted, ids, strict=False):
        guid = font_key(data)
        file = family.replace(" ", "")
        embedded.append(
            _Embedded(family, face, f"word/fonts/{file}-{face}.odttf", rel_id, guid, data)
        )
    parts["word/fontTable.xml"] = _font_table(table_xml, embedded)
    parts[rels_name] = _font_rels(rels, embedded)
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"])
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
    if "word/fontTable.xml" not in names:
        parts["word/_rels/document.xml.rels"] = _document_rels(
            parts["word/_rels/document.xml.rels"]
        )
        names.append("word/fontTable.xml")
    for e in embedded:
        parts[e.part] = obfuscate(e.data, e.guid)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        order = [*names, rels_name, *(e.part for e in embedded)]
        for name in dict.fromkeys(order):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, parts[name])
    return out.getvalue()


def _embeds(table_xml: bytes, family: str) -> bool:
    """Whether the font table already embeds a face of ``family``."""
    root = etree.fromstring(table_xml)
    return any(
        etree.QName(child).localname.startswith("embed")
        for font in root.findall(_w("font"))
        if font.get(_w("name")) == family
        for child in font
    )


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _font_table(xml: bytes | None, embedded: list[_Embedded]) -> bytes:
    if xml is None:
        root = etree.Element(_w("fonts"), nsmap={"w": W, "r": R})
    else:
        root = etree.fromstring(xml)
    for family in dict.fromkeys(e.family for e in embedded):
        font = next((f for f in root.findall(_w("font")) if f.get(_w("name")) == family), None)
        if font is None:
            font = etree.SubElement(root, _w("font"))
            font.set(_w("name"), family)
            etree.SubElement(font, _w("charset")).set(_w("val"), "DE")  # Thai
            etree.SubElement(font, _w("family")).set(_w("val"), "auto")
            etree.SubElement(font, _w("pitch")).set(_w("val"), "variable")
        for child in list(font):
            if etree.QName(child).localname.startswith("embed"):
                font.remove(child)
        for e in embedded:
            if e.family == family:
                ref = etree.SubElement(font, _w(FACES[e.face][0]))
                ref.set(f"{{{R}}}id", e.rel_id)
                ref.set(_w("fontKey"), e.guid)
    return _xml(root)


def _font_rels(root: etree._Element | None, embedded: list[_Embedded]) -> bytes:
    if root is None:
        root = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    for e in embedded:
        rel = etree.SubElement(root, f"{{{PKG_REL}}}Relationship")
        rel.set("Id", e.rel_id)
        rel.set("Type", FONT_REL)
        rel.set("Target", e.part.removeprefix("word/"))
    return _xml(root)


def _document_rels(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    rel = etree.SubElement(root, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", "rIdFontTable")
    rel.set("Type", f"{R}/fontTable")
    rel.set("Target", "fontTable.xml")
    return _xml(root)


def _settings(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    if root.find(_w("embedTrueTypeFonts")) is None:
        flag = etree.Element(_w("embedTrueTypeFonts"))
        before = [c for c in root if etree.QName(c).localname in SETTINGS_BEFORE]
        if before:
            before[-1].addnext(flag)
        else:
            root.insert(0, flag)
    return _xml(root)


def _content_types(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    known = {d.get("Extension") for d in root.findall(f"{{{CT}}}Default")}
    if "odttf" not in known:
        default = etree.Element(f"{{{CT}}}Default")
        default.set("Extension", "odttf")
        default.set("ContentType", FONT_TYPE)
        root.insert(0, default)
    if xml and b"fontTable.xml" not in xml:
        override = etree.SubElement(root, f"{{{CT}}}Override")
        override.set("PartName", "/word/fontTable.xml")
        override.set(
            "ContentType",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        )
    return _xml(root)
