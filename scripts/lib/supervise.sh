# Keep processes running (sourced by scripts/serve.sh, not run).
#
#   supervise NAME COMMAND [ARG...] &     one restart loop per process
#   supervise_wait                        until Ctrl+C or TERM, then stop them all
#
# A process that exits (crash, OOM kill, `kill` by hand) is started again after a pause
# that doubles on each quick failure (1 s, 2 s, 4 s … at most SUPERVISE_MAX_DELAY, 60 s)
# and resets once it has run for SUPERVISE_STABLE_SECONDS (60 s): one dying worker never
# takes the web down with it. Ctrl+C (INT) or TERM stops every loop and every process.

supervise() {
  local name=$1
  shift
  local delay=1 max_delay=${SUPERVISE_MAX_DELAY:-60} stable=${SUPERVISE_STABLE_SECONDS:-60}
  local child=""
  # TERM from supervise_wait: pass it on to the running process, wait for it, stop looping.
  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 0' TERM
  trap '' INT  # Ctrl+C reaches the processes and supervise_wait; the loop waits for TERM
  while true; do
    local started=$SECONDS status=0
    "$@" &
    child=$!
    wait "$child" || status=$?
    child=""
    if (( SECONDS - started >= stable )); then delay=1; fi
    echo "supervise: $name exited with status $status; restarting in ${delay}s" >&2
    sleep "$delay" &
    wait $! || true
    delay=$(( delay * 2 > max_delay ? max_delay : delay * 2 ))
  done
}

supervise_stop() {
  trap - INT TERM EXIT
  echo "supervise: stopping" >&2
  local loops
  loops=$(jobs -p)
  if [ -n "$loops" ]; then
    # shellcheck disable=SC2086
    kill -TERM $loops 2>/dev/null || true
    wait 2>/dev/null || true
  fi
}

supervise_wait() {
  trap 'supervise_stop; exit 130' INT
  trap 'supervise_stop; exit 143' TERM
  trap 'supervise_stop' EXIT
  # `wait` returns when a signal arrives (the traps above); the loops never end by themselves.
  while [ -n "$(jobs -p)" ]; do wait || true; done
}
