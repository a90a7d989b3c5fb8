#!/usr/bin/env bash
# Screenshots of the output's pages as a person sees them: index.html, a feed page (ai.html) and
# an archive month page, at desktop and phone widths, light, plus the feed page in dark mode, by
# headless Chromium (Debian: apt-get install chromium fonts-noto-cjk). Not part of the tests.
#
#   scripts/screenshots.sh [--out DIR] [--replica-port N] [--serve-port N]
#
# It serves the replica of 팩플 on --replica-port (default 8091), runs feedbot once against it
# into a temporary directory with 8 stories a feed (so that older stories go to archive months),
# serves that with `feedbot serve` on --serve-port (default 8092) and photographs it. Everything
# it starts is stopped, and the temporary directory (store, output, browser profiles) removed,
# however it ends. Article images come from the site's image host: without internet access they
# show as grey tiles.
set -euo pipefail
cd "$(dirname "$0")/.."

out=screenshots
replica_port=8091
serve_port=8092
while [ $# -gt 0 ]; do
    case $1 in
        --out) out=$2; shift 2 ;;
        --replica-port) replica_port=$2; shift 2 ;;
        --serve-port) serve_port=$2; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
feedbot=${FEEDBOT:-.venv/bin/feedbot}
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "chromium not found (apt-get install chromium)" >&2; exit 1; }
mkdir -p "$out"

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

wait_for() {  # wait until 127.0.0.1:$1 accepts connections (10 s at most)
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    return 1
}

"$feedbot" -q replica --port "$replica_port" >/dev/null &
pids+=($!)
wait_for "$replica_port"
cat >"$work/config.toml" <<EOF
[site]
base_url = "http://127.0.0.1:$replica_port"
[fetch]
min_interval_s = 0.05
jitter_s = 0.0
[store]
path = "$work/feedbot.db"
[output]
dir = "$work/feeds"
base_url = "http://127.0.0.1:$serve_port/"
feed_size = 8
EOF
"$feedbot" -q run --once --config "$work/config.toml" >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; exit 1; }
"$feedbot" -q serve --dir "$work/feeds" --port "$serve_port" >/dev/null 2>&1 &
pids+=($!)
wait_for "$serve_port"

archive=$(cd "$work/feeds" && ls archive/ai/*.html | sort | tail -n 1)
shot() {  # shot NAME PATH WIDTH HEIGHT [extra chromium flags]
    local name=$1 path=$2 width=$3 height=$4
    shift 4
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$work/profile-$name" --window-size="$width,$height" \
        "$@" --screenshot="$out/$name.png" "http://127.0.0.1:$serve_port/$path" >/dev/null 2>&1
    rm -rf "$work/profile-$name"
    echo "$out/$name.png"
}
for page in "index:index.html" "feed:ai.html" "archive:$archive"; do
    name=${page%%:*}
    path=${page#*:}
    shot "$name-desktop" "$path" 1280 1600
    shot "$name-phone" "$path" 390 1600
done
shot feed-phone-dark ai.html 390 1600 --blink-settings=preferredColorScheme=0
