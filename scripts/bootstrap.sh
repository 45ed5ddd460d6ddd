#!/usr/bin/env bash
# Set up a fresh machine: a virtualenv in .venv with the pinned requirements.
# --dev adds the test tools and Debian's chromium for the browser tests (apt-get, as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if [[ "${1:-}" == "--dev" ]]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
  if [[ ! -x /usr/bin/chromium ]]; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
  fi
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi
