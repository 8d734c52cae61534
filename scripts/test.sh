#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# One build for everything (tests included): a plain `swift build` followed by `swift test` compiles the
# whole dependency tree twice.
swift build --build-tests
export YUJING_BIN="$PWD/.build/debug/yujing"
# Some tests time their own work (ingest while a receiver is dead, the end-to-end response run) and the console's
# tests start headless Chromium, which is heavy on a 2-core machine: run the console's tests after the rest.
swift test --skip-build --skip YujingConsoleTests
swift test --skip-build --filter YujingConsoleTests
