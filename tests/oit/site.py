"""A small agency website of fixture pages served on 127.0.0.1, for the OIT tests.

Its pages cover what the link checker must tell apart: a good page, redirects (to a page, to
the home page, in a loop), slow pages, a server that drops the connection, a huge file, a
"PDF" that is HTML, empty and tiny files, a page in TIS-620, errors.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8">
<title>O5 แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน</title></head><body>
<h1>แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน</h1>
<p>แผนพัฒนาท้องถิ่น (พ.ศ. ๒๕๖๖ - ๒๕๗๐) ฉบับเพิ่มเติม ประจำปีงบประมาณ พ.ศ. ๒๕๖๙
ขององค์การบริหารส่วนตำบลทดสอบ อำเภอเมือง จังหวัดทดสอบ</p>
<a href="/files/plan.pdf">ดาวน์โหลด</a></body></html>"""

NEWS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>ข่าวสาร</title></head>
<body><h1>ข่าวประชาสัมพันธ์</h1><p>กิจกรรมวันเด็กแห่งชาติ ณ ลานอเนกประสงค์ ประจำปี 2569
มีผู้ร่วมงานจำนวนมาก ขอขอบคุณทุกท่านที่ร่วมงาน</p></body></html>"""

OLD_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>แผน</title></head>
<body><h1>แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน</h1><p>แผนพัฒนาท้องถิ่นสี่ปี ประจำปีงบประมาณ
พ.ศ. 2561 - 2564 ขององค์การบริหารส่วนตำบลทดสอบ</p></body></html>"""

TIS_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=tis-620">
<title>ช่องทางแจ้งเรื่องร้องเรียน</title></head><body><h2>ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและ
ประพฤติมิชอบ</h2><p>ปีงบประมาณ 2569 ติดต่อ โทร 0 7400 0000 หรือกล่องรับความคิดเห็น</p>
</body></html>"""

PDF_BYTES = b"%PDF-1.4\n" + b"%\xe2\xe3\xcf\xd3\n" + b"1 0 obj<<>>endobj\n" * 200 + b"%%EOF\n"


class Concurrency:
    """How many /busy requests the server was answering at once, at most."""

    lock = threading.Lock()
    now = 0
    peak = 0

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.now = cls.peak = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        html = "text/html; charset=utf-8"
        if path in ("/", "/index.php"):
            self._send(200, NEWS_PAGE.encode(), html)
        elif path == "/ita/o5":
            self._send(200, GOOD_PAGE.encode(), html)
        elif path == "/ita/o5-gzip":
            self._send(200, gzip.compress(GOOD_PAGE.encode()), html, {"Content-Encoding": "gzip"})
        elif path == "/ita/o5-old":
            self._send(200, OLD_PAGE.encode(), html)
        elif path == "/busy":
            with Concurrency.lock:
                Concurrency.now += 1
                Concurrency.peak = max(Concurrency.peak, Concurrency.now)
            time.sleep(0.15)
            with Concurrency.lock:
                Concurrency.now -= 1
            self._send(200, GOOD_PAGE.encode(), html)
        elif path == "/news":
            self._send(200, NEWS_PAGE.encode(), html)
        elif path == "/moved":
            self._redirect("/ita/o5")
        elif path == "/gone-home":
            self._redirect("/index.php")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect("/loop-a")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, GOOD_PAGE.encode(), html)
        elif path == "/drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path == "/files/plan.pdf":
            self._send(200, PDF_BYTES, "application/pdf")
        elif path == "/files/fake.pdf":
            self._send(200, NEWS_PAGE.encode(), html)
        elif path == "/files/empty.pdf":
            self._send(200, b"", "application/pdf")
        elif path == "/files/tiny.docx":
            self._send(200, b"PK\x03\x04" + b"\x00" * 60, "application/octet-stream")
        elif path == "/files/huge.pdf":
            size = 200 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            chunk = b"%PDF-1.4\n" + b"0" * (64 * 1024 - 9)
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:
                return
        elif path == "/tis620":
            self._send(200, TIS_PAGE.encode("cp874"), "text/html")
        elif path == "/error":
            self._send(500, b"<h1>Internal Server Error</h1>", html)
        else:
            self._send(404, b"<h1>Not Found</h1>", html)


@contextmanager
def serve() -> Iterator[str]:
    """The site's base URL (http://127.0.0.1:PORT) while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
