"""Hardening (issue 11): a Content-Security-Policy that every page keeps (no inline script),
compressed pages, WOFF2 font subsets preloaded, a favicon."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from typing import Any

from fontTools.ttLib import TTFont

from openita.web.ui import webfonts
from openita.web.ui.middleware import CONTENT_SECURITY_POLICY
from tests.web.conftest import World
from tests.web.test_every_url import agency_routes, things, url_of  # noqa: F401
from tests.web.test_views import client_for

STATIC = webfonts.OUT_DIR.parent


class _Scripts(HTMLParser):
    """Inline scripts and event-handler attributes, which the policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            kind = (found.get("type") or "text/javascript").lower()
            self._open = "src" not in found and "json" not in kind
        for name, _ in attrs:
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}=…>")
        if tag == "a" and (found.get("href") or "").lower().startswith("javascript:"):
            self.inline.append("javascript: link")

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.inline.append(data.strip()[:60])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = False


def test_the_policy_allows_no_inline_script() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe" not in directives["default-src"] + directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


def test_every_page_has_the_policy_and_needs_no_inline_script(
    world: World,
    things: dict[str, Any],  # noqa: F811
) -> None:
    client = client_for(world, "admin")
    pages = [url_of(r, things) for r in agency_routes()]
    pages += ["/", "/accounts/login/", f"/p/{world.a.pk}/", "/no/such/page/", "/admin/"]
    checked = 0
    for url in pages:
        got = client.get(url)
        if not got.get("Content-Type", "").startswith("text/html"):
            continue
        assert got["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        parser = _Scripts()
        parser.feed(got.content.decode())
        assert parser.inline == [], (url, parser.inline)
        checked += 1
    assert checked >= 30


def test_pages_are_sent_compressed(world: World) -> None:
    client = client_for(world, "officer_a")
    got = client.get(f"/agencies/{world.a.pk}/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert got["Content-Encoding"] == "gzip"
    assert "หน่วยงาน" in gzip.decompress(got.content).decode()


def test_fonts_are_small_woff2_subsets_with_every_thai_character() -> None:
    css = (STATIC / "site.css").read_text(encoding="utf-8")
    assert ".ttf" not in css and css.count('format("woff2")') == 2
    for face in webfonts.FACES:
        path = webfonts.OUT_DIR / f"{face}.woff2"
        data = path.read_bytes()
        assert data[:4] == b"wOF2" and len(data) < 30 * 1024, (face, len(data))
        font = TTFont(path)
        cmap = font.getBestCmap()
        thai = [c for c in range(0x0E01, 0x0E3B)] + [c for c in range(0x0E3F, 0x0E5C)]
        missing = [hex(c) for c in thai + list(range(0x20, 0x7F)) if c not in cmap]
        assert missing == [], (face, missing)
        assert "GPOS" in font and "GSUB" in font  # Thai marks still placed by the font
        # The kept file is the subset of the installed Sarabun (regenerate if this fails).
        fresh = TTFont(
            __import__("io").BytesIO(webfonts.subset_woff2(webfonts.source(face).read_bytes()))
        )
        assert fresh.getBestCmap() == cmap


def test_the_first_paint_fonts_are_preloaded_and_there_is_a_favicon(world: World) -> None:
    client = client_for(world, "officer_a")
    page = client.get("/").content.decode()
    preloads = re.findall(
        r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', page
    )
    assert sorted(preloads) == [
        "/static/openita/fonts/Sarabun-Bold.woff2",
        "/static/openita/fonts/Sarabun-Regular.woff2",
    ]
    assert '<link rel="icon" href="/static/openita/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"] == "/static/openita/favicon.svg"
    assert (STATIC / "favicon.svg").read_text().startswith("<svg")
