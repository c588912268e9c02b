"""Finding each OIT item's page on an agency's website: a polite crawl and proposals.

The crawl stays on the agency's host (``www.`` or not), obeys its robots.txt, keeps at most
``per_host`` requests in flight, stops at ``max_pages`` pages and ``max_depth`` links from the
start, reads at most ``max_bytes`` of a page and never downloads files (a PDF or DOCX link is
judged by its link text, its file name and the page it is on).

Every link and page it sees is a candidate for every OIT item. A candidate scores by how much
of the item's title its link text, the page's title and headings and the file name carry
(Thai compared after normalisation: sara am, zero-width characters, Thai digits, spaces),
by the item's code as agencies label it (``O5``), and a little by the fiscal year. The best
candidates of each item are proposed with their reasons, for the officer to confirm or reject:
the crawl never fills the checklist by itself.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import urllib.robotparser
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from openita.frameworks import Framework
from openita.oit import aio
from openita.oit.linkcheck import decode_html, mentions_year, page_text
from openita.text.normalise import compact

FILE_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".jpg",
                   ".jpeg", ".png")  # fmt: skip
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "line:", "fb:")


@dataclass(frozen=True)
class CrawlLimits:
    max_pages: int = 300
    max_depth: int = 4
    per_host: int = 2
    timeout: float = 10.0
    max_bytes: int = 1_000_000
    user_agent: str = "OpenITA-crawl/1"


@dataclass
class Anchor:
    url: str
    text: str
    on_page: str  # the URL of the page the link is on
    page_title: str


@dataclass
class Page:
    url: str
    title: str
    headings: list[str]
    text_key: str  # compact() of the visible text (for the year)


@dataclass(frozen=True)
class Proposal:
    code: str
    url: str
    score: float
    reasons: tuple[str, ...]  # Thai, for the officer
    link_text: str
    found_on: str


@dataclass
class Crawl:
    start: str
    pages: list[Page] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    refused_by_robots: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    truncated: bool = False  # stopped at max_pages


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.headings: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._in: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("title", "h1", "h2", "h3", "h4"):
            self._in.append(tag)
            self._text = []
        elif tag == "a":
            self._href = dict(attrs).get("href")
            self._link_text = []
            title = dict(attrs).get("title")
            if title:
                self._link_text.append(title)
        elif tag == "img" and self._href is not None:
            alt = dict(attrs).get("alt")
            if alt:
                self._link_text.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if self._in and tag == self._in[-1]:
            text = " ".join("".join(self._text).split())
            if tag == "title":
                self.title = text
            elif text:
                self.headings.append(text)
            self._in.pop()
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(" ".join(self._link_text).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _same_site(host: str, start_host: str) -> bool:
    def bare(h: str) -> str:
        return h.lower().removeprefix("www.")

    return bare(host) == bare(start_host)


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _is_file(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(FILE_EXTENSIONS)


async def _robots(client: httpx.AsyncClient, start: str) -> urllib.robotparser.RobotFileParser:
    parts = urlsplit(start)
    robots = urllib.robotparser.RobotFileParser()
    try:
        response = await client.get(f"{parts.scheme}://{parts.netloc}/robots.txt")
    except httpx.HTTPError:
        robots.parse([])
        return robots
    if response.status_code in (401, 403):
        robots.parse(["User-agent: *", "Disallow: /"])
    elif response.status_code >= 400:
        robots.parse([])
    else:
        robots.parse(response.text.splitlines())
    return robots


async def crawl_async(
    start: str,
    limits: CrawlLimits = CrawlLimits(),
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Crawl:
    """Crawl a site from ``start`` (breadth first, same site only)."""
    start = _clean(start)
    start_host = urlsplit(start).hostname or ""
    found = Crawl(start=start)
    async with httpx.AsyncClient(
        follow_redirects=True,
        timeout=limits.timeout,
        headers={"User-Agent": limits.user_agent},
        limits=httpx.Limits(max_connections=limits.per_host),
        transport=transport,
        verify=ssl.create_default_context(),
    ) as client:
        robots = await _robots(client, start)
        seen = {start}
        frontier = [(start, 0)]
        gate = asyncio.Semaphore(limits.per_host)

        async def visit(url: str, depth: int) -> list[tuple[str, int]]:
            if not robots.can_fetch(limits.user_agent, url):
                found.refused_by_robots.append(url)
                return []
            async with gate:
                try:
                    async with client.stream("GET", url) as response:
                        body = bytearray()
                        async for chunk in response.aiter_bytes():
                            body.extend(chunk)
                            if len(body) >= limits.max_bytes:
                                break
                        status = response.status_code
                        ctype = response.headers.get("content-type", "")
                        final = _clean(str(response.url))
                except httpx.HTTPError as exc:
                    found.errors.append((url, type(exc).__name__))
                    return []
            if status >= 400:
                found.errors.append((url, f"HTTP {status}"))
                return []
            if "html" not in ctype.lower():
                return []
            if not _same_site(urlsplit(final).hostname or "", start_host):
                return []
            parser = _Parser()
            markup = decode_html(bytes(body), ctype)
            parser.feed(markup)
            parser.close()
            text = page_text(bytes(body), ctype)
            page = Page(final, parser.title, parser.headings, compact(text))
            found.pages.append(page)
            nxt: list[tuple[str, int]] = []
            for href, link_text in parser.links:
                if not href or href.strip().lower().startswith(SKIP_SCHEMES):
                    continue
                target = _clean(urljoin(final, href.strip()))
                if urlsplit(target).scheme not in ("http", "https"):
                    continue
                found.anchors.append(Anchor(target, link_text, final, parser.title))
                if (
                    target not in seen
                    and not _is_file(target)
                    and _same_site(urlsplit(target).hostname or "", start_host)
                    and depth + 1 <= limits.max_depth
                ):
                    seen.add(target)
                    nxt.append((target, depth + 1))
            return nxt

        while frontier and len(found.pages) < limits.max_pages:
            room = limits.max_pages - len(found.pages)
            batch, frontier = frontier[:room], frontier[room:]
            results = await asyncio.gather(*(visit(u, d) for u, d in batch))
            for more in results:
                frontier.extend(more)
        found.truncated = bool(frontier)
    return found


def crawl(start: str, limits: CrawlLimits = CrawlLimits()) -> Crawl:
    return aio.run(crawl_async(start, limits))


# --- proposals -------------------------------------------------------------------------------


# Words that name the kind of document an item asks for: a report is not a plan, whatever
# else their titles share (รายงานผลการดำเนินการตามมาตรการ… against มาตรการ…).
KIND_WORDS = ("รายงาน", "แผน", "คู่มือ", "ประกาศ", "นโยบาย", "สรุป", "มาตรการ", "ช่องทาง",
              "แนวปฏิบัติ", "หลักเกณฑ์", "ข้อมูล", "ประมวล", "คำสั่ง")  # fmt: skip


def _coverage(title_key: str, text_key: str) -> float:
    """How much of a title a text carries: the whole of it, else the share of its pieces,
    halved when the title names a kind of document the text does not name."""
    if not title_key or not text_key:
        return 0.0
    if title_key in text_key:
        return 1.0
    size = 6 if len(title_key) >= 12 else 4
    pieces = [title_key[i : i + size] for i in range(0, max(len(title_key) - size + 1, 1), 2)]
    share = sum(1 for p in pieces if p in text_key) / len(pieces)
    kind = next((w for w in KIND_WORDS if title_key.startswith(w)), None)
    if kind is not None and kind not in text_key:
        share /= 2
    return share


def _code_label(code: str) -> re.Pattern[str]:
    number = int(re.sub(r"\D", "", code) or 0)
    return re.compile(rf"(?<![a-z0-9])o0*{number}(?![0-9])")


def oit_items(framework: Framework) -> list[tuple[str, str | None]]:
    """(code, title) of each OIT item; None for a title the framework marks unknown."""
    oit = next((t for t in framework.tools if t.kind == "checklist"), None)
    return [
        (i.code, i.text if getattr(i, "title_known", True) else None)
        for i in (oit.items if oit is not None else ())
    ]


def propose(
    found: Crawl,
    items: Sequence[tuple[str, str | None]],
    *,
    year: int | None = None,
    per_item: int = 3,
) -> dict[str, list[Proposal]]:
    """The best candidates of each item (code, title), best first (items with none are
    present with an empty list). An item of unknown title is found by its code label only."""
    pages = {p.url: p for p in found.pages}
    out: dict[str, list[Proposal]] = {}
    for code, title in items:
        title_key = compact(title) if title else ""
        label = _code_label(code)
        best: dict[str, Proposal] = {}
        candidates: list[tuple[str, str, str, str]] = [
            (a.url, a.text, a.on_page, a.page_title) for a in found.anchors
        ]
        candidates += [(p.url, p.title, p.url, p.title) for p in found.pages]
        for url, link_text, on_page, _page_title in candidates:
            reasons: list[str] = []
            score = 0.0
            link_key = compact(link_text)
            file_key = compact(unquote(urlsplit(url).path.rsplit("/", 1)[-1]))
            cov = _coverage(title_key, link_key)
            if cov >= 0.5:
                score += 3 * cov
                reasons.append(f"ข้อความของลิงก์ตรงกับชื่อข้อ {cov:.0%}")
            target = pages.get(url)
            if target is not None:
                head_key = compact(" ".join([target.title, *target.headings]))
                hcov = _coverage(title_key, head_key)
                if hcov >= 0.5:
                    score += 2 * hcov
                    reasons.append(f"ชื่อหรือหัวข้อของหน้าตรงกับชื่อข้อ {hcov:.0%}")
            fcov = _coverage(title_key, file_key)
            if fcov >= 0.5:
                score += fcov
                reasons.append("ชื่อไฟล์ตรงกับชื่อข้อ")
            if label.search(link_key) or (
                target is not None and label.search(compact(target.title))
            ):
                score += 3
                reasons.append(f"ระบุรหัสข้อ {code.upper()}")
            elif label.search(file_key):
                score += 2
                reasons.append(f"ชื่อไฟล์ระบุรหัสข้อ {code.upper()}")
            if score < 1.5:
                continue
            if year:
                where = link_key + " " + file_key + " " + (target.text_key if target else "")
                if mentions_year(where, "", year):
                    score += 0.5
                    reasons.append(f"กล่าวถึงปี {year}")
            if _is_file(url):
                reasons.append("เป็นไฟล์เอกสาร")
            proposal = Proposal(code, url, round(score, 2), tuple(reasons), link_text, on_page)
            if url not in best or best[url].score < proposal.score:
                best[url] = proposal
        out[code] = sorted(best.values(), key=lambda p: (-p.score, p.url))[:per_item]
    return out


def summary(found: Crawl, proposals: Mapping[str, Sequence[Proposal]]) -> dict[str, object]:
    """The JSON of ``openita oit crawl --json``."""
    return {
        "start": found.start,
        "pages": len(found.pages),
        "truncated": found.truncated,
        "refused_by_robots": found.refused_by_robots,
        "errors": [{"url": u, "error": e} for u, e in found.errors],
        "proposals": {
            code: [
                {
                    "url": p.url,
                    "score": p.score,
                    "reasons": list(p.reasons),
                    "link_text": p.link_text,
                    "found_on": p.found_on,
                }
                for p in props
            ]
            for code, props in proposals.items()
        },
    }
