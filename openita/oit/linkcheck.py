"""The OIT link checker: is each published link there, what it says it is, and current?

Every URL of an agency's OIT list is fetched concurrently, politely (a small number of
connections per host, timeouts on connecting and on the whole check, at most ``max_bytes``
read of any answer) and judged:

==================  =====================================================================
problem             meaning
==================  =====================================================================
``unreachable``     no answer: the name does not resolve, the connection is refused or dropped
``timeout``         no complete answer within the time limit
``http_error``      the server answered 4xx or 5xx (``status`` says which)
``redirect_loop``   redirects that never end (or more than ``max_redirects``)
``redirect_home``   the link leads to the site's home page, not to the page it names
``wrong_type``      a file that is not what its name or type says (a ".pdf" that is HTML)
``empty``           an empty file or a page with (almost) no text
``tiny_file``       a document file so small it cannot hold the evidence
``no_item``         a page that does not mention the item it is given for
``no_year``         a page that does not mention the fiscal year it must cover
``unchanged``       the same content as the same link had in an earlier year
==================  =====================================================================

Pure of the web app: the command line and the web app's background task both call
:func:`check_links`; what history to compare with is passed in.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import re
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from openita.oit import aio
from openita.text.normalise import compact

PROBLEMS: dict[str, str] = {
    "unreachable": "เปิดไม่ได้ (ไม่มีการตอบกลับจากเซิร์ฟเวอร์)",
    "timeout": "เปิดไม่ได้ภายในเวลาที่กำหนด",
    "http_error": "เซิร์ฟเวอร์ตอบว่าเกิดข้อผิดพลาด",
    "redirect_loop": "ลิงก์พาไปวนซ้ำไม่สิ้นสุด",
    "redirect_home": "ลิงก์พาไปหน้าแรกของเว็บไซต์ ไม่ใช่หน้าของข้อนี้",
    "wrong_type": "ไฟล์ไม่ใช่ชนิดที่ชื่อไฟล์ระบุ",
    "empty": "ไฟล์หรือหน้าเว็บว่างเปล่า",
    "tiny_file": "ไฟล์มีขนาดเล็กผิดปกติ",
    "no_item": "หน้าเว็บไม่กล่าวถึงหัวข้อของข้อนี้",
    "no_year": "หน้าเว็บไม่กล่าวถึงปีงบประมาณที่ต้องเผยแพร่",
    "unchanged": "เนื้อหาเหมือนเดิมกับปีก่อน",
}
PROBLEMS_EN: dict[str, str] = {
    "unreachable": "cannot be opened (no answer from the server)",
    "timeout": "no complete answer within the time limit",
    "http_error": "the server answered with an error",
    "redirect_loop": "the link redirects in a loop",
    "redirect_home": "the link leads to the site's home page, not to this item's page",
    "wrong_type": "the file is not of the type its name says",
    "empty": "the file or page is empty",
    "tiny_file": "the file is suspiciously small",
    "no_item": "the page does not mention this item",
    "no_year": "the page does not mention the fiscal year it must cover",
    "unchanged": "the content is the same as in an earlier year",
}

# What a file's first bytes must look like, by the extension of its URL path.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF8",),
}
_HOME_PATHS = {"", "/", "/index.php", "/index.html", "/index.htm", "/home", "/main"}
_TAG_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_TITLE_WORDS = re.compile(r"[\u0e00-\u0e7fA-Za-z0-9]+")
_YEAR_SPAN = re.compile(r"(?<!\d)(2[45]\d\d)\s*[-–]\s*(2[45]\d\d)(?!\d)")
TINY_FILE_BYTES = 1024
MIN_PAGE_TEXT = 40


@dataclass(frozen=True)
class Link:
    """One URL to check, for one OIT item (``title`` and ``year`` enable the content checks)."""

    code: str
    url: str
    title: str | None = None
    year: int | None = None  # the fiscal year (B.E.) the evidence must cover


@dataclass
class LinkResult:
    code: str
    url: str
    ok: bool
    status: int | None
    problem: str | None
    detail: str = ""
    final_url: str | None = None
    content_type: str | None = None
    size: int | None = None  # bytes read (up to the limit)
    sha256: str | None = None
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        """The ``openita oit check --json`` shape (docs/cli.md)."""
        return {
            "code": self.code,
            "url": self.url,
            "ok": self.ok,
            "status": self.status,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class Limits:
    """Politeness and patience: connections in all and per host, seconds, bytes."""

    concurrency: int = 32
    per_host: int = 4
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0
    max_bytes: int = 2_000_000
    max_redirects: int = 10
    user_agent: str = "OpenITA-linkcheck/1 (+https://github.com/openita)"


class _Hosts:
    """Per host: a gate of ``per_host`` places and a client of its own whose pool holds at
    most that many connections (one shared pool for every host scans all its connections on
    every request: the cost grows with the number of hosts)."""

    def __init__(self, limits: Limits, transport: httpx.AsyncBaseTransport | None) -> None:
        self.limits = limits
        self.transport = transport
        # One TLS context for every client: loading the CA store costs ~0.1 s each time.
        self.tls = ssl.create_default_context()
        self.gates: dict[str, asyncio.Semaphore] = {}
        self.clients: dict[str, httpx.AsyncClient] = {}

    def of(self, url: str) -> tuple[asyncio.Semaphore, httpx.AsyncClient]:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self.gates:
            limits = self.limits
            self.gates[host] = asyncio.Semaphore(limits.per_host)
            self.clients[host] = httpx.AsyncClient(
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                timeout=httpx.Timeout(
                    limits.read_timeout, connect=limits.connect_timeout, pool=limits.total_timeout
                ),
                limits=httpx.Limits(
                    max_connections=limits.per_host, max_keepalive_connections=limits.per_host
                ),
                headers={"User-Agent": limits.user_agent, "Accept-Encoding": "gzip, deflate"},
                transport=self.transport,
                verify=self.tls,
            )
        return self.gates[host], self.clients[host]

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()


def url_problem(url: str) -> str | None:
    """Why a URL cannot be checked at all (None when it can): the command refuses such input."""
    if any(c.isspace() for c in url.strip()):
        return "contains spaces"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        return "is not an http:// or https:// address"
    if not parts.hostname:
        return "has no host name"
    try:
        _ = parts.port
    except ValueError:
        return "has a bad port number"
    return None


def _charset(body: bytes, content_type: str | None) -> str | None:
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if charset is None:
        meta = _CHARSET.search(body[:4096])
        if meta:
            charset = meta.group(1).decode("ascii").lower()
    if charset in ("tis-620", "tis620", "iso-8859-11", "windows-874"):
        charset = "cp874"
    return charset


def decode_html(body: bytes, content_type: str | None) -> str:
    """An HTML page as text, by its declared charset (header, then meta), else UTF-8, else
    Thai Windows (cp874): the two encodings Thai sites use."""
    for encoding in (_charset(body, content_type), "utf-8", "cp874"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", errors="replace")


def page_text(body: bytes, content_type: str | None) -> str:
    """The visible text of an HTML page (scripts, styles, comments and tags removed)."""
    return html.unescape(_TAG_TEXT.sub(" ", decode_html(body, content_type)))


def mentions_title(text_key: str, title: str, code: str) -> bool:
    """Whether a page (its ``compact`` key) mentions an item: its code as agencies label it
    (``O5``), the whole title, or most of the title's words."""
    number = re.sub(r"\D", "", code)
    if number and re.search(rf"(?<![a-z0-9])o0*{number}(?![0-9])", text_key):
        return True
    key = compact(title)
    if key and key in text_key:
        return True
    words = [compact(w) for w in _TITLE_WORDS.findall(title)]
    words = [w for w in words if len(w) >= 3]
    if not words:
        return True
    # Thai titles are runs without spaces: compare pieces of each run too.
    pieces: list[str] = []
    for w in words:
        pieces.extend(w[i : i + 6] for i in range(0, max(len(w) - 5, 1), 3))
    found = sum(1 for p in pieces if p in text_key)
    return found >= 0.6 * len(pieces)


