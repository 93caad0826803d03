#!/usr/bin/env bash
# `make mutation`: mutation testing (mutmut 3) of the modules whose figures move money,
# each against its own tests only, and only the tests that need no database (fast).
# Prints "module: killed K / total T = P%" per module and a last line; exits 1 when a
# module is below MUTATION_THRESHOLD (90) or does not run. Not part of `make test`.
#
#   bash scripts/mutation.sh            # all modules
#   bash scripts/mutation.sh metrics    # one (metrics, scoring, ledger)
#
# mutmut reads its config from pyproject.toml in the directory it runs in, one config per
# run; so each module runs in its own directory, var/mutation/<module>/, holding links to
# the project's packages and a pyproject.toml that is ours plus that module's
# [tool.mutmut]. mutmut copies the packages into var/mutation/<module>/mutants/ and runs
# pytest there. Every run starts afresh: mutmut keeps a survivor's verdict across runs
# even after a test that kills it is added, so a cache would report stale scores. The
# copy is removed afterwards (a makemessages over the tree would read it), leaving
# run.log; MUTATION_KEEP=1 keeps it for `cd var/mutation/<module> && mutmut browse`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MUTMUT=$ROOT/.venv/bin/mutmut
PY=$ROOT/.venv/bin/python
THRESHOLD=${MUTATION_THRESHOLD:-90}

declare -A SOURCE=(
  [metrics]=kpi/metrics.py
  [scoring]=training/scoring.py
  [ledger]=kpi/bonus/ledger.py
)
# Each module's tests, as pytest arguments (a TOML list's items): the pure ones only.
declare -A TESTS=(
  [metrics]='"kpi/tests/test_metrics_units.py", "kpi/tests/test_metrics.py",
    "kpi/tests/test_registry.py", "-m", "not django_db"'
  [scoring]='"training/tests/test_scoring.py", "training/tests/test_scoring_mutants.py"'
  [ledger]='"kpi/bonus/tests/test_ledger.py", "kpi/bonus/tests/test_ledger_mutants.py"'
)
ORDER=(metrics scoring ledger)
# What the tests import (our apps, the root conftest) and read (the compiled translations).
PACKAGES='"portal", "kpi", "training", "audits", "incidents"'
LINKS=(portal kpi training audits incidents locale conftest.py)

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=("${ORDER[@]}")
failed=()
started=$(date +%s)

score() { # $1 module: runs mutmut in its own directory, prints its line
  local name=$1 source=${SOURCE[$1]:-} dir=$ROOT/var/mutation/$1
  if [ -z "$source" ]; then
    echo "$name: unknown module (one of: ${ORDER[*]})"
    return 1
  fi
  if [ ! -f "$source" ]; then
    echo "$name: $source does not exist"
    return 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  for entry in "${LINKS[@]}"; do ln -s "$ROOT/$entry" "$dir/$entry"; done
  {
    cat pyproject.toml
    cat <<EOF

[tool.mutmut]
source_paths = [$PACKAGES]
only_mutate = ["$source"]
also_copy = ["conftest.py", "locale"]
pytest_add_cli_args_test_selection = [${TESTS[$name]}]
use_git_change_detection = false
EOF
  } >"$dir/pyproject.toml"

  local began=$(date +%s)
  if ! (cd "$dir" && "$MUTMUT" run >run.log 2>&1 && "$MUTMUT" export-cicd-stats >>run.log 2>&1); then
    echo "$name: mutmut failed (var/mutation/$name/run.log):"
    tail -n 20 "$dir/run.log"
    return 1
  fi
  # Killed: a test failed or the mutant ran out of time; the rest survived or had no test.
  "$PY" - "$dir/mutants/mutmut-cicd-stats.json" "$name" "$THRESHOLD" "$(($(date +%s) - began))" <<'EOF'
import json, sys

path, name, threshold, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
stats = json.load(open(path))
killed = stats["killed"] + stats["timeout"]
total = stats["total"] - stats["skipped"]
percent = 100 * killed / total if total else 0.0
print(f"{name}: killed {killed} / total {total} = {percent:.1f}% ({seconds} s)")
sys.exit(0 if total and percent >= threshold else 1)
EOF
  local status=$?
  # What was not killed, each with its change (equivalent ones: docs/architecture.md).
  local key
  for key in $(cd "$dir" && "$MUTMUT" results | sed -n 's/^ *\([^ :]*\): .*/\1/p'); do
    (cd "$dir" && "$MUTMUT" show "$key") | sed -n -e 's/^# /  /p' -e '/^[-+][-+][-+] /d' \
      -e 's/^\([-+]\) */    \1 /p'
  done
  if [ "${MUTATION_KEEP:-}" != 1 ]; then
    find "$dir" -mindepth 1 -maxdepth 1 ! -name run.log -exec rm -rf {} +
  fi
  return $status
}

for name in "${modules[@]}"; do
  score "$name" || failed+=("$name")
done

seconds=$(($(date +%s) - started))
if [ ${#failed[@]} -gt 0 ]; then
  echo "make mutation: FAIL (below ${THRESHOLD}% or not run: ${failed[*]}) in ${seconds} s"
  exit 1
fi
echo "make mutation: every module at or above ${THRESHOLD}% in ${seconds} s"
