"""Sarabun embedded in DOCX (obfuscated per ECMA-376 Part 1, 17.8.1)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from lxml import etree

from openita.documents import docx_fonts
from openita.documents.docx import render_docx
from openita.documents.fonts import sarabun_bytes
from openita.documents.model import Document, Paragraph, Run, runs

W = docx_fonts.W


def document(*texts: str | Run, embed: bool = False) -> bytes:
    doc = Document(
        kind="plan",
        title="ทดสอบ",
        agency="เทศบาลตำบลตัวอย่าง",
        fiscal_year=2566,
        blocks=(Paragraph(runs(*texts)),),
    )
    return render_docx(doc, embed_sarabun=embed)


def parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


def test_the_key_is_the_guid_read_backwards_and_xor_is_its_own_inverse() -> None:
    guid = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    assert docx_fonts._key_bytes(guid) == bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    data = bytes(range(40))
    hidden = docx_fonts.obfuscate(data, guid)
    assert hidden[32:] == data[32:] and hidden[:32] != data[:32]
    assert hidden[0] == 0 ^ 0xFF and hidden[16] == 16 ^ 0xFF
    assert docx_fonts.obfuscate(hidden, guid) == data


@pytest.mark.parametrize(
    ("texts", "faces"),
    [
        (("ธรรมดา",), ["regular"]),
        (("ธรรมดา ", Run("ตัวหนา", bold=True)), ["regular", "bold"]),
        ((Run("เอียง", italic=True),), ["regular", "italic"]),
        (
            (Run("หนา", bold=True), Run("เอียง", italic=True)),
            ["regular", "bold", "italic", "bolditalic"],
        ),
    ],
)
def test_the_faces_a_document_uses_are_embedded(texts: tuple, faces: list[str]) -> None:
    out = parts(docx_fonts.embed_fonts(document(*texts)))
    fonts = sorted(n for n in out if n.startswith("word/fonts/"))
    assert fonts == sorted(f"word/fonts/Sarabun-{f}.odttf" for f in faces)
    table = etree.fromstring(out["word/fontTable.xml"])
    [sarabun] = [f for f in table.findall(f"{{{W}}}font") if f.get(f"{{{W}}}name") == "Sarabun"]
    rels = etree.fromstring(out["word/_rels/fontTable.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    weights = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
    for face in faces:
        tag = docx_fonts.FACES[face][0]
        ref = sarabun.find(f"{{{W}}}{tag}")
        assert ref is not None, tag
        part = "word/" + targets[ref.get(f"{{{docx_fonts.R}}}id")]
        key = ref.get(f"{{{W}}}fontKey")
        # Undoing the obfuscation with the key written beside the reference gives the font.
        assert docx_fonts.obfuscate(out[part], key) == sarabun_bytes(weights[face])  # type: ignore[arg-type]
    assert b"embedTrueTypeFonts" in out["word/settings.xml"]
    assert b'Extension="odttf"' in out["[Content_Types].xml"]


def test_the_result_still_opens_and_is_deterministic() -> None:
    plain = document("สวัสดี ", Run("ประเทศไทย", bold=True))
    once, twice = docx_fonts.embed_fonts(plain), docx_fonts.embed_fonts(plain)
    assert once == twice
    paragraphs = python_docx.Document(io.BytesIO(once)).paragraphs
    text = "\n".join(p.text.replace("\u200b", "").replace("\u2060", "") for p in paragraphs)
    assert "สวัสดี ประเทศไทย" in text
    assert docx_fonts.embed_fonts(once) == once  # embedding twice changes nothing


def test_render_docx_embeds_by_default() -> None:
    names = parts(document("ภาษาไทย", embed=True))
    assert "word/fonts/Sarabun-regular.odttf" in names


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_uses_the_embedded_face_where_sarabun_is_not_installed(tmp_path: Path) -> None:
    # A home of its own: fontconfig then does not see the Sarabun that setup installs for the
    # user, as on an agency's machine.
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=False)
    if "Sarabun" in listed.stdout:
        pytest.skip("Sarabun is installed system-wide here; nothing to show")
    plain = document("ภาษาไทย ", Run("ตัวหนา", bold=True))
    (tmp_path / "plain.docx").write_bytes(plain)
    (tmp_path / "embedded.docx").write_bytes(docx_fonts.embed_fonts(plain))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "plain.docx"),
            str(tmp_path / "embedded.docx"),
        ],
        env=env,
        capture_output=True,
        check=True,
        timeout=240,
    )

    def fonts(pdf: str) -> str:
        return subprocess.run(
            ["pdffonts", str(tmp_path / pdf)], capture_output=True, text=True, check=True
        ).stdout

    assert "Sarabun" not in fonts("plain.pdf")  # the fallback: what users saw before
    assert "Sarabun-Regular" in fonts("embedded.pdf")
    assert "Sarabun-Bold" in fonts("embedded.pdf")
