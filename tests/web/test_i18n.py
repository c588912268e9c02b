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


def test_compiled_catalogues_are_up_to_date() -> None:
    for po in i18n.catalogues():
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.read_bytes() == i18n.compile_catalogue(po), po


def test_every_ui_string_has_an_english_translation() -> None:
    missing = sorted(used_msgids() - set(i18n.all_entries()))
    assert not missing


def test_po_parser_reads_continued_lines() -> None:
    text = 'msgid ""\nmsgstr "h"\n\n# c\nmsgid "a"\n"b"\nmsgstr "x"\n"y"\n\nmsgid "u"\nmsgstr ""\n'
    assert i18n.parse_po(text) == {"": "h", "ab": "xy"}


def test_catalogues_agree_where_they_share_a_msgid() -> None:
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in i18n.catalogues():
        for msgid, english in i18n.parse_po(po.read_text(encoding="utf-8")).items():
            if msgid and msgid in seen and seen[msgid][0] != english:
                clashes.append(f"{msgid!r}: {seen[msgid]} vs {english!r} in {po}")
            seen.setdefault(msgid, (english, str(po)))
    assert not clashes
