#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# One build for everything (tests included): a plain `swift build` followed by `swift test` compiles the
# whole dependency tree twice.
swift build --build-tests
export YUJING_BIN="$PWD/.build/debug/yujing"
swift test --skip-build
