"""Production settings: DEBUG off, SECRET_KEY and ALLOWED_HOSTS from the environment, HTTPS.

``DJANGO_SETTINGS_MODULE=openita.web.settings_production SECRET_KEY=… ALLOWED_HOSTS=ita.example
python -m openita.web.manage check --deploy`` passes. Behind a proxy that terminates TLS, set
``SECURE_PROXY_SSL_HEADER`` by ``OPENITA_BEHIND_PROXY=1``.
"""

from __future__ import annotations

import os

os.environ["OPENITA_DEBUG"] = "0"

from openita.web.settings import *  # noqa: F403
from openita.web.settings import REDIS_URL, env_flag

DEBUG = False
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
# Preloading is a commitment for the whole domain; an agency opts in by SECURE_HSTS_PRELOAD=1.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if env_flag("OPENITA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not REDIS_URL:
    # No Redis: the database cache, shared by every worker and server that shares the database
    # (`manage.py createcachetable` makes its table). With Redis, settings.py chose it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "openita_cache",
        }
    }
# Keep database connections between requests: opening one costs 5-8 ms on PostgreSQL
# (bench/web.py: the agency page's p95 with 4 clients fell from 83 to 51 ms).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
