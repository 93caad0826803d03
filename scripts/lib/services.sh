# Throwaway PostgreSQL and Redis for `make test` and `make bench` (sourced, not run).
# Call `services_start`; it sets WORK, exports DATABASE_URL / REDIS_TEST_URL when the
# binaries exist and prints which were used; `services_stop` is registered on EXIT.

as_postgres() {
  # initdb refuses to run as root: run the cluster as the postgres user then.
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_pg_bin() {
  for dir in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent)")" /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

services_stop() {
  if [ -f "${PG_DATA:-/nonexistent}/postmaster.pid" ]; then as_postgres pg_ctl -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true; fi
  if [ -n "${REDIS_PID:-}" ]; then kill "$REDIS_PID" 2>/dev/null || true; fi
  rm -rf "${WORK:-/nonexistent}"
}

# services_start <label> [max_connections]
services_start() {
  local label=$1 max_connections=${2:-50}
  WORK=$(mktemp -d /tmp/lp-portal-$label.XXXXXX)
  chmod 755 "$WORK"
  PG_DATA="$WORK/pgdata"
  trap services_stop EXIT
  if PG_BIN=$(find_pg_bin); then
    export PATH="$PG_BIN:$PATH"
    if [ "$(id -u)" = "0" ]; then chown postgres "$WORK"; fi
    as_postgres initdb -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$WORK/initdb.log" 2>&1 \
      || { cat "$WORK/initdb.log"; exit 1; }
    as_postgres pg_ctl -D "$PG_DATA" -l "$WORK/postgres.log" -w -o \
      "-k $WORK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=$max_connections" \
      start >/dev/null || { cat "$WORK/postgres.log"; exit 1; }
    export DATABASE_URL="postgres://postgres@/postgres?host=$WORK"
    echo "make $label: database=postgresql ($("$PG_BIN/postgres" --version)), throwaway cluster in $WORK"
  else
    unset DATABASE_URL
    echo "make $label: database=sqlite (no PostgreSQL binaries found: initdb/pg_ctl not on PATH)"
  fi
  if command -v redis-server >/dev/null 2>&1; then
    REDIS_PORT=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    export REDIS_TEST_URL="redis://127.0.0.1:$REDIS_PORT/0"
    echo "make $label: redis=$REDIS_TEST_URL"
  else
    echo "make $label: redis=none (redis-server not installed; Redis tests will skip)"
  fi
}
