#!/usr/bin/env bash
# Install the system packages Pressroom needs, where they are missing (Debian; run as root).
#   scripts/system-deps.sh          fonts for the PDF
#   scripts/system-deps.sh --test   also Java (EPUBCheck) and Chromium (preview tests)
set -euo pipefail

want=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

have_pkg fonts-ebgaramond || want+=(fonts-ebgaramond)
if [[ "${1:-}" == "--test" ]]; then
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
fi

if (( ${#want[@]} )); then
  echo "Installing system packages: ${want[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null || true
fi
