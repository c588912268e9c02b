#!/usr/bin/env bash
# Set up, then run every check: lint, format, types, and the whole test suite.
# Exits non-zero when anything fails, and when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff check"; .venv/bin/ruff check openita tests
echo "== ruff format --check"; .venv/bin/ruff format --check openita tests
echo "== mypy"; .venv/bin/mypy openita
echo "== pytest"; .venv/bin/python -m pytest -q "$@"
