"""WSGI entry point: ``gunicorn openita.web.wsgi`` (set DJANGO_SETTINGS_MODULE for production)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
application = get_wsgi_application()
