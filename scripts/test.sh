#!/usr/bin/env bash
# Runs the whole suite. On a machine with PostgreSQL binaries it starts a throwaway
# cluster (initdb + pg_ctl in a temp dir, unix socket only) and tests on it; otherwise
# it says so and tests on SQLite. A redis-server on PATH is started the same way.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
source scripts/lib/services.sh
mkdir -p .test-report
services_start test

if [ -x /usr/bin/chromium ]; then
  echo "make test: browser=/usr/bin/chromium"
else
  echo "make test: browser=none (Debian's chromium is not installed; browser tests will skip)"
fi

set +e
$PY -m pytest "$@"
status=$?
set -e
echo "make test: pytest exit status $status"
exit $status
