"""A fictional agency's website, served on 127.0.0.1, for the crawl tests.

Written the way agencies write their OIT pages: an ITA menu whose links carry the item code
and a paraphrase of its title, pages found only through their headings, documents linked by
file name, a page in TIS-620, a section robots.txt forbids, links to other sites, and a deep
chain of pages beyond the depth limit.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar


def _page(title: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!doctype html><html lang="th"><head><meta charset="{charset}">'
        f"<title>{title} | อบต.ตัวอย่าง</title></head><body>"
        '<nav><a href="/">หน้าแรก</a> <a href="/ita">ITA</a> '
        '<a href="https://www.facebook.com/example">Facebook</a></nav>'
        f"{body}</body></html>"
    )


PAGES: dict[str, str] = {
    "/": _page(
        "หน้าแรก",
        "<h1>องค์การบริหารส่วนตำบลตัวอย่าง</h1><p>ยินดีต้อนรับ</p>"
        '<a href="/about/structure">โครงสร้างส่วนราชการ</a> '
        '<a href="/news">ข่าวสาร</a> <a href="/private/admin">ผู้ดูแล</a> '
        '<a href="/deep/1">คลังความรู้</a>',
    ),
    "/ita": _page(
        "การประเมินคุณธรรมและความโปร่งใส ITA 2569",
        "<h1>ITA ปีงบประมาณ 2569</h1><ul>"
        '<li><a href="/about/structure">O1 โครงสร้าง หน้าที่และอำนาจ</a></li>'
        '<li><a href="/contact">o3 ข้อมูลการติดต่อ</a></li>'
        '<li><a href="/files/plan-2566-2570.pdf">O5 แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)</a></li>'
        '<li><a href="/eservice">ระบบการให้บริการผ่านช่องทางออนไลน์ E-Service</a></li>'
        '<li><a href="/complaints">ช่องทางแจ้งเรื่องร้องเรียน การทุจริตและประพฤติมิชอบ</a></li>'
        '<li><a href="/files/O26-report.pdf">รายงาน ๖ เดือน</a></li>'
        "</ul>",
    ),
    "/about/structure": _page(
        "โครงสร้างองค์กร", "<h1>โครงสร้าง หน้าที่และอำนาจ</h1><p>แผนผังโครงสร้าง</p>"
    ),
    "/contact": _page("ติดต่อเรา", "<h2>ข้อมูลการติดต่อและช่องทางการสอบถาม</h2><p>โทร</p>"),
    "/eservice": _page("บริการออนไลน์", "<h2>ยื่นคำร้องออนไลน์</h2>"),
    "/news": _page(
        "ข่าวสาร",
        "<h1>ข่าวประชาสัมพันธ์</h1>"
        '<a href="/news/1">ประชุมสภา สมัยสามัญ ปี 2569</a>'
        '<a href="/files/integrity-measures-2570.pdf">มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน'
        " ประจำปี ๒๕๗๐</a>",
    ),
    "/news/1": _page("ประชุมสภา", "<h1>ประชุมสภา</h1><p>สมัยสามัญ สมัยที่ 1 ปี 2569</p>"),
    "/private/admin": _page(
        "ผู้ดูแล", '<h1>ลับ</h1><a href="/private/o25">การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร</a>'
    ),
    "/private/o25": _page("ลับ", "<h1>ลับ</h1>"),
}
TIS_PATH = "/complaints"
TIS_PAGE = _page(
    "ร้องเรียน",
    "<h1>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ</h1><p>ตู้รับเรื่องร้องเรียน</p>",
    charset="tis-620",
)
for depth in range(1, 12):
    PAGES[f"/deep/{depth}"] = _page(
        f"คลังความรู้ {depth}", f'<h1>ชั้น {depth}</h1><a href="/deep/{depth + 1}">ต่อไป</a>'
    )

ROBOTS = "User-agent: *\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requested: ClassVar[list[str]] = []
    gone: ClassVar[set[str]] = set()  # paths taken down (404), for the recheck tests

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.requested.append(self.path)
        if self.path in Handler.gone:
            self._send(404, b"not found", "text/html")
        elif self.path == "/robots.txt":
            self._send(200, ROBOTS.encode(), "text/plain")
        elif self.path == TIS_PATH:
            self._send(200, TIS_PAGE.encode("cp874"), "text/html")
        elif self.path in PAGES:
            self._send(200, PAGES[self.path].encode(), "text/html; charset=utf-8")
        elif self.path.startswith("/files/"):
            self._send(200, b"%PDF-1.4\n" + b"0" * 4000, "application/pdf")
        else:
            self._send(404, b"not found", "text/html")


@contextmanager
def serve() -> Iterator[str]:
    Handler.requested = []
    Handler.gone = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
