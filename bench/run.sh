#!/usr/bin/env bash
# Documents benchmark: set up, make sure LibreOffice (the baseline) is there, run on one core.
# Usage: bash bench/run.sh [--repeat N] [--batch N] [--batch-repeat N] [--no-libreoffice] ...
# (options go to bench/documents.py; see its --help). Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

wait_for_apt() {
  # Another apt/dpkg (e.g. a background install) may hold the lock: wait up to 5 minutes.
  local waited=0
  while fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock \
      >/dev/null 2>&1 || pgrep -x 'apt-get|apt|dpkg' >/dev/null 2>&1; do
    if [ "$waited" -ge 300 ]; then
      echo "bench: apt/dpkg still busy after ${waited}s; going on without waiting" >&2
      return 1
    fi
    [ "$waited" = 0 ] && echo "bench: waiting for another apt/dpkg to finish..."
    sleep 5
    waited=$((waited + 5))
  done
}

if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    # It may be installing right now in the background: wait for that first.
    wait_for_apt || true
    if ! command -v soffice >/dev/null 2>&1; then
      echo "bench: installing LibreOffice (libreoffice-writer-nogui) for the baseline"
      for attempt in 1 2 3; do
        if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            -o DPkg::Lock::Timeout=300 libreoffice-writer-nogui >/dev/null \
          || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends -o DPkg::Lock::Timeout=300 libreoffice-writer-nogui \
            >/dev/null; }; then
          break
        fi
        echo "bench: apt-get failed (attempt $attempt); retrying" >&2
        wait_for_apt || true
      done
    fi
  fi
fi
if ! command -v soffice >/dev/null 2>&1; then
  echo "################################################################################" >&2
  echo "## bench: LibreOffice is MISSING: OpenITA's figures only, NO baseline, NO ratios." >&2
  echo "## Install it: sudo apt-get install --no-install-recommends libreoffice-writer-nogui" >&2
  echo "################################################################################" >&2
fi

pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  pin=(taskset -c 0)
else
  echo "bench: taskset is not available: running on every core (figures not comparable)" >&2
fi
exec "${pin[@]}" .venv/bin/python bench/documents.py "$@"