def mentions_year(text_key: str, url: str, year: int) -> bool:
    """Whether a page or its address names the fiscal year (B.E. year, the B.E. year it
    starts in, or their C.E. years)."""
    years = {year, year - 1, year - 543, year - 544}
    haystack = text_key + " " + url
    if any(re.search(rf"(?<!\d){y}(?!\d)", haystack) for y in years):
        return True
    # A span of years that covers it (แผนพัฒนาท้องถิ่น พ.ศ. 2566-2570).
    for first, last in _YEAR_SPAN.findall(haystack):
        if int(first) <= year <= int(last) and int(last) - int(first) <= 10:
            return True
    return False


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type and ("html" in content_type.lower() or "xml" in content_type.lower()):
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def judge(
    link: Link,
    status: int,
    final_url: str,
    content_type: str | None,
    body: bytes,
    *,
    redirected: bool,
    earlier: Mapping[str, str] | None = None,
) -> tuple[str | None, str]:
    """The problem with an answer (None when fine) and a detail line, in English."""
    if status >= 400:
        return "http_error", f"HTTP {status}"
    original = urlsplit(link.url)
    final = urlsplit(final_url)
    if (
        redirected
        and final.path.rstrip("/") in {p.rstrip("/") for p in _HOME_PATHS}
        and original.path.rstrip("/") not in {p.rstrip("/") for p in _HOME_PATHS}
        and not final.query
    ):
        return "redirect_home", f"redirected to {final_url}"
    extension = "." + original.path.rsplit(".", 1)[-1].lower() if "." in original.path else ""
    is_html = _is_html(content_type, body)
    expected = _SIGNATURES.get(extension)
    if expected is not None:
        if not body:
            return "empty", "0 bytes"
        if not body.lstrip().startswith(expected):
            what = "an HTML page" if is_html else "another kind of file"
            return "wrong_type", f"{extension} link answers with {what}"
    elif content_type and "application/pdf" in content_type.lower() and is_html:
        return "wrong_type", "says PDF, is HTML"
    if not body:
        return "empty", "0 bytes"
    if not is_html:
        if len(body) < TINY_FILE_BYTES:
            return "tiny_file", f"{len(body)} bytes"
    else:
        text_key = compact(page_text(body, content_type))
        if len(text_key) < MIN_PAGE_TEXT:
            return "empty", f"{len(text_key)} characters of text"
        if link.title and not mentions_title(text_key, link.title, link.code):
            return "no_item", f"no mention of {link.title!r}"
        if link.year and not mentions_year(text_key, final_url, link.year):
            return "no_year", f"no mention of {link.year}"
    if earlier:
        digest = hashlib.sha256(body).hexdigest()
        for when, old in sorted(earlier.items()):
            if old == digest:
                return "unchanged", f"same content as in {when}"
    return None, ""


