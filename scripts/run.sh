#!/usr/bin/env bash
# Builds Yujing (release) on a fresh machine, installing what is missing, and runs it.
#   scripts/run.sh                      scan the Shanghai portal sample (../shared/corpora) or print help
#   scripts/run.sh scan PATH...         any subcommand with its arguments
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product yujing >&2
bin="$PWD/.build/release/yujing"
if [ $# -eq 0 ]; then
    if [ -d ../shared/corpora/shanghai-open-data ]; then
        set -- scan ../shared/corpora/shanghai-open-data
    else
        set -- --help
    fi
fi
exec "$bin" "$@"
