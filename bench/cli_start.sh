#!/usr/bin/env bash
# Command start-up benchmark: openita --help and a cold document against python -c pass and a
# cold LibreOffice conversion of the same DOCX, pinned to one core like bench/run.sh.
# Usage: bash bench/cli_start.sh [--repeat N] [--no-libreoffice]. Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[ -x "$python" ] || python=python3
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  pin=(taskset -c 0)
else
  echo "bench: taskset is not available: running on every core" >&2
fi
exec "${pin[@]}" "$python" bench/cli_start.py "$@"
