#!/usr/bin/env bash
# The whole suite: format and lint (Biome), repeated code (jscpd), type check, dead code (knip),
# the StartOS package (type check, SDK lint, bundle), then every test (unit, in-process, system on
# the simulated cluster, real OpenSSH, real audio, browser, Deno). Prints a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-tools.sh || exit 1

echo "== format and lint"
npx biome ci . || { echo "0 passed, 1 failed"; exit 1; }

echo "== repeated code (no block over 12 lines twice in services/, shared/, ui/ outside tests)"
npx jscpd --silent || { npx jscpd; echo "0 passed, 1 failed"; exit 1; }

echo "== type check"
npx tsc --noEmit -p tsconfig.json || { echo "0 passed, 1 failed"; exit 1; }

# Before knip: this installs startos/'s own dependencies, which knip checks too.
echo "== StartOS package (type check, SDK lint, bundle)"
bash scripts/startos-check.sh || { echo "0 passed, 1 failed"; exit 1; }

echo "== unused files, dependencies and exports"
npx knip --no-progress || { echo "0 passed, 1 failed"; exit 1; }

echo "== tests"
mkdir -p .data
# Unit tests and system tests (whole stacks, a browser) two files at a time, then the tests that
# measure time one at a time (vitest.config.ts). Arguments (file filters) go to every run.
unit=.data/vitest-unit.json
system=.data/vitest-system.json
timing=.data/vitest-timing.json
failures=.data/vitest-failures.txt
notes=.data/vitest-notes.txt
rm -f "$unit" "$system" "$timing" "$failures" "$notes"
npx vitest run --project unit --maxWorkers=2 --passWithNoTests --reporter=default --reporter=json --reporter=./tests/support/failure-reporter.ts --outputFile.json="$unit" "$@"
unit_status=$?
npx vitest run --project system --maxWorkers=2 --passWithNoTests --reporter=default --reporter=json --reporter=./tests/support/failure-reporter.ts --outputFile.json="$system" "$@"
system_status=$?
npx vitest run --project timing --maxWorkers=1 --passWithNoTests --reporter=default --reporter=json --reporter=./tests/support/failure-reporter.ts --outputFile.json="$timing" "$@"
timing_status=$?
node scripts/test-summary.mjs "$failures" "$notes" "$unit" "$system" "$timing"
[ "$unit_status" -eq 0 ] && [ "$system_status" -eq 0 ] && [ "$timing_status" -eq 0 ]
