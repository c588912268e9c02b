"""The PDF file: objects, fonts (Type0 / CIDFontType2, subset, ToUnicode), images, outline,
and the structure tree of a tagged PDF (roles, marked content by MCID, the parent tree).

Output is deterministic: no dates, the file identifier is a digest of the content, and the
subset tag of each font is derived from the glyphs it holds.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

from openita.documents.pdfnative.fonts import FACE_NAMES, FaceName, face, tounicode_cmap


@dataclass(frozen=True)
class Image:
    """An image XObject's parts: colour samples (Flate), optional soft mask."""

    width: int
    height: int
    colors: int  # 1 gray, 3 RGB
    data: bytes  # compressed samples
    predictor: bool  # PNG-predicted rows (IDAT as is) or plain rows
    alpha: bytes | None = None  # compressed 8-bit alpha, plain rows


class Node:
    """An element of the structure tree (a tagged PDF): a standard role (Document, H1, P,
    Table, TR, TH, TD, L, LI, LBody, Figure, Caption), its children in reading order, which
    are elements or marked content (page index, MCID), and a figure's alternate text."""

    __slots__ = ("alt", "kids", "num", "role")

    def __init__(self, role: str, alt: str | None = None) -> None:
        self.role = role
        self.kids: list[Node | tuple[int, int]] = []
        self.alt = alt
        self.num = 0  # its object number, once written

    def add(self, role: str, alt: str | None = None) -> Node:
        node = Node(role, alt)
        self.kids.append(node)
        return node


@dataclass
class PageOut:
    content: list[str] = field(default_factory=list)
    marks: list[Node] = field(default_factory=list)  # the element of each MCID, in order


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    level: int
    page: int
    y: float  # PDF user space (from the bottom)


def pdf_string(text: str) -> str:
    """A text string: ASCII literal when possible, else UTF-16BE hex with its byte-order mark."""
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        escaped = escaped.replace("\r", "\\r").replace("\n", "\\n")
        return f"({escaped})"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@lru_cache(maxsize=64)
def _font_file(name: FaceName, gids: frozenset[int]) -> bytes:
    return zlib.compress(face(name).subset(set(gids)), 6)


class Writer:
    def __init__(self) -> None:
        self.objects: list[bytes | None] = [None]  # object 0 is the free-list head

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects) - 1

    def put(self, num: int, body: str | bytes) -> int:
        self.objects[num] = body.encode("latin-1") if isinstance(body, str) else body
        return num

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, attrs: str, data: bytes, *, compress: bool = False) -> int:
        if compress:
            data = zlib.compress(data, 1)
            attrs += "/Filter/FlateDecode"
        return self.add(
            b"<<" + attrs.encode() + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"
        )

    def finish(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects[1:], 1):
            offsets.append(b"%010d 00000 n \n" % len(out))
            out += b"%d 0 obj\n" % num
            out += body or b"null"
            out += b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % len(self.objects)
        out += b"".join(offsets)
        digest = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper()
        out += (
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self.objects), root, info, digest.encode(), digest.encode(), xref)
        )
        return bytes(out)


def _font_objects(w: Writer, name: FaceName, gids: set[int]) -> tuple[int, int | None]:
    """The face's Type0 font, and its twin (same glyphs) that reads sara aa as sara am, when
    a sara am was drawn."""
    f = face(name)
    used = sorted(gids | {0})
    tag = "".join(
        chr(65 + b % 26)
        for b in hashlib.md5(repr(used).encode(), usedforsecurity=False).digest()[:6]
    )
    base = f"{tag}+{f.ps_name}"
    data = _font_file(name, frozenset(used))
    font_file = w.add(
        b"<</Filter/FlateDecode/Length %d>>stream\n" % len(data) + data + b"\nendstream"
    )
    flags = 4 | (64 if f.italic_angle else 0)  # symbolic (non-Latin charset), italic
    k = f.scale
    bbox = " ".join(str(round(v * k)) for v in f.bbox)
    descriptor = w.add(
        f"<</Type/FontDescriptor/FontName/{base}/Flags {flags}/FontBBox[{bbox}]"
        f"/ItalicAngle {f.italic_angle:g}/Ascent {round(f.ascent * k)}"
        f"/Descent {-round(f.descent * k)}/CapHeight {round(f.cap_height * k)}/StemV 80"
        f"/FontFile2 {font_file} 0 R>>"
    )
    widths = " ".join(f"{g}[{round(f.advance[g] * k)}]" for g in used)
    cid_font = w.add(
        f"<</Type/Font/Subtype/CIDFontType2/BaseFont/{base}"
        "/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>"
        f"/FontDescriptor {descriptor} 0 R/DW 0/W[{widths}]/CIDToGIDMap/Identity>>"
    )
    cmap = w.stream("", tounicode_cmap(f, set(used)), compress=True)
    main = w.add(
        f"<</Type/Font/Subtype/Type0/BaseFont/{base}/Encoding/Identity-H"
        f"/DescendantFonts[{cid_font} 0 R]/ToUnicode {cmap} 0 R>>"
    )
    am = f.am_twin.keys() & gids
    if not am:
        return main, None
    twin_cmap = w.stream("", tounicode_cmap(f, am, f.am_twin), compress=True)
    twin = w.add(
        f"<</Type/Font/Subtype/Type0/BaseFont/{base}/Encoding/Identity-H"
        f"/DescendantFonts[{cid_font} 0 R]/ToUnicode {twin_cmap} 0 R>>"
    )
    return main, twin


