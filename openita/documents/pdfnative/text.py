"""Words and lines: where a line may break, and greedy line filling.

A line may break at a space, and between two Thai words as PyThaiNLP (newmm) finds them (the
same segmentation the HTML route uses), never inside a word; numbers and Latin words stay
whole. A single word wider than the whole line is cut as a last resort, between syllables
(never inside one); tables first widen the column or set a smaller size (``layout``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from openita.documents import model as m
from openita.documents.html import thai_words
from openita.documents.pdfnative.fonts import FaceName, Piece, pieces

# Spaces break a line, except the no-break space (U+00A0: พ.ศ. 2566, a number and its unit,
# see ``thai.keep_together``), which stays inside the word it joins.
_TOKENS = re.compile(r"([^\S\u00a0]+)|([\u0e00-\u0e7f]+)|([^\s\u0e00-\u0e7f]+|\u00a0)")


def face_of(run: m.Run, bold: bool = False) -> FaceName:
    heavy = run.bold or bold
    if run.italic:
        return "BoldItalic" if heavy else "Italic"
    return "Bold" if heavy else "Regular"


@dataclass
class Word:
    """Pieces that must stay on one line."""

    pieces: list[Piece] = field(default_factory=list)
    width: float = 0.0


@dataclass
class Line:
    items: list[tuple[float, Piece]]  # x from the line's start
    width: float
    body: str | None = None  # its text operators after the position, once drawn
    glyphs: dict[FaceName, set[int]] | None = None  # the glyphs it uses, by face


@dataclass
class _Atom:
    text: str
    face: FaceName
    underline: bool
    space: bool
    thai: bool
    break_before: bool


_URL_BREAKS = re.compile(r"(?<=[^/:]/)(?=[^/])|(?<=\w)(?=[?&])|(?<=\w[.-])(?=\w)")


def _atoms(text: m.Text, bold: bool) -> list[_Atom]:
    out: list[_Atom] = []
    for run in text:
        name = face_of(run, bold)
        first = True
        for match in _TOKENS.finditer(run.text):
            spaces, thai, other = match.groups()
            if spaces is not None:
                out.append(_Atom(" ", name, run.underline, True, False, True))
            elif thai is not None:
                for k, w in enumerate(x for x in thai_words(thai) if x):
                    # across a run boundary, a break only between two Thai words
                    brk = k > 0 or (
                        bool(out) and (out[-1].text.endswith("/") or (first and out[-1].thai))
                    )
                    out.append(_Atom(w, name, run.underline, False, True, brk))
            else:
                # a break after a slash (ผลลัพธ์/ความสำเร็จ), as browsers allow; inside a web
                # address too (after each single slash, dot and hyphen, before ? and &), so a
                # URL in a narrow cell breaks where a reader expects rather than widening it
                parts = (
                    _URL_BREAKS.split(other)
                    if ("://" in other or other.startswith("www."))
                    else [other]
                )
                for k, part in enumerate(p for p in parts if p):
                    brk = k > 0 or (bool(out) and out[-1].text.endswith("/") and not out[-1].space)
                    out.append(_Atom(part, name, run.underline, False, False, brk))
            first = False
    return out


Item = Word | Piece | None  # a word, a space (break here or show it), a bare break


def items_of(text: m.Text, size: float, bold: bool = False) -> tuple[Item, ...]:
    """The text as words, spaces (``Piece``) and bare break opportunities (``None``).

    Not cached: the broken lines are (``layout._LINES``) and so are the shaped pieces
    (``fonts.pieces``), the costly part; a cache here was hit by about one call in ten (the
    same text at another width) but kept every word of every text alive, a third of what the
    cyclic collector walked in a batch of plans (about 1 ms a plan)."""
    return tuple(_items(text, size, bold))


def _items(text: m.Text, size: float, bold: bool) -> list[Item]:
    out: list[Item] = []
    word: Word | None = None
    pending: list[_Atom] = []  # atoms of the current word not shaped yet (same face)

    def shape_pending() -> None:
        if pending and word is not None:
            joined = "".join(a.text for a in pending)
            for p in pieces(pending[0].face, size, joined, pending[0].underline):
                word.pieces.append(p)
                word.width += p.width
            pending.clear()

    for atom in _atoms(text, bold):
        if atom.space:
            shape_pending()
            word = None
            if out and isinstance(out[-1], Piece):
                continue  # spaces collapse
            out.append(pieces(atom.face, size, " ", atom.underline)[0])
            continue
        if word is None or atom.break_before:
            shape_pending()
            if word is not None:
                out.append(None)
            word = Word()
            out.append(word)
        if pending and (pending[0].face != atom.face or pending[0].underline != atom.underline):
            shape_pending()
        pending.append(atom)
    shape_pending()
    return out


@lru_cache(maxsize=4096)
def _dictionary_cuts(text: str) -> frozenset[int]:
    """Where a word too wide for its table cell may be cut: after each dictionary word it
    starts with (ผู้|รับ|ผิดชอบ, ดำเนิน|การ), as a browser cuts it with its own dictionary.
    PyThaiNLP's word trie, already loaded for word breaking."""
    if not re.match(r"[\u0e01-\u0e4e]", text):
        return frozenset()
    from openita.text.dictionary import words

    return frozenset(len(w) for w in words().prefixes(text) if len(w) < len(text))


