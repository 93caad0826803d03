#!/usr/bin/env bash
# Runs every bench_* management command against a throwaway PostgreSQL (as make test
# starts it). Each prints its figures as key=value pairs on its last line; at the end the
# last line of each command is printed again. A command that fails does not stop the
# others (each removes what it made, also after a failure); the exit status is then 1.
# BENCH=bench_kpi runs only that command, and only then are ARGS its own options (the
# commands take different ones; their sizes also come from BENCH_* variables).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
source scripts/lib/services.sh
services_start bench 200
[ -n "${DATABASE_URL:-}" ] || { echo "make bench: needs PostgreSQL binaries (initdb, pg_ctl)"; exit 1; }
$PY manage.py migrate --noinput -v0
commands=${BENCH:-$($PY manage.py help --commands | grep '^bench_')}
if [ -z "${BENCH:-}" ] && [ $# -gt 0 ]; then
  echo "make bench: ARGS go to one command only: BENCH=bench_… ARGS=\"$*\""; exit 2
fi
log="$WORK/bench-logs"  # removed with the throwaway cluster (services_stop)
mkdir -p "$log"
failed=()
for command in $commands; do
  echo "make bench: $command"
  if ! $PY manage.py "$command" "$@" 2>&1 | tee "$log/$command"; then
    failed+=("$command")
  fi
done
echo "make bench: summary (last line of each)"
for command in $commands; do
  status=ok; [[ " ${failed[*]} " == *" $command "* ]] && status=FAILED
  echo "  $command [$status]: $(tail -n 1 "$log/$command")"
done
[ ${#failed[@]} -eq 0 ] || { echo "make bench: failed: ${failed[*]}"; exit 1; }