def _image_object(w: Writer, img: Image) -> int:
    space = "/DeviceRGB" if img.colors == 3 else "/DeviceGray"
    mask = ""
    if img.alpha is not None:
        smask = w.add(
            f"<</Type/XObject/Subtype/Image/Width {img.width}/Height {img.height}"
            f"/ColorSpace/DeviceGray/BitsPerComponent 8/Filter/FlateDecode"
            f"/Length {len(img.alpha)}>>stream\n".encode()
            + img.alpha
            + b"\nendstream"
        )
        mask = f"/SMask {smask} 0 R"
    parms = (
        f"/DecodeParms<</Predictor 15/Colors {img.colors}/BitsPerComponent 8/Columns {img.width}>>"
        if img.predictor
        else ""
    )
    return w.add(
        f"<</Type/XObject/Subtype/Image/Width {img.width}/Height {img.height}"
        f"/ColorSpace{space}/BitsPerComponent 8/Filter/FlateDecode{parms}{mask}"
        f"/Length {len(img.data)}>>stream\n".encode()
        + img.data
        + b"\nendstream"
    )


@dataclass
class Meta:
    title: str
    author: str
    subject: str
    keywords: str
    lang: str = "th-TH"


def write_pdf(
    pages: list[PageOut],
    size: tuple[float, float],
    used: dict[FaceName, set[int]],
    images: list[Image],
    outline: list[OutlineEntry],
    meta: Meta,
    structure: Node | None = None,
) -> bytes:
    w = Writer()
    catalog = w.reserve()
    pages_root = w.reserve()
    tagged = structure is not None
    fonts = {name: _font_objects(w, name, used[name]) for name in FACE_NAMES if used.get(name)}
    font_res = "".join(f"/F{FACE_NAMES.index(n)} {num} 0 R" for n, (num, _) in fonts.items())
    font_res += "".join(
        f"/A{FACE_NAMES.index(n)} {twin} 0 R" for n, (_, twin) in fonts.items() if twin
    )
    image_res = "".join(f"/Im{k} {_image_object(w, img)} 0 R" for k, img in enumerate(images))
    resources = w.add(
        f"<</Font<<{font_res}>>/XObject<<{image_res}>>/ProcSet[/PDF/Text/ImageB/ImageC]>>"
    )
    width, height = size
    page_ids = []
    for k, page in enumerate(pages):
        content = w.stream("", "\n".join(page.content).encode("latin-1"), compress=True)
        tags = f"/StructParents {k}/Tabs/S" if tagged else ""
        page_ids.append(
            w.add(
                f"<</Type/Page/Parent {pages_root} 0 R/MediaBox[0 0 {width:.2f} {height:.2f}]"
                f"/Resources {resources} 0 R/Contents {content} 0 R{tags}>>"
            )
        )
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    w.put(pages_root, f"<</Type/Pages/Kids[{kids}]/Count {len(page_ids)}>>")
    outlines = _outline(w, outline, page_ids)
    info = w.add(
        f"<</Title{pdf_string(meta.title)}/Author{pdf_string(meta.author)}"
        f"/Subject{pdf_string(meta.subject)}/Keywords{pdf_string(meta.keywords)}"
        f"/Creator(OpenITA)/Producer(OpenITA native PDF)>>"
    )
    extra = f"/Outlines {outlines} 0 R/PageMode/UseOutlines" if outlines else ""
    if structure is not None:
        tree = _structure(w, structure, pages, page_ids)
        extra += f"/MarkInfo<</Marked true>>/StructTreeRoot {tree} 0 R"
    w.put(
        catalog,
        f"<</Type/Catalog/Pages {pages_root} 0 R/Lang{pdf_string(meta.lang)}"
        f"/ViewerPreferences<</DisplayDocTitle true>>{extra}>>",
    )
    return w.finish(catalog, info)