@lru_cache(maxsize=4096)
def _syllable_cuts(text: str) -> frozenset[int]:
    """The syllable boundaries inside a Thai text (PyThaiNLP's syllable dictionary, loaded
    only when a word has to be cut); empty for other text."""
    if not re.match(r"[\u0e01-\u0e4e]", text):
        return frozenset()
    from pythainlp.tokenize import syllable_tokenize

    cuts: set[int] = set()
    pos = 0
    for syllable in syllable_tokenize(text, engine="dict"):
        pos += len(syllable)
        cuts.add(pos)
    cuts.discard(len(text))
    return frozenset(cuts)


def _split_word(word: Word, room: float) -> tuple[Word, Word]:
    """Cut a word too wide for its line, the last resort: between syllables (after a
    dictionary word when one fits), never inside a syllable; text that is not Thai between
    grapheme clusters. At least one syllable (or cluster) goes first."""
    head = Word()
    for index, p in enumerate(word.pieces):
        if head.width + p.width <= room:
            head.pieces.append(p)
            head.width += p.width
            continue
        thai = re.match(r"[\u0e01-\u0e4e]", p.text) is not None
        syllables = _syllable_cuts(p.text)
        words = _dictionary_cuts(p.text) & syllables
        fits = [o for o, x in p.clusters if o and head.width + x <= room]
        cut = max((o for o in fits if o in words), default=0)
        if cut == 0:
            cut = max((o for o in fits if not thai or o in syllables), default=0)
        if cut == 0 and not head.pieces:  # nothing fits: one syllable (or cluster) overflows
            if thai:
                cut = min(syllables, default=len(p.text))
            else:
                cut = p.clusters[1][0] if len(p.clusters) > 1 else len(p.text)
        tail = Word()
        if cut:
            first = pieces(p.face, p.size, p.text[:cut], p.underline)
            head.pieces += first
            head.width += sum(x.width for x in first)
        rest = [*pieces(p.face, p.size, p.text[cut:], p.underline)] if cut < len(p.text) else []
        tail.pieces = rest + word.pieces[index + 1 :]
        tail.width = sum(x.width for x in tail.pieces)
        return head, tail
    return head, Word()


def widest_word(items: tuple[Item, ...]) -> float:
    """The width of the widest piece of the text that no line break may split."""
    return max((i.width for i in items if isinstance(i, Word)), default=0.0)


def break_lines(items: tuple[Item, ...], width: float, first_indent: float = 0.0) -> list[Line]:
    """Greedy filling: as many words on each line as fit ``width`` (the first line starts at
    ``first_indent``)."""
    lines: list[Line] = []
    current: list[tuple[float, Piece]] = []
    x = first_indent
    pending_space: Piece | None = None
    queue = list(items)
    k = 0
    while k < len(queue):
        item = queue[k]
        k += 1
        if item is None:
            continue
        if isinstance(item, Piece):
            if current:
                pending_space = item
            continue
        gap = pending_space.width if (pending_space is not None and current) else 0.0
        if current and x + gap + item.width > width + 0.01:
            lines.append(Line(current, x))
            current, x, pending_space, gap = [], 0.0, None, 0.0
        if not current and x + item.width > width + 0.01:
            head, tail = _split_word(item, width - x)
            if tail.pieces:
                queue.insert(k, tail)
            item = head
        if gap and pending_space is not None:
            current.append((x, pending_space))
            x += gap
        pending_space = None
        for p in item.pieces:
            current.append((x, p))
            x += p.width
    if current or not lines:
        lines.append(Line(current, x))
    return lines
