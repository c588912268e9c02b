"""Settings for development and the demo; production adds ``settings_production``.

Everything comes from the environment, with defaults that need no configuration:

* ``DATABASE_URL``: any URL dj-database-url reads; default SQLite at
  ``$OPENITA_DATA_DIR/openita.sqlite3`` (``OPENITA_DATA_DIR`` defaults to ``./.openita``).
* ``OPENITA_DEBUG``: "1" (default here) or "0".
* ``SECRET_KEY``, or ``SECRET_KEY_FILE`` naming a file that holds it: required when not DEBUG; a
  fixed development key otherwise. Several app servers must share the same key (sessions,
  password-reset links and the signed upload tokens are checked with it).
* ``OPENITA_REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/0``): the cache, the login throttle and
  sessions (``cached_db``: read from Redis, kept in the database) go through Redis, shared by
  every app server; ``OPENITA_CACHE_PREFIX`` prefixes its keys (default ``openita``). Without
  it: a per-process memory cache (production: the database cache) and database sessions.
* ``OPENITA_TRUSTED_PROXIES``: comma-separated addresses of reverse proxies whose
  ``X-Forwarded-For`` is believed (the login throttle counts per client address).
* ``ALLOWED_HOSTS``: comma-separated; default localhost names.
* ``EMAIL_URL``-less e-mail: the console backend unless ``EMAIL_HOST`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from fontpkg_sarabun import ROOT as SARABUN_ROOT

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("OPENITA_DATA_DIR", ".openita")).resolve()


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("OPENITA_DEBUG", True)

_DEV_SECRET = "openita-development-only-not-secret"


def secret_from_environment() -> str:
    """``SECRET_KEY``, else the first line of the file ``SECRET_KEY_FILE`` names; "" if neither."""
    if key := os.environ.get("SECRET_KEY", "").strip():
        return key
    if not (name := os.environ.get("SECRET_KEY_FILE", "").strip()):
        return ""
    try:
        lines = Path(name).read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE {name}: cannot read it ({exc})") from exc
    key = lines[0].strip() if lines else ""
    if len(key) < 32:
        raise ImproperlyConfigured(
            f"SECRET_KEY_FILE {name}: the key on its first line is {len(key)} characters long; "
            "at least 32 are needed"
        )
    return key


SECRET_KEY = secret_from_environment()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when OPENITA_DEBUG is off")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # Ours first, so that our registration/* templates win over the admin's.
    "openita.web.ui",
    "openita.web.accounts",
    "openita.web.agencies",
    "openita.web.results",
    "openita.web.plans",
    "openita.web.approvals",
    "openita.web.publishing",
    "openita.web.audit",
    "openita.web.evidence",
    "openita.web.unitlinks",
    "openita.web.reminders",
    "openita.web.frameworks",
    "openita.web.oit",
    "openita.web.bulkimport",
    "openita.web.api",
    "openita.web.overview",
    "openita.web.jobs",
    "openita.web.surveys",
    "openita.web.compare",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "openita.web.ui.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (Django masks its tokens and pads gzip against BREACH); static files
    # are answered above by WhiteNoise, with its own .gz/.br copies (see STORAGES).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openita.web.ui.middleware.ThaiFirstLocaleMiddleware",
    "openita.web.ui.middleware.RequestSizeLimitMiddleware",
    "openita.web.ui.middleware.FriendlyMethodMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "openita.web.urls"
WSGI_APPLICATION = "openita.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

DEFAULT_SQLITE = DATA_DIR / "openita.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (app server workers, the background worker) write the same file: WAL
    # lets readers go on during a write, IMMEDIATE takes the write lock when a transaction
    # starts (no lock upgrade to fail half-way), and a writer waits up to 20 s for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins per username and address before a lock, and how long it lasts.
LOGIN_FAILURE_LIMIT = 5
LOGIN_LOCK_SECONDS = 15 * 60

# Shared state of several app servers: with Redis the cache (the login throttle's counts
# included) and the sessions are the same whichever server answers. Sessions are cached_db:
# read from Redis, written to Redis and the database, so they outlive a restart of any server,
# Redis included (docs/decisions/0020-several-app-servers.md).
REDIS_URL = os.environ.get("OPENITA_REDIS_URL", "").strip()
CACHE_PREFIX = os.environ.get("OPENITA_CACHE_PREFIX", "openita").strip() or "openita"
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"OPENITA_REDIS_URL must start with redis://, rediss:// or unix://, not {REDIS_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Reverse proxies whose X-Forwarded-For header is believed (openita/web/accounts/forms.py).
TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("OPENITA_TRUSTED_PROXIES", "").split(",") if a.strip()
)

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [("fonts", str(Path(SARABUN_ROOT) / "files"))]
# In development (and tests, where Django turns DEBUG off) serve static files straight from the
# apps and the font package: no collectstatic needed. Production serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes .gz and .br beside each file; WhiteNoise sends them to browsers
    # that accept them (openita serve/demo run collectstatic first).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: score files are small; keep them in memory and refuse big ones early.
# The largest request body accepted at all (413 before it is read); forms check their own limits.
OPENITA_MAX_REQUEST_BYTES = int(os.environ.get("OPENITA_MAX_REQUEST_MB", "25")) * 1024 * 1024
CSRF_FAILURE_VIEW = "openita.web.ui.views.csrf_failure"
# Plain form widgets written in Python (same HTML as Django's templates, faster).
FORM_RENDERER = "openita.web.ui.forms_renderer.FastWidgetRenderer"
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 21 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "openita@localhost")

SESSION_COOKIE_HTTPONLY = True
# How long a login lasts: two weeks by Django's default is long for a shared office computer.
# OPENITA_SESSION_HOURS sets it (the demo uses 8, production 12 unless set); a session also
# ends when the browser closes if OPENITA_SESSION_BROWSER=1.
SESSION_COOKIE_AGE = int(float(os.environ.get("OPENITA_SESSION_HOURS", "12")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_flag("OPENITA_SESSION_BROWSER", False)
X_FRAME_OPTIONS = "DENY"


# Background tasks (django-tasks): the database queue by default, so a laptop needs no other
# service; OPENITA_TASKS=rq puts them on Redis (OPENITA_RQ_URL, else OPENITA_REDIS_URL, else
# redis://127.0.0.1:6379/0) where several machines run workers. `openita worker` runs the
# worker of the configured queue. OPENITA_TASKS=immediate runs each task inside the request
# instead (tests, or a quick look without a worker). Long jobs go through openita.web.jobs,
# which makes each unit of work happen exactly once on either queue (docs/decisions/0019).
OPENITA_TASKS = os.environ.get("OPENITA_TASKS", "db").strip().lower() or "db"
if OPENITA_TASKS not in {"db", "rq", "immediate"}:
    raise ImproperlyConfigured(f"OPENITA_TASKS={OPENITA_TASKS}: use db, rq or immediate")
OPENITA_JOBS_QUEUE = os.environ.get("OPENITA_JOBS_QUEUE", "default")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[OPENITA_TASKS],
        "QUEUES": sorted({"default", OPENITA_JOBS_QUEUE}),
    }
}
if OPENITA_TASKS == "rq":
    INSTALLED_APPS.append("django_rq")
    # A Redis database of its own (clearing the cache empties the cache's whole database).
    _RQ_URL = (
        os.environ.get("OPENITA_RQ_URL")
        or os.environ.get("OPENITA_REDIS_URL")
        or "redis://127.0.0.1:6379/0"
    )
    RQ_QUEUES = {name: {"URL": _RQ_URL} for name in TASKS["default"]["QUEUES"]}

# The public (EIT) survey: starts and sends per hour from one address (docs/surveys-anonymity.md).
OPENITA_SURVEY_RATE = int(os.environ.get("OPENITA_SURVEY_RATE", "120"))
