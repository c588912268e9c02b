#!/usr/bin/env bash
# The main job: set up, then run the OpenITA demo (score and analyse the bundled example agency).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/openita demo "$@"
