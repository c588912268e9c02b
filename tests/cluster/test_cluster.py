"""Several app servers behind the reverse proxy share their state (issue 14).

``scripts/cluster.sh`` starts two gunicorn instances and nginx in front of them on 127.0.0.1,
with PostgreSQL and Redis; this logs in through server 1 and acts through server 2 (an emblem
uploaded through one is downloaded through the other and through the proxy, whichever server
answers), counts the login throttle's failures across both servers, and checks that nginx
serves the static files itself and spreads pages over both servers.

It needs PostgreSQL, Redis and nginx (scripts/setup.sh as root installs nginx) and is SKIPPED,
loudly, without them. Configuration (so that CI and parallel runs do not clash):

* ``OPENITA_CLUSTER_TEST_PORTS``: a range of ports, e.g. ``8700-8749`` (default 18700-18749);
  three free consecutive ports in it are used.
* ``OPENITA_CLUSTER_TEST_DATABASE_URL``: the PostgreSQL database to use; it is DROPPED and made
  afresh (default ``postgres://postgres@127.0.0.1:5432/openita_cluster_test``).
* ``OPENITA_CLUSTER_TEST_REDIS_URL``: default ``redis://127.0.0.1:6379/0``; the keys are under a
  prefix of this run's own and deleted afterwards.
"""

from __future__ import annotations

import html
import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cluster.sh"
HOST = "127.0.0.1"
PASSWORD = "cluster-test-password-2569"
AGENCY = "เทศบาลตำบลคลัสเตอร์"
LIMIT = 5  # settings.LOGIN_FAILURE_LIMIT


def _skip_loudly(why: str) -> None:
    message = f"!!! THE CLUSTER TEST WAS SKIPPED: {why} !!!"
    warnings.warn(message, stacklevel=2)
    print(f"\n{message}", file=sys.stderr)
    pytest.skip(message)


def _port_range() -> range:
    raw = os.environ.get("OPENITA_CLUSTER_TEST_PORTS", "18700-18749")
    found = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", raw)
    if not found or not 1024 <= int(found[1]) <= int(found[2]) <= 65535:
        pytest.fail(f"OPENITA_CLUSTER_TEST_PORTS must be a range like 8700-8749, not {raw!r}")
    return range(int(found[1]), int(found[2]) + 1)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _three_free_ports() -> int:
    ports = _port_range()
    for base in ports:
        if base + 2 in ports and all(_free(base + i) for i in range(3)):
            return base
    _skip_loudly(f"no three free consecutive ports in {ports.start}-{ports.stop - 1}")
    raise AssertionError  # not reached


# --- a small HTTP client with cookies -------------------------------------------------------


@dataclass
class Browser:
    """Cookies kept like a browser's; ``port`` says which server (or the proxy) it talks to."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, Any]:
        import http.client
        from http.cookies import SimpleCookie

        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return response.status, data, response.headers
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes, Any]:
        return self.request("GET", path)

    def token(self, path: str) -> str:
        status, body, _ = self.get(path)
        assert status == 200, (path, status)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, f"no CSRF token on {path}"
        return html.unescape(found.group(1).decode())

    def post_form(self, path: str, fields: dict[str, str], token_from: str) -> tuple[int, bytes]:
        fields = {"csrfmiddlewaretoken": self.token(token_from), **fields}
        status, body, _ = self.request(
            "POST",
            path,
            body=urllib.parse.urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status, body

    def post_file(
        self, path: str, name: str, data: bytes, content_type: str, token_from: str
    ) -> tuple[int, bytes, Any]:
        boundary = uuid.uuid4().hex
        token = self.token(token_from)
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def login(self, username: str, password: str) -> tuple[int, bytes]:
        return self.post_form(
            "/accounts/login/",
            {"username": username, "password": password},
            token_from="/accounts/login/",
        )


# --- the cluster ----------------------------------------------------------------------------


@dataclass
class Cluster:
    proxy: int
    servers: tuple[int, int]
    run_dir: Path
    env: dict[str, str]
    agency_id: int
    redis: Any
    prefix: str


def _prerequisites(database_url: str, redis_url: str) -> Any:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        _skip_loudly("nginx is missing (scripts/setup.sh as root installs it)")
    for tool in ("psql", "curl"):
        if shutil.which(tool) is None:
            _skip_loudly(f"{tool} is missing")
    try:
        import redis
    except ImportError:
        _skip_loudly("the Python package 'redis' is missing (pip install -e '.[dev]')")
    client = redis.Redis.from_url(redis_url, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        _skip_loudly(f"Redis does not answer at {redis_url} ({exc})")
    url = urllib.parse.urlsplit(database_url)
    ready = subprocess.run(
        ["pg_isready", "-q", "-h", url.hostname or HOST, "-p", str(url.port or 5432)],
        check=False,
        timeout=30,
    )
    if ready.returncode != 0:
        _skip_loudly(f"PostgreSQL does not answer at {url.hostname}:{url.port or 5432}")
    return client


def _psql(database_url: str, sql: str) -> None:
    url = urllib.parse.urlsplit(database_url)
    admin = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    done = subprocess.run(
        ["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc", sql],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _cluster_sh(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


SETUP_DATA = f"""
from django.contrib.auth.models import User
from openita.web.agencies.models import AgencyKind, Role
from openita.web.agencies.services import agency_create, membership_grant
agency = agency_create(name={AGENCY!r}, kind=AgencyKind.TAMBON, province="คลัสเตอร์")
for name in ("officer", "throttled", "control"):
    user = User.objects.create_user(name, name + "@example.invalid", {PASSWORD!r})
    membership_grant(user=user, agency=agency, role=Role.OFFICER)
