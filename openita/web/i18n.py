"""Compile the English catalogue (.po -> .mo) in pure Python, so no GNU gettext is needed.

UI strings are written in Thai (the msgids); ``locale/en/LC_MESSAGES/django.po`` gives their
English: the site-wide one under ``openita/web/locale`` and one per app that has its own
(``openita/web/<app>/locale``; Django merges them all). Each compiled ``django.mo`` is kept
beside its ``.po``; a test fails when one is stale. Regenerate them all with
``python -m openita.web.i18n``. Supports what the catalogue uses: comments,
``msgid``/``msgstr`` with continued lines, and the header entry; no plurals or contexts.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
WEB_DIR = LOCALE_DIR.parent


def catalogues() -> list[Path]:
    """Every English ``django.po`` of the web app: the site-wide one first, then per app."""
    per_app = sorted(WEB_DIR.glob("*/locale/en/LC_MESSAGES/django.po"))
    return [EN_PO, *per_app]


def all_entries() -> dict[str, str]:
    """msgid -> English over every catalogue (what Django sees once it has merged them)."""
    merged: dict[str, str] = {}
    for po in catalogues():
        merged.update(parse_po(po.read_text(encoding="utf-8")))
    return merged


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr; untranslated entries (empty msgstr) are left out, except the header."""
    entries: dict[str, str] = {}
    key: str | None = None
    parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}

    def flush() -> None:
        msgid, msgstr = "".join(parts["msgid"]), "".join(parts["msgstr"])
        if key is not None and (msgstr or not msgid):
            entries[msgid] = msgstr
        parts["msgid"], parts["msgstr"] = [], []

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            flush()
            key, line = "msgid", line[6:]
        elif line.startswith("msgstr "):
            key, line = "msgstr", line[7:]
        elif not line.startswith('"') or key is None:
            raise ValueError(f"django.po:{number}: cannot read {raw!r}")
        parts[key].append(ast.literal_eval(line))
    flush()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    """The GNU .mo format: header, sorted original and translated string tables, strings."""
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    n = len(keys)
    start = 7 * 4 + 16 * n
    offsets, blob = [], b""
    for data in [*ids, *strs]:
        offsets.append((len(data), start + len(blob)))
        blob += data + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    tables = b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return header + tables + blob


def compile_catalogue(po: Path = EN_PO) -> bytes:
    return mo_bytes(parse_po(po.read_text(encoding="utf-8")))


def main() -> None:
    for po in catalogues():
        po.with_suffix(".mo").write_bytes(compile_catalogue(po))


if __name__ == "__main__":
    main()
