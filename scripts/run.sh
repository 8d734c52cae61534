#!/usr/bin/env bash
# Builds Yujing (release) on a fresh machine, installing what is missing, and runs it.
#   scripts/run.sh                      run the daemon (yujing serve) on embedded defaults: ./var, 127.0.0.1:8640
#   scripts/run.sh scan PATH...         any subcommand with its arguments
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product yujing >&2
bin="$PWD/.build/release/yujing"
if [ $# -eq 0 ]; then
    mkdir -p var
    set -- serve
fi
exec "$bin" "$@"
