#!/usr/bin/env bash
# Installs the official SARIF validator (@microsoft/sarif-multitool, from the
# npm registry) into <dir>/node_modules for the SARIF tests. Idempotent.
set -euo pipefail
dir=${1:?usage: install-sarif-validator.sh <dir>}
if [ -x "$dir/node_modules/.bin/sarif-multitool" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm not found: install the Debian package npm (or nodejs)" >&2
  exit 1
fi
mkdir -p "$dir"
echo "corolint setup: installing @microsoft/sarif-multitool into $dir" >&2
# Pinned: the tests read the validator's log format.
npm install --prefix "$dir" --no-audit --no-fund --silent @microsoft/sarif-multitool@5.7.0 >/dev/null
