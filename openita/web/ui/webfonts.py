"""The web pages' Sarabun as small WOFF2 files: only the characters the pages use.

The stylesheet used to load two 90 KB TTF files from the font package. A page needs Thai,
Basic Latin, Latin-1 and a few signs (dashes, quotes, arrows, ☐ ☑ ·); the subsets keep every
OpenType feature (Thai mark positioning and the like) and come to about a third of the size,
compressed as WOFF2. They are generated from the installed Sarabun and kept in
``ui/static/openita/fonts/`` (Sarabun is under the SIL Open Font License, which allows it);
regenerate them after a Sarabun update with ``python -m openita.web.ui.webfonts``.
A test checks the kept files against a fresh subset of the installed font.
"""

from __future__ import annotations

import io
from pathlib import Path

from fontpkg_sarabun import ROOT as SARABUN_ROOT
from fontTools import subset
from fontTools.ttLib import TTFont

OUT_DIR = Path(__file__).resolve().parent / "static" / "openita" / "fonts"
FACES = {"Sarabun-Regular": 400, "Sarabun-Bold": 700}
RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 (names, ·, ×)
    (0x0E00, 0x0E7F),  # Thai
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, ‹ ›
    (0x20AC, 0x20AC),  # €
    (0x2122, 0x2122),  # ™
    (0x2190, 0x2193),  # arrows
    (0x2212, 0x2212),  # minus
    (0x2264, 0x2265),  # ≤ ≥
    (0x25A1, 0x25A1),  # ☐ (white square)
    (0x2610, 0x2612),  # ☐ ☑ ☒
    (0x2713, 0x2713),  # ✓
)


def unicodes() -> list[int]:
    return [c for start, end in RANGES for c in range(start, end + 1)]


def subset_woff2(ttf: bytes) -> bytes:
    """The font cut to ``RANGES`` with all layout features, as WOFF2."""
    font = TTFont(io.BytesIO(ttf))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def source(face: str) -> Path:
    return Path(SARABUN_ROOT) / "files" / f"{face}.ttf"


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for face in FACES:
        path = out_dir / f"{face}.woff2"
        path.write_bytes(subset_woff2(source(face).read_bytes()))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(f"{path} ({path.stat().st_size // 1024} KB)")
