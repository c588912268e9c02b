"""`openita serve` as people use it (issue 11): Thai error pages, never Django's debug page or a
bare English "server error", and an upload over the limit gets the Thai 413 page from the
server itself. Runs the real command on a free port with its own data directory."""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from openita.web.cli import local_secret

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "OPENITA_DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(OPENITA_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "openita.cli.main", "serve", "--port", str(port)],
        env=env,
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("openita serve did not start")
        assert (data / "secret_key").stat().st_mode & 0o077 == 0  # owner only
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def ask(port: int, method: str, path: str, body: bytes = b"", **headers: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, text


def test_an_unknown_page_is_the_thai_404_not_the_debug_page(server: int) -> None:
    status, page = ask(server, "GET", "/no/such/page/")
    assert status == 404 and "ไม่พบหน้านี้" in page
    assert "DEBUG = True" not in page and "Traceback" not in page


def test_an_upload_over_the_limit_gets_the_thai_413_page(server: int) -> None:
    body = b"x" * (26 * 2**20)
    status, page = ask(
        server, "POST", "/accounts/login/", body, **{"Content-Type": "application/octet-stream"}
    )
    assert status == 413, page[:300]
    assert "ใหญ่เกินไป" in page and "25 MB" in page
    assert "server error" not in page.lower()
    # The server is still there for the next request.
    assert ask(server, "GET", "/accounts/login/")[0] == 200


def test_static_files_are_sent_compressed(server: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    conn.request("GET", "/static/openita/site.css", headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert b"Sarabun" in gzip.decompress(body)
    status, _ = ask(server, "GET", "/static/openita/fonts/Sarabun-Regular.woff2")
    assert status == 200


def test_the_local_secret_is_made_once(tmp_path: Path) -> None:
    first = local_secret(tmp_path)
    assert len(first) >= 50 and local_secret(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_configure_keeps_debug_off_unless_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from openita.web import cli

    for name in ("OPENITA_DEBUG", "OPENITA_SESSION_HOURS", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENITA_DATA_DIR", str(tmp_path))
    cli.configure(demo=True)
    assert os.environ["OPENITA_DEBUG"] == "0" and os.environ["OPENITA_SESSION_HOURS"] == "8"
    assert os.environ["SECRET_KEY"] == local_secret(tmp_path)
    cli.configure(debug=True)
    assert os.environ["OPENITA_DEBUG"] == "1"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_serve_starts_a_worker_and_stops_it(server: int) -> None:
    # The module's server runs a background worker beside it; stopping a server (SIGTERM, as
    # a service manager does) stops its worker too: a second server shows it.
    data = Path(os.environ.get("TMPDIR", "/tmp"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OPENITA_DEBUG"}}
    env.update(PYTHONPATH=str(ROOT), OPENITA_DATA_DIR=str(data / f"openita-serve-{port}"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "openita.cli.main", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        workers: list[int] = []
        while time.monotonic() < deadline and not workers:
            workers = [
                c for c in _children(proc.pid)
                if b"worker" in Path(f"/proc/{c}/cmdline").read_bytes()
            ]  # fmt: skip
            time.sleep(0.3)
        assert workers, "no worker beside the server"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.2)
    assert not any(Path(f"/proc/{w}").exists() for w in workers), "the worker outlived its server"
