"""Run in a subprocess by the worker tests and bench/workers.py, against the database that
``DATABASE_URL`` names: ``python -m tests.web.jobs_world N`` migrates, makes N agencies with a
plan each and starts the job "regenerate every agency's documents" (PDF); prints its id."""

from __future__ import annotations

import os
import sys


def main(count: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from openita.web.jobs import services, synthetic

    synthetic.agencies_with_plans(count)
    return int(services.start("documents", {"format": "pdf", "chunk": 1}).pk)  # a unit a plan


if __name__ == "__main__":
    print(main(int(sys.argv[1])))
