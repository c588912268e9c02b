"""Faces, shaping and the text layer of the native PDF renderer.

Text is shaped by HarfBuzz with the font's own GSUB and GPOS (Thai: ccmp, the short and left
forms of tone marks, descender-less bases, mark-to-base and mark-to-mark), one word at a time,
and turned into content-stream operators once per (face, size, text): the result is cached, so
a word that comes back costs a dictionary look-up.

The text layer: glyphs are shown by glyph id (Identity-H, CID = GID) and each face gets a
ToUnicode CMap: a glyph maps to its character in the font's cmap, or, for a glyph the cmap
does not reach (a short tone mark, a base without its descender, a ligature), to what it
replaces in the font's GSUB (fixed per font, so the output is the same in any process). A
cluster that is not one glyph given by the cmap for its one character (a base with its marks,
sara am decomposed and reordered, a ligature) is wrapped in ``/Span <</ActualText ...>> BDC
... EMC``, so extraction yields the cluster's characters exactly once.
"""

from __future__ import annotations

import importlib.util
import io
import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from openita.documents.fonts import sarabun_bytes

FaceName = Literal["Regular", "Bold", "Italic", "BoldItalic", "Fallback"]
FACE_NAMES: tuple[FaceName, ...] = ("Regular", "Bold", "Italic", "BoldItalic", "Fallback")


