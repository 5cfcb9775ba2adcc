#!/bin/sh
# Render bomrank's HTML report of the sample fleet in headless Chromium and
# write a screenshot, to look at: scripts/render-html.sh [OUT.png]
# Needs Debian's chromium (apt-get install chromium). Runs offline.
set -eu
out=${1:-/tmp/bomrank-report.png}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/bomrank scan -q -a testdata/feeds -f html -o "$tmp/report.html" testdata/fleet || [ $? -eq 3 ]
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$tmp/profile" --screenshot="$out" \
	--window-size=1280,2000 "file://$tmp/report.html" 2>/dev/null
echo "wrote $out"
