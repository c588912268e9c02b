#!/usr/bin/env bash
# Set up, then run every check: lint, format, types, and the whole test suite.
# Exits non-zero when anything fails, and when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff check"; .venv/bin/ruff check openita tests bench
echo "== ruff format --check"; .venv/bin/ruff format --check openita tests bench
echo "== mypy"; .venv/bin/mypy openita
echo "== pytest (SQLite)"; .venv/bin/python -m pytest -q "$@"

# The web tests again on PostgreSQL (127.0.0.1:5432, trust auth, database `test`), or a loud
# note that this half was skipped. PG_URL overrides the address.
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ "$(id -u)" = 0 ] \
    && command -v pg_ctlcluster >/dev/null; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
fi
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== pytest tests/web tests/browser (PostgreSQL)"
  DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -q tests/web tests/browser
else
  echo "!! ================================================================== !!"
  echo "!! PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL half  !!"
  echo "!! of the suite was SKIPPED. Install and start PostgreSQL to run it.   !!"
  echo "!! ================================================================== !!"
fi