async def _fetch(
    client: httpx.AsyncClient, link: Link, limits: Limits
) -> tuple[int, str, str | None, bytes, bool]:
    async with client.stream("GET", link.url) as response:
        body = bytearray()
        async for chunk in response.aiter_raw():
            body.extend(chunk)
            if len(body) >= limits.max_bytes:
                break
        # Decompress what was read when the server compressed it (never more than read).
        data = bytes(body)
        encoding = response.headers.get("content-encoding", "").lower()
        if encoding in ("gzip", "deflate") and data:
            with contextlib.suppress(zlib.error):
                data = zlib.decompressobj(47 if encoding == "gzip" else 15).decompress(
                    data, limits.max_bytes
                )
        return (
            response.status_code,
            str(response.url),
            response.headers.get("content-type"),
            data,
            bool(response.history),
        )


async def _check_one(
    link: Link,
    limits: Limits,
    hosts: _Hosts,
    everything: asyncio.Semaphore,
    history: Mapping[str, Mapping[str, str]],
) -> LinkResult:
    gate, client = hosts.of(link.url)
    # The host's gate first: a check waiting for its host must not hold a place of the others.
    async with gate, everything:
        started = time.perf_counter()
        try:
            status, final_url, ctype, body, redirected = await asyncio.wait_for(
                _fetch(client, link, limits), limits.total_timeout
            )
        except (TimeoutError, httpx.TimeoutException):
            return LinkResult(
                link.code, link.url, False, None, "timeout",
                f"over {limits.total_timeout:g} s", seconds=time.perf_counter() - started,
            )  # fmt: skip
        except httpx.TooManyRedirects:
            return LinkResult(
                link.code, link.url, False, None, "redirect_loop",
                f"more than {limits.max_redirects} redirects",
                seconds=time.perf_counter() - started,
            )  # fmt: skip
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            return LinkResult(
                link.code, link.url, False, None, "unreachable",
                type(exc).__name__, seconds=time.perf_counter() - started,
            )  # fmt: skip
    problem, detail = judge(
        link, status, final_url, ctype, body,
        redirected=redirected, earlier=history.get(link.url),
    )  # fmt: skip
    return LinkResult(
        code=link.code,
        url=link.url,
        ok=problem is None,
        status=status,
        problem=problem,
        detail=detail,
        final_url=final_url,
        content_type=ctype,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        seconds=time.perf_counter() - started,
    )


async def check_links_async(
    links: Sequence[Link],
    *,
    limits: Limits = Limits(),
    history: Mapping[str, Mapping[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[LinkResult]:
    """Check every link; the results come back in the order of ``links``.

    ``history`` maps a URL to {label of an earlier check (e.g. its fiscal year): SHA-256 of its
    content then}; a link whose content is unchanged since then gets ``unchanged``.
    """
    hosts = _Hosts(limits, transport)
    everything = asyncio.Semaphore(limits.concurrency)
    done = 0

    async def one(link: Link) -> LinkResult:
        nonlocal done
        result = await _check_one(link, limits, hosts, everything, history or {})
        done += 1
        if progress is not None:
            progress(done, len(links))
        return result

    try:
        return list(await asyncio.gather(*(one(link) for link in links)))
    finally:
        await hosts.close()


def check_links(
    links: Iterable[Link],
    *,
    limits: Limits = Limits(),
    history: Mapping[str, Mapping[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[LinkResult]:
    """:func:`check_links_async` for synchronous callers (the CLI, a worker, a view)."""
    return aio.run(
        check_links_async(list(links), limits=limits, history=history, progress=progress)
    )
