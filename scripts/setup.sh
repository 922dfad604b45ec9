#!/usr/bin/env bash
# Everything a fresh Debian 12 + Node 20 machine needs before the demo or the tests:
# the Debian tools (scripts/setup-system.sh) and the npm packages pinned in package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node >= 20.19 is required, found "+process.version); process.exit(1) }'
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "setup: npm packages already installed"
else
  npm ci --no-audit --no-fund
fi