class Face:
    """One font file: HarfBuzz for shaping, its metrics, and what each glyph stands for."""

    def __init__(self, name: FaceName, data: bytes) -> None:
        self.name = name
        self.data = data
        self.hb_font = hb.Font(hb.Face(data))
        tt = TTFont(io.BytesIO(data), lazy=True)
        self.upem: int = tt["head"].unitsPerEm
        self.scale = 1000.0 / self.upem
        hmtx = tt["hmtx"].metrics
        order = tt.getGlyphOrder()
        self.num_glyphs = len(order)
        self.advance: list[int] = [hmtx[g][0] for g in order]
        os2 = tt["OS/2"]
        hhea = tt["hhea"]
        self.ascent: int = hhea.ascent
        self.descent: int = -hhea.descent
        self.cap_height: int = getattr(os2, "sCapHeight", 0) or int(self.ascent * 0.7)
        self.italic_angle: float = float(tt["post"].italicAngle)
        self.bbox = (tt["head"].xMin, tt["head"].yMin, tt["head"].xMax, tt["head"].yMax)
        family = tt["name"].getDebugName(6) or f"Font-{name}"
        self.ps_name = "".join(ch for ch in family if ch.isalnum() or ch == "-")
        cmap = tt.getBestCmap()
        self.cmap: dict[int, int] = {cp: tt.getGlyphID(g) for cp, g in cmap.items()}
        # what each glyph stands for in the text layer; glyphs reached by several code points
        # stand for the lowest one
        self.unicode: dict[int, str] = {}
        for cp in sorted(self.cmap, reverse=True):
            self.unicode[self.cmap[cp]] = chr(cp)
        if name != "Fallback":
            self._learn_substitutes(tt)
        self._tt = tt
        self._glyph_order = order
        # sara am (U+0E33) is shaped as nikhahit + sara aa; its sara aa glyphs are shown
        # through a second font object whose ToUnicode gives them as sara am, and the
        # nikhahit is drawn as a path, so every reader gets the one character back
        self.am_twin: dict[int, str] = {
            g: "\u0e33" if ch == "\u0e32" else ch.replace("\u0e4d", "")
            for g, ch in self.unicode.items()
            if ch == "\u0e32" or ("\u0e4d" in ch and len(ch) > 1)  # ligatures: tone + nikhahit
        }
        self.nikhahit: frozenset[int] = frozenset(
            g for g, ch in self.unicode.items() if ch == "\u0e4d"
        )
        self._paths: dict[int, str] = {}
        self._tables = {tag: tt.reader[tag] for tag in ("head", "hhea", "maxp", "hmtx")}
        self._loca_long = tt["head"].indexToLocFormat == 1
        self._loca = tt.reader["loca"]
        self._glyf = tt.reader["glyf"]

    def _learn_substitutes(self, tt: TTFont) -> None:
        """Glyphs the cmap does not reach stand for what they replace in the font's GSUB: a
        short tone mark for the tone mark, a ligature for its components."""
        if "GSUB" not in tt or tt["GSUB"].table.LookupList is None:
            return
        pairs: list[tuple[str, list[str]]] = []  # (output glyph, input glyphs)
        for lookup in tt["GSUB"].table.LookupList.Lookup:
            for sub in lookup.SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                kind = getattr(sub, "LookupType", lookup.LookupType)
                if kind == 1:
                    pairs += [(out, [src]) for src, out in sub.mapping.items()]
                elif kind == 3:
                    pairs += [(out, [src]) for src, outs in sub.alternates.items() for out in outs]
                elif kind == 4:
                    for first, ligatures in sub.ligatures.items():
                        pairs += [(lig.LigGlyph, [first, *lig.Component]) for lig in ligatures]
        for _ in range(3):  # substitutes of substitutes
            for out, sources in pairs:
                gid = tt.getGlyphID(out)
                # a ligature the cmap gives as a presentation form (ﬁ) reads as its letters
                known = self.unicode.get(gid)
                if known is not None and not (len(sources) > 1 and "\ufb00" <= known <= "\ufb4f"):
                    continue
                texts = [self.unicode.get(tt.getGlyphID(src)) for src in sources]
                if all(texts):
                    self.unicode[gid] = "".join(t for t in texts if t)

    def path(self, gid: int) -> str:
        """The glyph's outline as PDF path operators, in font units (filled with ``f``)."""
        found = self._paths.get(gid)
        if found is None:
            pen = _PathPen(self._tt.getGlyphSet())
            self._tt.getGlyphSet()[self._glyph_order[gid]].draw(pen)
            found = self._paths[gid] = " ".join(pen.ops)
        return found

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def subset(self, gids: set[int]) -> bytes:
        """A TrueType file with only the outlines of ``gids`` (and their components); glyph ids
        are kept, so the content streams' CIDs need no map. Hinting and layout tables go."""
        loca = self._loca_offsets()
        glyf = self._glyf
        keep = set(gids) | {0}
        todo = list(keep)
        while todo:  # composite glyphs need their components
            gid = todo.pop()
            start, end = loca[gid], loca[gid + 1]
            if end - start < 10 or struct.unpack_from(">h", glyf, start)[0] >= 0:
                continue
            pos = start + 10
            while True:
                flags, comp = struct.unpack_from(">HH", glyf, pos)
                if comp not in keep:
                    keep.add(comp)
                    todo.append(comp)
                pos += 4 + (4 if flags & 1 else 2)
                if flags & 8:
                    pos += 2
                elif flags & 0x40:
                    pos += 4
                elif flags & 0x80:
                    pos += 8
                if not flags & 0x20:
                    break
        parts: list[bytes] = []
        offsets = [0]
        size = 0
        for gid in range(self.num_glyphs):
            if gid in keep:
                chunk = glyf[loca[gid] : loca[gid + 1]]
                if len(chunk) % 4:
                    chunk += b"\0" * (4 - len(chunk) % 4)
                parts.append(chunk)
                size += len(chunk)
            offsets.append(size)
        new_glyf = b"".join(parts)
        new_loca = struct.pack(f">{len(offsets)}I", *offsets)
        head = bytearray(self._tables["head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, set below
        head[50:52] = struct.pack(">h", 1)  # long loca
        tables = {
            "glyf": new_glyf,
            "head": bytes(head),
            "hhea": self._tables["hhea"],
            "hmtx": self._tables["hmtx"],
            "loca": new_loca,
            "maxp": self._tables["maxp"],
        }
        return _sfnt(tables)

    @cache  # noqa: B019 - faces live for the whole process
    def _loca_offsets(self) -> tuple[int, ...]:
        raw = self._loca
        if self._loca_long:
            return struct.unpack(f">{len(raw) // 4}I", raw)
        return tuple(2 * x for x in struct.unpack(f">{len(raw) // 2}H", raw))


class _PathPen(BasePen):  # type: ignore[misc]
    """Collects an outline as PDF path operators (quadratic curves become cubic)."""

    def __init__(self, glyph_set: object) -> None:
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, pt: tuple[float, float]) -> None:  # fontTools' method names
        self.ops.append(f"{_num(pt[0])} {_num(pt[1])} m")

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(f"{_num(pt[0])} {_num(pt[1])} l")

    def _curveToOne(
        self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]
    ) -> None:
        self.ops.append(" ".join(_num(v) for v in (*p1, *p2, *p3)) + " c")

    def _closePath(self) -> None:
        self.ops.append("h")


