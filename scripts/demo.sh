#!/usr/bin/env bash
# The main job: set up everything, load the demo data into the web app (SQLite in ./.openita)
# and serve it on http://127.0.0.1:8000/ (or --port N). The demo logins are printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/openita demo --serve "$@"
