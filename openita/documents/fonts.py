"""The Thai face of every document: Sarabun (OFL), from the fontpkg-sarabun package.

Sarabun is a free face of the same design as TH SarabunPSK; documents name Sarabun, never
"TH SarabunPSK" (that name renders wrongly where the real font is absent).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from fontpkg_sarabun import ROOT

FAMILY = "Sarabun"
Weight = Literal["Regular", "Bold", "Italic", "BoldItalic"]


def sarabun_path(weight: Weight = "Regular") -> Path:
    path = Path(ROOT) / "files" / f"Sarabun-{weight}.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"Sarabun font file missing: {path} (reinstall fontpkg-sarabun)")
    return path


@cache
def sarabun_bytes(weight: Weight = "Regular") -> bytes:
    return sarabun_path(weight).read_bytes()
