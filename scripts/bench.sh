#!/usr/bin/env bash
# Runs every bench_* management command against a throwaway PostgreSQL (as make test
# starts it). Each prints its figures as key=value pairs on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
source scripts/lib/services.sh
services_start bench 200
[ -n "${DATABASE_URL:-}" ] || { echo "make bench: needs PostgreSQL binaries (initdb, pg_ctl)"; exit 1; }
$PY manage.py migrate --noinput -v0
# BENCH=bench_kpi runs only that command (ARGS are then its own options).
for command in ${BENCH:-$($PY manage.py help --commands | grep '^bench_')}; do
  echo "make bench: $command"
  $PY manage.py "$command" "$@"
done
