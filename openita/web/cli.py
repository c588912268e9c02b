"""The web parts of the ``openita`` command: ``demo`` and ``serve``.

Both migrate and collect static files first; ``demo`` also loads the demo data and prints the
demo logins. They run Django's development server on 127.0.0.1 (use gunicorn in production).

People use them, not only developers: Django's debug page (and its bare English errors) is off
unless asked for (``--debug`` or ``OPENITA_DEBUG=1``), so a problem shows the Thai error pages.
Without debug Django needs a secret key; a random one is made once and kept in the data
directory (``.openita/secret_key``, readable by its owner only) unless ``SECRET_KEY`` is set.
The demo's sessions last 8 hours (``OPENITA_SESSION_HOURS`` sets another).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

DEFAULT_PORT = 8000
DEMO_SESSION_HOURS = "8"


def configure(*, debug: bool = False, demo: bool = False) -> None:
    """Choose debug (off unless asked for) and a local secret key, before Django starts."""
    if debug:
        os.environ["OPENITA_DEBUG"] = "1"
    os.environ.setdefault("OPENITA_DEBUG", "0")
    if demo:
        os.environ.setdefault("OPENITA_SESSION_HOURS", DEMO_SESSION_HOURS)
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        os.environ["SECRET_KEY"] = local_secret(
            Path(os.environ.get("OPENITA_DATA_DIR", ".openita"))
        )


def local_secret(data_dir: Path) -> str:
    """The secret key kept in ``data_dir`` (made on first use, mode 0600)."""
    path = data_dir.resolve() / "secret_key"
    if path.is_file():
        kept = path.read_text(encoding="ascii").strip()
        if len(kept) >= 50:
            return kept
    data_dir.mkdir(parents=True, exist_ok=True)
    made = secrets.token_urlsafe(50)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as fh:
        fh.write(made + "\n")
    return made


def _setup() -> None:
    configure()  # a caller that did not choose: no debug
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()
    from django.core.management import call_command

    from openita.web.manage import ensure_data_dir

    ensure_data_dir()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def prepare_demo(echo: Callable[[str], None] = print) -> None:
    """Migrate, collect static files, load the demo data and print the logins."""
    _setup()
    from openita.web.demo import load_demo

    logins = load_demo()
    echo("OpenITA demo logins (ชื่อผู้ใช้ / รหัสผ่าน):")
    for login in logins:
        echo(f"  {login.username:<11} {login.password:<22} {login.what}")
    from openita.web.unitlinks.demo import DEMO_PATH

    echo(f"Unit head's link, no login (ลิงก์ส่วนงาน ไม่ต้องเข้าสู่ระบบ): {DEMO_PATH}")


def prepare_national(
    *, agencies: int, years: int, seed: int, echo: Callable[[str], None] = print
) -> None:
    """Load the synthetic country (after ``prepare_demo``) and print its logins and timings."""
    import time

    from openita.web.synthetic.load import load_national

    echo(f"Loading a synthetic country: {agencies} agencies, {years} years, seed {seed}...")
    started = time.perf_counter()
    loaded = load_national(agencies=agencies, years=years, seed=seed, echo=echo)
    echo(
        f"Synthetic country (ข้อมูลสังเคราะห์ ไม่ใช่ข้อมูลจริง): {loaded.agencies} agencies, "
        f"{loaded.results} results, {loaded.plans} plans, {loaded.progress_rounds} progress "
        f"rounds in {time.perf_counter() - started:.1f} s"
    )
    for login in loaded.logins:
        echo(f"  {login.username:<21} {login.password:<31} {login.what}")


def _runserver(port: int) -> None:
    from django.core.management import call_command

    # Background tasks (OIT link checks...) need a worker: one runs beside the web server
    # and stops with it (OPENITA_NO_WORKER=1 to run your own, e.g. several).
    worker = None
    if not os.environ.get("OPENITA_NO_WORKER"):
        import signal
        import subprocess
        import sys

        worker = subprocess.Popen(
            [sys.executable, "-m", "openita.cli.main", "worker"], preexec_fn=_die_with_parent
        )
        # A server stopped with SIGTERM stops its worker too (the finally below runs).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(10)


def _die_with_parent() -> None:
    """In the worker, before it starts: end it when the server that started it ends, however
    the server ends (Linux; elsewhere the server's own clean-up stops it)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker(*, burst: bool = False) -> None:
    """Run background tasks until stopped (migrates first): the worker of the configured
    queue (database by default, RQ with OPENITA_TASKS=rq), with the jobs reaper beside it."""
    _setup_django_only(sqlite_timeout=WORKER_SQLITE_TIMEOUT)
    from openita.web.jobs.worker import run

    run(burst=burst)


# Seconds a worker waits for a SQLite file another process is writing (Django's default, 5, is
# short when several workers and a web server share one file: "database is locked").
WORKER_SQLITE_TIMEOUT = 30


def _setup_django_only(*, sqlite_timeout: float | None = None) -> None:
    """Django set up, and migrated when a migration is not applied yet (not otherwise: several
    workers starting together would all write the same rows for nothing)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from openita.web.manage import ensure_data_dir

    database = settings.DATABASES["default"]
    if sqlite_timeout is not None and database["ENGINE"].endswith("sqlite3"):
        database.setdefault("OPTIONS", {})["timeout"] = sqlite_timeout
        connection.close()  # the next connection (and each thread's) uses it
    ensure_data_dir()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def demo(port: int = DEFAULT_PORT, *, echo: Callable[[str], None] = print) -> None:
    """(a) migrate, (b) collectstatic, (c) load the demo data, (d) serve on 127.0.0.1:PORT."""
    prepare_demo(echo)
    echo(f"Open http://127.0.0.1:{port}/ (Ctrl+C to stop)")
    _runserver(port)


def serve(port: int = DEFAULT_PORT) -> None:
    """Migrate, collect static files and serve on 127.0.0.1:PORT (no demo data)."""
    _setup()
    _runserver(port)
