from __future__ import annotations

import re
from pathlib import Path

from openita.web import i18n

WEB = Path(__file__).resolve().parents[2] / "openita" / "web"
TRANSLATE = re.compile(r"""\{% translate ["']([^"']+)["'] %\}|\b_\(\s*"([^"]+)\"""")
BLOCK = re.compile(r"\{% blocktranslate[^%]*%\}(.*?)\{% endblocktranslate %\}")


def used_msgids() -> set[str]:
    found = set()
    for path in [*WEB.rglob("*.html"), *WEB.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= {a or b for a, b in TRANSLATE.findall(text)}
        found |= {re.sub(r"\{\{ (\w+) \}\}", r"%(\1)s", m) for m in BLOCK.findall(text)}
    return found


def test_compiled_catalogue_is_up_to_date() -> None:
    assert i18n.EN_PO.with_suffix(".mo").read_bytes() == i18n.compile_catalogue()


def test_every_ui_string_has_an_english_translation() -> None:
    catalogue = i18n.parse_po(i18n.EN_PO.read_text(encoding="utf-8"))
    missing = sorted(used_msgids() - set(catalogue))
    assert not missing


def test_po_parser_reads_continued_lines() -> None:
    text = 'msgid ""\nmsgstr "h"\n\n# c\nmsgid "a"\n"b"\nmsgstr "x"\n"y"\n\nmsgid "u"\nmsgstr ""\n'
    assert i18n.parse_po(text) == {"": "h", "ab": "xy"}