def _structure(w: Writer, root: Node, pages: list[PageOut], page_ids: list[int]) -> int:
    """The structure tree: one object per element, its marked content as MCIDs (with the
    page, /Pg, or as MCR dictionaries when on several pages), and the parent tree that maps
    each page's MCIDs back to their elements."""
    tree = w.reserve()
    order = [root]  # parents before their children
    parents = [tree]
    first = len(w.objects)
    k = 0
    while k < len(order):
        node = order[k]
        node.num = first + k
        for kid in node.kids:
            if type(kid) is Node:
                order.append(kid)
                parents.append(first + k)
        k += 1
    refs = [f"{n} 0 R" for n in page_ids]
    bodies = []
    for node, parent in zip(order, parents, strict=True):
        kids = node.kids
        on = {kid[0] for kid in kids if type(kid) is tuple}
        if len(on) == 1:
            extra = f"/Pg {refs[on.pop()]}"
            marks = [f"{kid.num} 0 R" if isinstance(kid, Node) else str(kid[1]) for kid in kids]
        else:
            extra = ""
            marks = [
                f"{kid.num} 0 R"
                if isinstance(kid, Node)
                else f"<</Type/MCR/Pg {refs[kid[0]]}/MCID {kid[1]}>>"
                for kid in kids
            ]
        if node.alt is not None:
            extra += f"/Alt{pdf_string(node.alt)}"
        if node.role == "TH":
            extra += "/A<</O/Table/Scope/Column>>"
        bodies.append(f"<</S/{node.role}/P {parent} 0 R/K[{' '.join(marks)}]{extra}>>".encode())
    w.objects += bodies
    parents_of = " ".join(
        f"{k}[{' '.join([f'{n.num} 0 R' for n in page.marks])}]" for k, page in enumerate(pages)
    )
    parent_tree = w.add(f"<</Nums[{parents_of}]>>")
    w.put(
        tree,
        f"<</Type/StructTreeRoot/K {root.num} 0 R/ParentTree {parent_tree} 0 R"
        f"/ParentTreeNextKey {len(pages)}>>",
    )
    return tree


def _outline(w: Writer, entries: list[OutlineEntry], page_ids: list[int]) -> int | None:
    """Bookmarks, nested by heading level."""
    if not entries:
        return None
    root = w.reserve()
    nums = [w.reserve() for _ in entries]
    parent_of: list[int] = []
    stack: list[tuple[int, int]] = []  # (level, index)
    for k, e in enumerate(entries):
        while stack and stack[-1][0] >= e.level:
            stack.pop()
        parent_of.append(stack[-1][1] if stack else -1)
        stack.append((e.level, k))
    children: dict[int, list[int]] = {}
    for k, p in enumerate(parent_of):
        children.setdefault(p, []).append(k)

    def count(k: int) -> int:
        return sum(1 + count(c) for c in children.get(k, []))

    for k, e in enumerate(entries):
        siblings = children[parent_of[k]]
        at = siblings.index(k)
        parent = root if parent_of[k] < 0 else nums[parent_of[k]]
        parts = [
            f"/Title{pdf_string(e.title)}/Parent {parent} 0 R",
            f"/Dest[{page_ids[e.page]} 0 R/XYZ null {e.y:.1f} null]",
        ]
        if at > 0:
            parts.append(f"/Prev {nums[siblings[at - 1]]} 0 R")
        if at + 1 < len(siblings):
            parts.append(f"/Next {nums[siblings[at + 1]]} 0 R")
        kids = children.get(k)
        if kids:
            parts.append(f"/First {nums[kids[0]]} 0 R/Last {nums[kids[-1]]} 0 R/Count {count(k)}")
        w.put(nums[k], "<<" + "".join(parts) + ">>")
    top = children[-1]
    w.put(
        root,
        f"<</Type/Outlines/First {nums[top[0]]} 0 R/Last {nums[top[-1]]} 0 R/Count {count(-1)}>>",
    )
    return root


def png_image(png: bytes) -> Image:
    """A PNG as an image XObject: 8-bit gray/RGB without interlace goes in as is (its IDAT
    with the PNG predictor); anything else is decoded with Pillow, alpha as a soft mask."""
    return _png_image(png)


@lru_cache(maxsize=32)
def _png_image(png: bytes) -> Image:
    if png[:8] == b"\x89PNG\r\n\x1a\n":
        width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", png[16:29])
        if depth == 8 and color in (0, 2) and not interlace:
            idat = []
            pos = 8
            while pos < len(png):
                length, kind = struct.unpack(">I4s", png[pos : pos + 8])
                if kind == b"IDAT":
                    idat.append(png[pos + 8 : pos + 8 + length])
                elif kind == b"tRNS":
                    break  # transparency: decode
                pos += 12 + length
            else:
                return Image(width, height, 3 if color == 2 else 1, b"".join(idat), True)
    import io

    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(png)) as opened:
        im = opened.convert("RGBA") if opened.mode not in ("RGB", "L") else opened.copy()
    alpha = None
    if im.mode == "RGBA":
        a = im.getchannel("A")
        if a.getextrema() != (255, 255):
            alpha = zlib.compress(a.tobytes(), 1)
        im = im.convert("RGB")
    colors = 3 if im.mode == "RGB" else 1
    return Image(im.width, im.height, colors, zlib.compress(im.tobytes(), 1), False, alpha)
