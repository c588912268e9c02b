"""The app server is killed in the middle of a burst of survey submissions and started again:
every submission that got a success answer is stored once, the others got an error the form
can retry, and once retried every one is stored exactly once."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _helper(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH / "surveys.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            [str(GUNICORN), "openita.web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-2000:]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def _post(port: int, path: str, body: str, cookie: str) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(
            "POST", path, body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )  # fmt: skip
        return conn.getresponse().status
    except OSError:
        return None


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this venv")
def test_a_server_killed_mid_burst_loses_and_doubles_nothing(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OPENITA_DATA_DIR"}}
    env.update(
        DJANGO_SETTINGS_MODULE="surveys_settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
        OPENITA_DATA_DIR=str(tmp_path / "data"),
        OPENITA_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHAINLP_OFFLINE="1",
        OPENITA_SURVEY_RATE=str(10**9),
    )
    n = 60
    made = _helper(env, "--_prepare", str(n))
    from urllib.parse import urlencode

    path = f"/s/{made['slug']}/{made['page']}/"
    port = _port()
    log = tmp_path / "gunicorn.log"
    server = _start(env, port, log)
    succeeded: list[int] = []
    errors = 0
    lock = threading.Lock()

    def respondent(i: int, cookie: str) -> None:
        nonlocal errors
        token = secrets.token_hex(16)
        body = urlencode({**made["answers"], "csrfmiddlewaretoken": token})
        header = f"{made['cookie']}={cookie}; csrftoken={token}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status = _post(port, path, body, header)
            if status == 302:
                with lock:
                    succeeded.append(i)
                return
            with lock:
                errors += 1  # the form shows an error; the person sends again
            time.sleep(0.3)

    threads = [
        threading.Thread(target=respondent, args=(i, c)) for i, c in enumerate(made["cookies"])
    ]
    try:
        for t in threads[: n // 2]:
            t.start()
        while len(succeeded) < n // 6:
            time.sleep(0.02)
        os.killpg(server.pid, signal.SIGKILL)  # mid-burst, workers and all
        server.wait(timeout=10)
        for t in threads[n // 2 :]:
            t.start()
        time.sleep(0.5)
        server = _start(env, port, log)
        for t in threads:
            t.join(timeout=150)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
    stored = _helper(env, "--_count", str(made["campaign"]))
    assert errors > 0  # the kill did land in the middle of the burst
    assert sorted(succeeded) == list(range(n))  # every one succeeded once retried
    assert stored["responses"] + stored["pending"] == n  # each stored exactly once
    assert stored["marks"] == n and stored["drafts"] == 0
