#!/usr/bin/env bash
# The production build: compile TypeScript to JavaScript and put the dashboard's static files
# beside the compiled dashboard. Usage: scripts/build.sh [OUT_DIR] (default dist).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
npx tsc -p tsconfig.build.json --outDir "$out"
mkdir -p "$out/ui"
rm -rf "$out/ui/static"
cp -r ui/static "$out/ui/static"
