"""Django's command line for OpenITA: ``python -m openita.web.manage migrate`` and so on."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def ensure_data_dir() -> None:
    """The default SQLite database and collected static files live in the data directory."""
    from django.conf import settings

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)


def main(argv: Sequence[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openita.web.settings")
    from django.core.management import execute_from_command_line

    ensure_data_dir()
    execute_from_command_line(["openita-manage", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
