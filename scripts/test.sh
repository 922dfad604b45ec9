#!/usr/bin/env bash
# The whole suite: format and lint (Biome), repeated code (jscpd), type check, dead code (knip),
# then every test (unit, in-process, system on the simulated cluster, real OpenSSH, real audio,
# browser, Deno). Prints a closing "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-tools.sh || exit 1

echo "== format and lint"
npx biome ci . || { echo "0 passed, 1 failed"; exit 1; }

echo "== repeated code (no block over 12 lines twice in services/, shared/, ui/ outside tests)"
npx jscpd --silent || { npx jscpd; echo "0 passed, 1 failed"; exit 1; }

echo "== type check"
npx tsc --noEmit -p tsconfig.json || { echo "0 passed, 1 failed"; exit 1; }

echo "== unused files, dependencies and exports"
npx knip --no-progress || { echo "0 passed, 1 failed"; exit 1; }

echo "== tests"
mkdir -p .data
report=.data/vitest-report.json
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
if [ -f "$report" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    const skipped = r.numPendingTests + (r.numTodoTests || 0)
    // A file that fails before its tests run (a beforeAll) fails no test; count the file instead.
    const failed = r.numFailedTests || r.numFailedTestSuites
    console.log(`tests: ${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""))
  ' "$report"
fi
exit $status