def _checksum(data: bytes) -> int:
    if len(data) % 4:
        data += b"\0" * (4 - len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(data) // 4}I", data)
    return sum(words) & 0xFFFFFFFF


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file from its tables (sorted tags, 4-byte aligned, checksums)."""
    tags = sorted(tables)
    count = len(tags)
    entry = 1
    while entry * 2 <= count:
        entry *= 2
    search = entry * 16
    header = struct.pack(
        ">IHHHH", 0x00010000, count, search, entry.bit_length() - 1, count * 16 - search
    )
    offset = 12 + 16 * count
    directory = b""
    body = b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag.encode(), _checksum(data), offset, len(data))
        padded = data + b"\0" * (-len(data) % 4)
        body += padded
        offset += len(padded)
    font = bytearray(header + directory + body)
    adjust = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    head_at = 12 + 16 * tags.index("head")
    head_offset = struct.unpack_from(">I", font, head_at + 8)[0]
    font[head_offset + 8 : head_offset + 12] = struct.pack(">I", adjust)
    return bytes(font)


def _dejavu_sans() -> Path:
    """matplotlib's copy of DejaVu Sans, found without importing matplotlib (a quarter of a
    second of a cold command)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "matplotlib is not installed: DejaVu Sans (the fallback) is missing"
        )
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


@cache
def face(name: FaceName) -> Face:
    if name == "Fallback":  # symbols Sarabun lacks (☐ ☑ ❖): DejaVu Sans, shipped by matplotlib
        return Face(name, _dejavu_sans().read_bytes())
    return Face(name, sarabun_bytes(name))


@dataclass(frozen=True)
class Piece:
    """A shaped piece of text in one face and size, ready to go into a text object."""

    face: FaceName
    size: float
    text: str
    width: float  # points
    ops: str  # content-stream operators (TJ, Ts, marked content), pen ends at ``width``
    gids: frozenset[int]
    clusters: tuple[tuple[int, float], ...]  # (char offset, pen x in points) at each cluster
    underline: bool = False
    # glyphs drawn as paths, not text (the nikhahit of sara am): (x, rise in points, glyph id)
    paths: tuple[tuple[float, float, int], ...] = ()


@dataclass
class _Shaped:
    gids: list[int] = field(default_factory=list)
    ops: str = ""
    width_units: int = 0
    clusters: list[tuple[int, int]] = field(default_factory=list)
    paths: list[tuple[float, float, int]] = field(default_factory=list)


def _hex16(text: str) -> str:
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _shape(f: Face, text: str, size: float) -> _Shaped:
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(f.hb_font, buf, {})
    infos = buf.glyph_infos
    positions = buf.glyph_positions
    out = _Shaped()
    starts = sorted({i.cluster for i in infos})
    ends = {s: (starts[k + 1] if k + 1 < len(starts) else len(text)) for k, s in enumerate(starts)}
    scale = f.scale
    advance = f.advance
    mapping = f.unicode
    font_index = FACE_NAMES.index(f.name)
    ops: list[str] = []
    tj: list[str] = []
    hexrun: list[str] = []
    pen_hb = 0
    pen_pdf = 0.0
    rise = 0.0

    def flush_hex() -> None:
        if hexrun:
            tj.append("<" + "".join(hexrun) + ">")
            hexrun.clear()

    def flush() -> None:
        flush_hex()
        if tj:
            ops.append("[" + " ".join(tj) + "]TJ")
            tj.clear()

    k = 0
    n = len(infos)
    while k < n:
        cluster = infos[k].cluster
        j = k
        while j < n and infos[j].cluster == cluster:
            j += 1
        chars = text[cluster : ends[cluster]]
        gids = [infos[x].codepoint for x in range(k, j)]
        out.clusters.append((cluster, pen_hb))
        # any other cluster (a base and its marks, a ligature, a glyph the cmap does not
        # reach) is given as a whole: extractors otherwise read a zero-width mark as a word,
        # or a line, of its own
        actual = not _maps_plainly(gids, chars, mapping)
        if actual:
            flush()
            ops.append(f"/Span<</ActualText<{_hex16(chars)}>>>BDC")
        # sara am: its nikhahit is drawn as a path and its sara aa read as sara am
        am = "\u0e33" in chars
        placed = []  # (x, glyph, rise, as sara am): where each glyph of the cluster goes
        for x in range(k, j):
            gid = infos[x].codepoint
            pos = positions[x]
            at = (pen_hb + pos.x_offset) * scale
            rise_here = pos.y_offset * size / f.upem
            pen_hb += pos.x_advance
            if am and gid in f.nikhahit:
                out.paths.append((at * size / 1000, rise_here, gid))
                continue
            out.gids.append(gid)
            placed.append((at, gid, rise_here, am and gid in f.am_twin))
        end = pen_hb * scale
        # glyphs go in the order of the text (HarfBuzz's), so that a reader without
        # ActualText reads them as typed (เรื่อง, not เร่ือง); a span's extent, for poppler,
        # runs from its first glyph's origin (the base's) to its last glyph's end: the last
        # one is stretched to the cluster's end with character spacing (which moves nothing)
        for index, (desired, gid, want_rise, as_am) in enumerate(placed):
            stretch = 0.0
            if actual and index == len(placed) - 1:
                stretch = end - (desired + advance[gid] * scale)
                if stretch > 0.5:
                    flush()
                    ops.append(f"{_num(stretch * size / 1000)} Tc")
                else:
                    stretch = 0.0
            if abs(want_rise - rise) > 0.001:
                flush()
                rise = want_rise
                ops.append(f"{_num(rise)} Ts")
            if as_am:
                flush()
                ops.append(f"/A{font_index} {_num(size)} Tf")
            adjust = desired - pen_pdf
            if abs(adjust) > 0.005:
                flush_hex()
                tj.append(_num(-adjust))
            hexrun.append(f"{gid:04X}")
            pen_pdf = desired + advance[gid] * scale + stretch
            if as_am:
                flush()
                ops.append(f"/F{font_index} {_num(size)} Tf")
            if stretch:
                flush()
                ops.append("0 Tc")
        if actual:  # the span ends where the cluster does, or extractors see a gap
            adjust = pen_hb * scale - pen_pdf
            if abs(adjust) > 0.005:
                flush_hex()
                tj.append(_num(-adjust))
                pen_pdf = pen_hb * scale
            flush()
            ops.append("EMC")
        k = j
    adjust = pen_hb * scale - pen_pdf
    if abs(adjust) > 0.005:
        flush_hex()
        tj.append(_num(-adjust))
    flush()
    if rise:
        ops.append("0 Ts")
    out.ops = " ".join(ops)
    out.width_units = pen_hb
    return out


