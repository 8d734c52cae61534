#!/usr/bin/env bash
# The full test suite on a fresh machine: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# One build for everything (tests included): a plain `swift build` followed by `swift test` compiles the
# whole dependency tree twice.
swift build --build-tests
export YUJING_BIN="$PWD/.build/debug/yujing"
# Headless Chromium is heavy on a 2-core machine and some tests time their own work (ingest while a receiver is
# dead, adapter retries): run the browser tests after the rest, on their own.
swift test --skip-build --skip ConsoleBrowserTests
swift test --skip-build --filter ConsoleBrowserTests
