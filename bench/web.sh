#!/usr/bin/env bash
# Web benchmark: set up, then time the main pages behind gunicorn on SQLite and, when a
# PostgreSQL answers on 127.0.0.1:5432, on PostgreSQL too (a separate database, openita_bench,
# created and dropped by the benchmark; the server's other databases are not touched).
# Usage: bash bench/web.sh [--requests N] [--warmup N] [--clients N] [--workers N] ...
# (options go to bench/web.py; see its --help). Results: bench/results/web-*.
# PG_URL overrides the server (default postgres://postgres@127.0.0.1:5432/test).
# --cluster: through nginx in front of 1, then 2 app servers (scripts/cluster.sh), PostgreSQL and
# Redis (OPENITA_REDIS_URL or --redis-url, default redis://127.0.0.1:6379/0), in the same run;
# results bench/results/cluster-*.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

pg_url="${PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg=()
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg=(--database-url "$pg_url")
else
  echo "bench: PostgreSQL is not ready on 127.0.0.1:5432: SQLite only" >&2
fi
if [ "${#pg[@]}" = 0 ] && [[ " $* " == *" --cluster "* ]]; then
  echo "bench: --cluster needs PostgreSQL on 127.0.0.1:5432" >&2
  exit 2
fi
exec .venv/bin/python bench/web.py "${pg[@]}" "$@"
