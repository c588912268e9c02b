"""Settings for bench/surveys.py: the app's own, with the floor's URL added (surveys_urls)."""

from __future__ import annotations

from openita.web.settings import *  # noqa: F403  (the app's settings, unchanged but the URLs)

ROOT_URLCONF = "surveys_urls"
