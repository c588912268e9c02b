"""The quick-to-load dictionary gives the words PyThaiNLP's own trie gives: the same prefixes
at every position and the same newmm words, on every Thai text of the frameworks and the
example plan."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pythainlp.tokenize import word_dict_trie, word_tokenize

from openita.frameworks import loader
from openita.text import dictionary
from tests.conftest import EXAMPLES

THAI = re.compile(r"[\u0e00-\u0e7f]+")


def _thai_runs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(loader.BUILTIN_DIR.glob("*.yaml"))]
    texts.append((EXAMPLES / "bansong-plan-2566.yaml").read_text(encoding="utf-8"))
    return sorted({run for text in texts for run in THAI.findall(text)})


def test_the_same_words_as_pythainlp_on_every_framework_text() -> None:
    runs = _thai_runs()
    assert len(runs) > 400
    for run in runs:
        assert dictionary.segment(run) == word_tokenize(run, engine="newmm"), run


def test_the_same_prefixes_as_the_trie_at_every_position() -> None:
    trie, ours = word_dict_trie(), dictionary.words()
    assert len(ours) == len(trie)
    for run in _thai_runs()[:200]:
        for start in range(len(run)):
            assert ours.prefixes(run, start) == trie.prefixes(run, start), (run, start)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("กขคงจนมยรลวสหอะัาำิีึืุู่้๊๋็์เแโใไ ปผพฟทดตบ"), max_size=40))
def test_the_same_words_on_any_thai_letters(text: str) -> None:
    assert dictionary.segment(text) == word_tokenize(text, engine="newmm")


def test_membership_and_adding() -> None:
    found = dictionary.WordSet(["สวัสดี", "สวัส", " ดี ", "ครับ", ""])
    assert len(found) == 4 and "ดี" in found and "" not in found
    assert found.prefixes("สวัสดีครับ") == ["สวัส", "สวัสดี"]
    assert found.prefixes("สวัสดีครับ", 6) == ["ครับ"]
    found.add("สวัสดีครับผม")
    assert found.prefixes("สวัสดีครับผม") == ["สวัส", "สวัสดี", "สวัสดีครับผม"]
