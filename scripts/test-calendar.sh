#!/usr/bin/env bash
# Runs every package's tests with the system clock a year ahead and a year behind (libfaketime),
# so no test's outcome can depend on the day it runs. Turborepo's strict environment drops
# LD_PRELOAD, so vitest runs directly in each package. Needs the packages built (pnpm build or
# the README's test command first) and Debian's `faketime`.
#   pnpm test:calendar            # +400d and -400d
#   pnpm test:calendar +30d       # any offsets libfaketime takes
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null 2>&1; then
  echo "test:calendar needs libfaketime: apt-get install faketime" >&2
  exit 2
fi
offsets=("$@")
[ ${#offsets[@]} -gt 0 ] || offsets=(+400d -400d)
# every workspace package with a test script
packages=()
for manifest in packages/*/package.json apps/*/package.json; do
  grep -q '"test":' "$manifest" && packages+=("$(dirname "$manifest")")
done
status=0
for offset in "${offsets[@]}"; do
  echo "== clock ${offset}: $(faketime -f "${offset}" date -u +%Y-%m-%dT%H:%M:%SZ)"
  for dir in "${packages[@]}"; do
    if (cd "$dir" && faketime -f "${offset}" npx vitest run --testTimeout=30000 --hookTimeout=120000); then
      echo "calendar ${offset} ${dir}: ok"
    else
      echo "calendar ${offset} ${dir}: FAILED" >&2
      status=1
    fi
  done
done
exit "$status"
