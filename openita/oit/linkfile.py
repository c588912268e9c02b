"""Reading a list of OIT links: ``code,url`` rows, or an exported checklist.

A CSV in UTF-8 (with or without BOM) or TIS-620/cp874, with or without a header row. With a
header, the code column is one of ``code``/``item``/``ข้อ``/``รหัส`` and the URL column one of
``url``/``urls``/``link``/``ลิงก์``/``URL``; other columns (a title, a note) are ignored. A file
with a title column is an exported checklist: its items without links are skipped (in a plain
``code,url`` list a row without a URL is a slip, and refused). A cell
may hold several URLs separated by white space, ``;`` or ``|``: each is checked. Codes are
written as agencies write them (``o5``, ``O5``, ``O05``) and must be items of the framework.
Every problem is collected with its row; nothing is checked when there is one.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openita.frameworks import Framework
from openita.importers.scores import FileProblem, InputInvalid, decode_text
from openita.oit.linkcheck import Link, url_problem

CODE_HEADERS = {"code", "item", "ข้อ", "รหัส", "รหัสข้อ", "ตัวชี้วัด"}
URL_HEADERS = {"url", "urls", "link", "links", "ลิงก์", "ลิ้งก์", "ที่อยู่เว็บไซต์", "url(s)"}
TITLE_HEADERS = {"title", "หัวข้อ", "ชื่อข้อ", "รายการ"}
_SPLIT = re.compile(r"[\s;|]+")
MAX_BYTES = 5 * 1024 * 1024


def normalise_code(raw: str) -> str | None:
    """``O05`` -> ``o5``; None when it does not look like an OIT item code."""
    match = re.fullmatch(r"\s*[oO]\s*0*(\d{1,3})\s*", raw.translate(_THAI_DIGITS))
    return f"o{int(match.group(1))}" if match else None


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def read_links(path: Path, framework: Framework, *, year: int | None = None) -> list[Link]:
    """The links of a file, each with its item's title (for the content checks) and year."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputInvalid([FileProblem(name, None, f"cannot be read ({exc.strerror})")]) from None
    if len(data) > MAX_BYTES:
        raise InputInvalid([FileProblem(name, None, "is over 5 MB: not a list of links")])
    text = decode_text(data, name)
    rows = list(csv.reader(io.StringIO(text)))
    problems: list[FileProblem] = []
    code_col, url_col, start = 0, 1, 0
    exported = False  # an exported checklist lists every item, those without links too
    if rows:
        header = [c.strip().lower() for c in rows[0]]
        looks_like_data = any(normalise_code(c) for c in header) or any(
            c.startswith(("http://", "https://")) for c in header
        )
        if not looks_like_data:
            code_col = next((i for i, h in enumerate(header) if h in CODE_HEADERS), -1)
            url_col = next((i for i, h in enumerate(header) if h in URL_HEADERS), -1)
            start = 1
            exported = any(h in TITLE_HEADERS for h in header)
            if code_col < 0 or url_col < 0:
                missing = "code (code/item/ข้อ)" if code_col < 0 else "url (url/link/ลิงก์)"
                raise InputInvalid([FileProblem(name, 1, f"the header has no {missing} column")])
    oit = next((t for t in framework.tools if t.kind == "checklist"), None)
    known = {i.code: i for i in oit.items} if oit is not None else {}
    links: list[Link] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(code_col, url_col):
            problems.append(FileProblem(name, number, "needs a code and a URL"))
            continue
        raw_code, cell = row[code_col].strip(), row[url_col].strip()
        code = normalise_code(raw_code)
        if code is None or code not in known:
            some = ", ".join(sorted(known, key=lambda c: int(c[1:]))[:3])
            problems.append(
                FileProblem(
                    name,
                    number,
                    f"unknown OIT item {raw_code!r} in {framework.id} "
                    f"(items {some}…{f', o{len(known)}' if known else ''})",
                )
            )
            continue
        urls = [u for u in _SPLIT.split(cell) if u]
        if not urls:
            if not exported:
                problems.append(FileProblem(name, number, f"{code}: no URL"))
            continue
        for url in urls:
            why = url_problem(url)
            if why is not None:
                problems.append(FileProblem(name, number, f"{code}: the URL {url!r} {why}"))
                continue
            item = known[code]
            title = item.text if getattr(item, "title_known", True) else None
            links.append(Link(code=code, url=url, title=title, year=year))
    if problems:
        raise InputInvalid(problems)
    if not links:
        raise InputInvalid([FileProblem(name, None, "has no code,url rows")])
    return links
