#!/usr/bin/env bash
# Make the CMYK profile the print cover's colours are separated with (src/pressroom/resources/icc/),
# from FOGRA39L.ti3, the FOGRA39 characterization data (ISO 12647-2 coated offset) that Debian's
# icc-profiles-free ships under the Zlib licence, with ArgyllCMS's colprof. Run it only to remake
# the shipped file; a build needs neither package.
#   -ql     low quality tables (155 KB; a cover's few colours and photographs need no more)
#   -l240   total ink at most 240 %: IngramSpark's File Creation Guide (cover: "total ink density
#           should not exceed 240%"), the only printer whose covers are separated (printers.py)
set -euo pipefail

for pkg in icc-profiles-free argyll; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || apt-get install -y -qq --no-install-recommends "$pkg"
done
out="$(cd "$(dirname "$0")/.." && pwd)/src/pressroom/resources/icc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
(cd "$work" && colprof -ql -l240 \
  -D "FOGRA39L coated (ISO 12647-2), total ink 240 %, ArgyllCMS colprof" \
  -C "Zlib licence (characterization data FOGRA39L.ti3: Kai-Uwe Behrmann)" FOGRA39L >/dev/null)
cp "$work/FOGRA39L.icc" "$out/FOGRA39L-240.icc"
echo "wrote $out/FOGRA39L-240.icc"
