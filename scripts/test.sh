#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
swift build
export YUJING_BIN="$PWD/.build/debug/yujing"
swift test
