#!/usr/bin/env bash
# Installs what Yujing needs on a fresh Debian machine (run as root, or with sudo available).
#   scripts/install-deps.sh          system packages the product is built on
#   scripts/install-deps.sh --test   plus what the test suite needs (python-stdnum, openpyxl, prometheus-alertmanager, promtool from prometheus, nginx, chromium, ...)
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev)
if [ "${1:-}" = "--test" ]; then
    packages+=(python3 ripgrep prometheus-alertmanager prometheus nginx chromium fonts-wqy-microhei)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
    python3 - <<'PY' 2>/dev/null || { echo "installing Python test tools (python-stdnum, openpyxl)" >&2; \
        python3 -m pip install -q python-stdnum==2.2 openpyxl; }
import stdnum, openpyxl
PY
fi
