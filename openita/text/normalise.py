"""Thai text normalisation for matching (not for printing).

Below every feature that compares Thai text written by different people and programs: the
OIT link checker and crawl, the frameworks' title comparisons. Documents keep the text as
written; this module only builds comparison keys.
"""

from __future__ import annotations

import re
import unicodedata

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
# Zero-width and format characters that editors and PDF extractors leave in Thai text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """A comparison key: NFC, sara am composed (ํ + า -> ำ), no zero-width characters, Thai
    digits as Arabic, lower case Latin, runs of white space as one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    # Sara am typed or extracted as nikhahit + sara aa, possibly with a tone mark between.
    text = re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)
    # A tone mark stored before the upper vowel it sits on (เร่ือง for เรื่อง).
    text = re.sub("([\u0e48-\u0e4c])([\u0e31\u0e34-\u0e37\u0e47])", "\\2\\1", text)
    text = text.translate(_TO_ARABIC).casefold()
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """``normalise`` without any spaces: Thai is written without spaces between words, and
    the same phrase appears with and without them."""
    return normalise(text).replace(" ", "")
