"""The same DOCX bytes every time for the same document.

A DOCX is a zip archive; python-docx writes each member with the current time, and the core
properties (``docProps/core.xml``) carry the moment of writing as ``dcterms:created`` and
``dcterms:modified``. Two downloads of one document would then differ, and the SHA-256 on the
public page would match only the copy made when it was published. ``stable_docx`` rewrites the
package deterministically: the members in a fixed order (``[Content_Types].xml`` first, as
Office expects, then the package relationships, then every other part by name), each with the
same fixed date and attributes and the same compression, and the two timestamps removed from
the core properties (they are optional; Word shows none rather than a wrong one). The content
of every other part is kept byte for byte. ``render_docx`` calls it as its last step.
"""

from __future__ import annotations

import io
import re
import zipfile

FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
FIRST = ("[Content_Types].xml", "_rels/.rels")
_TIMESTAMPS = re.compile(
    rb"<dcterms:(created|modified)\b[^>]*?(?:/>|>[^<]*</dcterms:\1>)", re.DOTALL
)


def _order(names: list[str]) -> list[str]:
    first = [n for n in FIRST if n in names]
    return first + sorted(n for n in names if n not in FIRST)


def stable_core(xml: bytes) -> bytes:
    """The core properties without the moments of writing."""
    return _TIMESTAMPS.sub(b"", xml)


def stable_docx(data: bytes) -> bytes:
    """The package rewritten so that the same content gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = stable_core(parts["docProps/core.xml"])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in _order(list(parts)):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o600 << 16
            target.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()
