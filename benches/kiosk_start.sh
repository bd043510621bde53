#!/usr/bin/env bash
# Kiosk cold start and memory at 1920x1080 with the demo catalog (release build), beside headless Chromium
# showing the same home screen as a static page (benches/kiosk_home.html).
# Needs an X display: uses $DISPLAY, or starts Xvfb (Debian: xvfb) on :97. Chromium: Debian's chromium.
# Usage: benches/kiosk_start.sh [RUNS]   (default 5). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
cargo build --release --quiet
bin="$PWD/target/release/motcua"
work="$(mktemp -d)"
cleanup() {
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    [ -n "${chrome:-}" ] && kill "$chrome" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
    Xvfb :97 -screen 0 1920x1080x24 >/dev/null 2>&1 &
    xvfb=$!
    export DISPLAY=:97
    sleep 1
fi

# One kiosk start: prints "first_frame_ms rss_kb pss_kb".
start_once() { # renderer data_dir
    printf '[kiosk]\nscreen_width_px = 1920\nscreen_height_px = 1080\nrenderer = "%s"\n[hub]\nlisten = "127.0.0.1:0"\n' \
        "$1" > "$work/config.toml"
    local t0 out
    t0=$(date +%s%N)
    out=$(MOTCUA_LOG=warn "$bin" --config "$work/config.toml" --data-dir "$2" kiosk --measure-start 2>/dev/null)
    python3 -c 'import json,sys; d=json.loads(sys.argv[1]); t0=int(sys.argv[2]);
print("%.0f %d %d" % ((d["first_frame_unix_ns"]-t0)/1e6, d["rss_kb"], d["pss_kb"]))' "$out" "$t0"
}

echo "| what | first frame (ms) | RSS (MB) | PSS (MB) |"
echo "|---|---|---|---|"
row() { # label "ms rss pss" lines…
    local label=$1; shift
    printf '%s\n' "$@" | python3 -c 'import sys,statistics as st
rows=[list(map(float,l.split())) for l in sys.stdin if l.strip()]
med=lambda i: st.median(r[i] for r in rows)
rng=lambda i: "%.0f-%.0f" % (min(r[i] for r in rows), max(r[i] for r in rows))
print("| %s | %.0f (%s) | %.1f | %.1f |" % (sys.argv[1], med(0), rng(0), med(1)/1024, med(2)/1024))' "$label"
}
fresh=$(start_once software "$work/fresh")
row "kiosk, software renderer, first start ever (creates the database, loads the demo catalog)" "$fresh"
lines=()
for _ in $(seq "$runs"); do lines+=("$(start_once software "$work/fresh")"); done
row "kiosk, software renderer, later starts (median of $runs, range)" "${lines[@]}"
lines=()
for _ in $(seq "$runs"); do lines+=("$(start_once femtovg "$work/fresh")"); done
row "kiosk, femtovg (OpenGL on Mesa llvmpipe), later starts" "${lines[@]}"

# The usual alternative: a browser showing the same screen. Memory of all its processes after 5 s.
profile="$work/chromium"
t0=$(date +%s%N)
chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1920,1080 \
    --remote-debugging-port=0 "file://$PWD/benches/kiosk_home.html" >/dev/null 2>&1 &
chrome=$!
sleep 5
rss=0
pss=0
for pid in $(pgrep -f -- "--user-data-dir=$profile"); do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    p=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    rss=$((rss + ${r:-0}))
    pss=$((pss + ${p:-0}))
done
procs=$(pgrep -c -f -- "--user-data-dir=$profile" || true)
kill "$chrome" 2>/dev/null || true
chrome=""
echo "| headless Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), the same home as static HTML ($procs processes) | – | $(python3 -c "print('%.1f' % ($rss/1024))") | $(python3 -c "print('%.1f' % ($pss/1024))") |"
echo
echo "(sampled $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs))"