def _maps_plainly(gids: list[int], chars: str, mapping: dict[int, str]) -> bool:
    """Whether the cluster is one glyph that the font's cmap gives for its one character."""
    return len(gids) == 1 and mapping.get(gids[0]) == chars


_PIECES: dict[tuple[FaceName, float, str, bool], Piece] = {}


def piece(name: FaceName, size: float, text: str, underline: bool = False) -> Piece:
    """``text`` shaped in one face (cached for the process)."""
    key = (name, size, text, underline)
    found = _PIECES.get(key)
    if found is not None:
        return found
    f = face(name)
    shaped = _shape(f, text, size)
    unit = size / f.upem
    made = Piece(
        face=name,
        size=size,
        text=text,
        width=shaped.width_units * unit,
        ops=shaped.ops,
        gids=frozenset(shaped.gids),
        clusters=tuple((c, x * unit) for c, x in shaped.clusters),
        underline=underline,
        paths=tuple(shaped.paths),
    )
    if len(_PIECES) > 200_000:
        _PIECES.clear()
    _PIECES[key] = made
    return made


_RUNS: dict[tuple[FaceName, float, str, bool], tuple[Piece, ...]] = {}


def pieces(name: FaceName, size: float, text: str, underline: bool = False) -> tuple[Piece, ...]:
    """``text`` shaped, with characters Sarabun lacks set in the fallback face (cached)."""
    key = (name, size, text, underline)
    found = _RUNS.get(key)
    if found is None:
        found = _RUNS[key] = tuple(_pieces(name, size, text, underline))
        if len(_RUNS) > 200_000:
            _RUNS.clear()
    return found


def _pieces(name: FaceName, size: float, text: str, underline: bool) -> list[Piece]:
    main = face(name)
    cmap = main.cmap
    if all(ord(ch) in cmap for ch in text):
        return [piece(name, size, text, underline)]
    out: list[Piece] = []
    start = 0
    current = main.covers(text[0]) or not face("Fallback").covers(text[0])
    for k in range(1, len(text) + 1):
        here = (
            current
            if k == len(text)
            else (main.covers(text[k]) or not face("Fallback").covers(text[k]))
        )
        if k == len(text) or here != current:
            out.append(piece(name if current else "Fallback", size, text[start:k], underline))
            start = k
            current = here
    return out


def tounicode_cmap(f: Face, gids: set[int], overrides: dict[int, str] | None = None) -> bytes:
    """The ToUnicode CMap of the glyphs used (one bfchar per glyph, in glyph order);
    ``overrides`` maps glyphs to other text (sara aa read as sara am)."""
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def",
        "/CMapName/Adobe-Identity-UCS def/CMapType 2 def",
        "1 begincodespacerange<0000><FFFF>endcodespacerange",
    ]
    text = f.unicode if overrides is None else overrides
    known = sorted(g for g in gids if g in text)
    for start in range(0, len(known), 100):
        chunk = known[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{g:04X}><{text[g].encode('utf-16-be').hex().upper()}>" for g in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict/CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")
