#!/usr/bin/env bash
# Screenshots of the browser view: index.html and a feed rendered through feed.xsl, taken by
# headless Chromium (Debian: apt-get install chromium fonts-noto-cjk). Not part of the tests.
#   scripts/screenshots.sh [OUT_DIR]      (default: screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-screenshots}
mkdir -p "$out"
feedbot=${FEEDBOT:-.venv/bin/feedbot}
"$feedbot" -q demo --out feeds >/dev/null
"$feedbot" -q serve --dir feeds --port 8000 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sleep 1
for page in index.html ai.atom; do
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" --window-size=1000,1300 \
        --screenshot="$out/${page%%.*}.png" "http://127.0.0.1:8000/$page" 2>/dev/null
    echo "$out/${page%%.*}.png"
done
