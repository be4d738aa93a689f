#!/usr/bin/env bash
# Debian's Chromium for the status report's browser test. Never a browser download: this project's
# machines reach the Debian archive, not browser CDNs (npx playwright install fails there).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
chromium --version
