#!/usr/bin/env bash
# Runs Herald's whole test suite on a fresh machine: installs what the tests need (idempotently), builds, tests.
# Ends with one plain line "N passed, N failed, N skipped".
#   ./test.sh          everything (what CI runs)
#   ./test.sh --fast   unit tests only: no Orleans cluster, broker or other process (traits "cluster", "process")
set -euo pipefail
cd "$(dirname "$0")"

filter=()
if [ "${1:-}" = "--fast" ]; then
  filter=(--filter "Category!=cluster&Category!=process")
else
  scripts/install-test-deps.sh
fi

log=$(mktemp)
status=0
# --blame-hang-timeout turns a hung test into a failure with a dump instead of a stuck CI run.
dotnet test Orleans.sln --nologo --blame-hang-timeout 5m "${filter[@]}" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly.
summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}')
rm -f "$log"
echo "$summary"
if [ "$status" -eq 0 ] && [ "${summary%% *}" = "0" ]; then
  echo "no tests ran" >&2
  exit 1
fi
exit "$status"
