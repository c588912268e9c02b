"""A checker of line ends: does a line of a PDF end inside a Thai word?

Lines are read with MuPDF (its positions, not the renderer's); two lines follow each other in
one paragraph or cell when the second starts just under the first and they overlap
horizontally. The junction splits a word when a word runs on across it (a dictionary word
starting with the first line's last word, or that last word is not in the dictionary) and
PyThaiNLP's segmentation of the two joined puts no boundary at the junction. Independent of the
renderer's own segmentation: it reads only the PDF.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_THAI_TAIL = re.compile(r"[\u0e01-\u0e4e]+$")
_THAI_HEAD = re.compile(r"^[\u0e01-\u0e4e]+")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


def pdf_lines(data: bytes) -> list[list[_Line]]:
    """Each page's text lines, in content order, with their boxes (MuPDF)."""
    import pymupdf

    pages = []
    with pymupdf.open(stream=data, filetype="pdf") as opened:
        for page in opened:
            lines = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    text = "".join(span["text"] for span in line["spans"])
                    if text.strip():
                        x0, y0, x1, y1 = line["bbox"]
                        lines.append(_Line(text, x0, x1, y0, y1))
            pages.append(lines)
    return pages


def _words(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if w.strip()]


def _splits_word(tail: str, head: str) -> bool:
    """Whether ``tail`` (a line's last word) and ``head`` (the next line's Thai run) are one
    word cut in two: a dictionary word, or a word not in the dictionary, runs on across the
    junction, and PyThaiNLP's segmentation of the two joined puts no boundary there."""
    from pythainlp.tokenize import word_dict_trie

    words = word_dict_trie()
    joined = tail + head
    across = any(len(w) > len(tail) for w in words.prefixes(joined))
    if not across and tail in words:
        return False
    at = 0
    for word in _words(joined):
        if at < len(tail) < at + len(word):
            return True
        at += len(word)
    return False


def junctions(pages: list[list[_Line]]) -> list[tuple[str, str]]:
    """(end of a line, start of the next line) of every line that continues on the next."""
    out = []
    for lines in pages:
        for a, b in itertools.pairwise(lines):
            height = a.y1 - a.y0
            below = 0.4 * height < b.y0 - a.y0 < 1.9 * height
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0) > 0
            if below and overlap:
                out.append((a.text.rstrip(), b.text.lstrip()))
    return out


def in_word_breaks(pages: list[list[_Line]], source: str = "") -> list[str]:
    """Every line end that splits a Thai word, as ``tail|head``. ``source``: the document's
    own text; a line end where it has a space (ขนบธรรมเนียม ประเพณี) is a break the writer
    allowed, not a cut, even when the two sides also make a dictionary word."""
    found = []
    spaced = re.sub(r"[\s\u200b\u2060]+", " ", source)
    for end, start in junctions(pages):
        if end != end.rstrip() or not end or not start:
            continue
        tail_match = _THAI_TAIL.search(end)
        head_match = _THAI_HEAD.search(start)
        if tail_match is None or head_match is None:
            continue
        if start[head_match.end() : head_match.end() + 1] == ".":
            continue  # an abbreviation (พ.ศ.) starts the line: a word of its own
        tail_words = _words(tail_match.group())
        if not tail_words:
            continue
        tail, head = tail_words[-1], head_match.group()
        if spaced and f"{tail} {head}" in spaced:
            continue
        if _splits_word(tail, head):
            found.append(f"{tail}|{head}")
    return found