print("AGENCY", agency.pk)
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    database_url = os.environ.get(
        "OPENITA_CLUSTER_TEST_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/openita_cluster_test",
    )
    redis_url = os.environ.get("OPENITA_CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in {"postgres", "test", "test_test"}:
        pytest.fail(f"OPENITA_CLUSTER_TEST_DATABASE_URL: {name!r} is not a database to drop")
    client = _prerequisites(database_url, redis_url)
    base = _three_free_ports()
    _psql(database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _psql(database_url, f"CREATE DATABASE {name}")
    # nginx's workers (www-data when root) read the static files: a folder they can reach.
    run_dir = Path(tempfile.mkdtemp(prefix="openita-cluster-"))
    run_dir.chmod(0o755)
    prefix = f"openita-test-{secrets.token_hex(4)}"
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        PYTHONPATH=str(ROOT),
        OPENITA_PYTHON=sys.executable,
        DATABASE_URL=database_url,
        OPENITA_REDIS_URL=redis_url,
        OPENITA_CACHE_PREFIX=prefix,
        PYTHONDONTWRITEBYTECODE="1",
    )
    started = _cluster_sh(
        env, "start", "--servers", "2", "--workers", "1", "--port", str(base), "--dir", str(run_dir)
    )
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        env["SECRET_KEY_FILE"] = str(run_dir / "secret_key")
        env["DJANGO_SETTINGS_MODULE"] = "openita.web.settings_production"
        env["OPENITA_DATA_DIR"] = str(run_dir / "data")
        made = subprocess.run(
            [sys.executable, "-m", "openita.web.manage", "shell", "-c", SETUP_DATA],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        agency_id = int(made.stdout.split("AGENCY", 1)[1].split()[0])
        yield Cluster(base, (base + 1, base + 2), run_dir, env, agency_id, client, prefix)
    finally:
        pids = [int(p.read_text()) for p in (run_dir / "run").glob("*.pid")]
        stopped = _cluster_sh(env, "stop", "--dir", str(run_dir))
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        _psql(database_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(run_dir, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert len(pids) == 4  # two app servers, the worker, nginx
    assert not [pid for pid in pids if _alive(pid)], "cluster.sh stop left processes running"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _emblem_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 60), (200, 30, 40)).save(out, format="PNG")
    return out.getvalue()


def test_status_lists_every_process(cluster: Cluster) -> None:
    done = _cluster_sh(cluster.env, "status", "--dir", str(cluster.run_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    for port in (*cluster.servers, cluster.proxy):
        assert f"http://127.0.0.1:{port}/ answers 200" in done.stdout
    assert "worker: running" in done.stdout


def test_log_in_through_one_server_act_through_the_other(cluster: Cluster) -> None:
    one, two = cluster.servers
    first = Browser(one)
    status, _ = first.login("officer", PASSWORD)
    assert status == 302 and "sessionid" in first.cookies
    # The same browser (its cookies) now reaches the other server: still logged in.
    second = Browser(two, dict(first.cookies))
    page = f"/agencies/{cluster.agency_id}/settings/"
    status, body, _ = second.get(page)
    assert status == 200 and AGENCY.encode() in body and b'name="password"' not in body
    # Upload the emblem through server 2 (CSRF token and session from server 1's login)...
    emblem = _emblem_png()
    status, _, headers = second.post_file(
        f"{page}files/emblem/upload/", "emblem.png", emblem, "image/png", token_from=page
    )
    assert status == 302, status
    assert headers["Location"].startswith(page)
    # ... and download it through server 1 and through the proxy, whichever server answers.
    status, got, _ = first.get(f"{page}files/emblem/")
    assert status == 200 and got == emblem
    proxied = Browser(cluster.proxy, dict(first.cookies))
    answered = set()
    for _ in range(4):
        status, got, headers = proxied.get(f"{page}files/emblem/")
        assert status == 200 and got == emblem
        answered.add(headers["X-OpenITA-Upstream"])
    assert answered == {f"{HOST}:{one}", f"{HOST}:{two}"}  # round robin: both served it
    # The session is kept in the database too (cached_db): with its Redis copy gone, as after
    # a restart of Redis, the login still holds.
    session_keys = list(cluster.redis.scan_iter(f"{cluster.prefix}:*django.contrib.sessions*"))
    assert session_keys, "the session is not in Redis"
    cluster.redis.delete(*session_keys)
    status, body, _ = second.get(page)
    assert status == 200 and AGENCY.encode() in body


def test_login_throttle_counts_failures_across_servers(cluster: Cluster) -> None:
    one, two = cluster.servers
    # LIMIT - 1 failures spread over both servers: the right password still logs in.
    for n in range(LIMIT - 1):
        status, _ = Browser(cluster.servers[n % 2]).login("control", "wrong")
        assert status == 200
    control = Browser(two)
    assert control.login("control", PASSWORD)[0] == 302 and "sessionid" in control.cookies
    # LIMIT failures, three through server 1 and two through server 2: locked on both.
    for port in (one, two, one, two, one):
        assert Browser(port).login("throttled", "wrong")[0] == 200
    for port in (one, two, cluster.proxy):
        locked = Browser(port)
        status, body = locked.login("throttled", PASSWORD)
        assert status == 200 and "sessionid" not in locked.cookies
        assert "เข้าสู่ระบบผิดหลายครั้งเกินไป".encode() in body


def test_the_proxy_serves_static_files_and_spreads_pages(cluster: Cluster) -> None:
    proxy = Browser(cluster.proxy)
    status, body, headers = proxy.get("/static/openita/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert headers.get("X-OpenITA-Upstream") is None  # nginx itself, no app server
    assert body == (cluster.run_dir / "data" / "static" / "openita" / "site.css").read_bytes()
    status, _, headers = proxy.request(
        "GET", "/static/openita/site.css", headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Content-Encoding"] == "gzip"  # collectstatic's .gz copy
    answered = {proxy.get("/accounts/login/")[2]["X-OpenITA-Upstream"] for _ in range(4)}
    assert answered == {f"{HOST}:{port}" for port in cluster.servers}


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (["start", "--servers", "0"], {}, "--servers must be between 1 and 32"),
        (["start", "--port", "80"], {}, "--port must be"),
        (["start", "--workers", "two"], {}, "take whole numbers, not 'two'"),
        (["start", "--bogus"], {}, "unknown option '--bogus'"),
        (["start"], {"DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL must name a PostgreSQL"),
        (["restart"], {}, "usage: scripts/cluster.sh start|stop|status"),
    ],
)
def test_cluster_sh_refuses_bad_input_and_starts_nothing(
    tmp_path: Path, args: list[str], env: dict[str, str], said: str
) -> None:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    done = _cluster_sh(
        {**base, "OPENITA_PYTHON": sys.executable, **env}, *args, "--dir", str(tmp_path / "run")
    )
    assert done.returncode != 0 and said in done.stderr
    assert not list((tmp_path / "run").glob("run/*.pid"))


def test_status_of_a_cluster_never_started(tmp_path: Path) -> None:
    done = _cluster_sh(dict(os.environ), "status", "--dir", str(tmp_path))
    assert done.returncode == 3 and "not started" in done.stdout
