#!/usr/bin/env bash
# The StartOS package's CI gate, the steps `make` runs before packing (docs/STARTOS.md) minus the
# packing itself, which needs start-cli and Docker: install startos/'s own dependencies (when its
# lockfile changed), type-check, the SDK's lint, and the ncc bundle startos/javascript/index.js
# that tests/startos/manifest.test.ts loads. Quiet when it passes; names the failed step otherwise.
set -uo pipefail
cd "$(dirname "$0")/../startos"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step() {
  local name=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "startos-check: FAILED at '$name' (in startos/: $*)" >&2
    exit 1
  fi
}

# npm ci wipes node_modules; run it only when the lockfile is newer than the installed tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ package.json -nt node_modules/.package-lock.json ]; then
  step 'npm ci' npm ci --no-audit --no-fund
fi
step 'type check' npm run check
step 'SDK lint' npm run lint
step 'bundle' npm run build
echo "startos-check: type check, SDK lint and bundle passed ($(du -k javascript/index.js | cut -f1) KiB)"
