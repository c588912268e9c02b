"""Thai word breaking with PyThaiNLP's dictionary, quick to load.

PyThaiNLP's newmm cuts Thai into words with its dictionary of about 62,000 words, held in a
character trie that takes about half a second of CPU to build: most of a cold command's time
(a plan as PDF from a fresh process). newmm asks the dictionary one thing, the words that
start a text at a position (``prefixes``), so a set of the words and the longest word under
each three-letter head answer it as well: built about 15 times faster, the same words at the
same speed (tests/text/test_dictionary.py compares both on the frameworks' texts).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")  # before PyThaiNLP is imported
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from pythainlp.util import Trie

HEAD = 3  # letters that key the longest word: short enough to hold few keys, long enough to bound


class WordSet(Trie):
    """PyThaiNLP's ``Trie`` interface (``prefixes``, ``in``, ``len``, iteration, ``add``)
    over a set of words."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words: set[str] = {w.strip() for w in words}
        self._words.discard("")
        longest: dict[str, int] = {}
        for word in self._words:
            head = word[:HEAD]
            if len(word) > longest.get(head, 0):
                longest[head] = len(word)
        self._longest = longest

    def add(self, word: str) -> None:
        word = word.strip()
        if not word:
            return
        self._words.add(word)
        head = word[:HEAD]
        if len(word) > self._longest.get(head, 0):
            self._longest[head] = len(word)

    def remove(self, word: str) -> None:
        self._words.discard(word)  # the bound may stay longer than needed: still right

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """The dictionary words ``text`` has at ``start``, shortest first."""
        words, end = self._words, len(text)
        found = [text[start:stop] for stop in range(start + 1, min(end, start + HEAD - 1) + 1)]
        found = [w for w in found if w in words]
        longest = self._longest.get(text[start : start + HEAD])
        if longest:
            for stop in range(start + HEAD, min(end, start + longest) + 1):
                piece = text[start:stop]
                if piece in words:
                    found.append(piece)
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __len__(self) -> int:
        return len(self._words)

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)


@cache
def words() -> WordSet:
    """PyThaiNLP's default word dictionary (``pythainlp.corpus.thai_words``)."""
    from pythainlp.corpus import thai_words

    return WordSet(thai_words())


def segment(text: str) -> list[str]:
    """``text`` cut into words by newmm with the default dictionary, spaces kept as their own
    pieces: what ``pythainlp.tokenize.word_tokenize(text, engine="newmm")`` gives."""
    from pythainlp.tokenize import word_tokenize

    found: list[str] = word_tokenize(
        text, custom_dict=words(), engine="newmm", keep_whitespace=True
    )
    return found
