#!/usr/bin/env bash
# Install the system packages Pressroom needs, where they are missing (Debian; run as root).
#   scripts/system-deps.sh          fonts (the cover's; the book's text fonts ship in resources/fonts)
#   scripts/system-deps.sh --test   also Java (EPUBCheck), Chromium (preview tests, Ace), poppler, zbar,
#                                   qpdf, tesseract with its Russian, Greek, French, German, Polish and Hebrew
#                                   data (tests/test_fonts.py reads what the PDF draws),
#                                   Node.js and Ace by DAISY (tests/tools/ace, from the npm registry)
set -euo pipefail

want=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

have_pkg fonts-ebgaramond || want+=(fonts-ebgaramond)  # the cover (cover.css, cover.py) names it

if [[ "${1:-}" == "--test" ]]; then
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
  command -v zbarimg >/dev/null 2>&1 || want+=(zbar-tools)  # reads the cover's barcode back (tests)
  command -v qpdf >/dev/null 2>&1 || want+=(qpdf)  # qpdf --check on joined unit PDFs (tests/test_pdf_join.py)
  command -v node >/dev/null 2>&1 || want+=(nodejs)
  command -v npm >/dev/null 2>&1 || want+=(npm)
  for pkg in tesseract-ocr tesseract-ocr-rus tesseract-ocr-ell tesseract-ocr-fra tesseract-ocr-deu \
             tesseract-ocr-pol tesseract-ocr-heb; do
    have_pkg "$pkg" || want+=("$pkg")
  done
fi

if (( ${#want[@]} )); then
  echo "Installing system packages: ${want[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
  command -v fc-cache >/dev/null 2>&1 && fc-cache -f >/dev/null || true
fi

if [[ "${1:-}" == "--test" ]]; then
  # Ace by DAISY, pinned by tests/tools/ace/package-lock.json; it drives Debian's chromium
  # (PUPPETEER_EXECUTABLE_PATH), so Puppeteer must not download a browser of its own.
  ace="$(dirname "$0")/../tests/tools/ace"
  if [[ ! -x "$ace/node_modules/.bin/ace-cli" ]]; then
    echo "Installing Ace by DAISY (npm) into tests/tools/ace"
    (cd "$ace" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi
