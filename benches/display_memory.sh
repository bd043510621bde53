#!/usr/bin/env bash
# The display board's resident memory at 1920x1080 (and 3840x2160), release build, following a real hub
# (`motcua serve`) with 30 counters, 30 calls made and people waiting; beside, in the same run, the same
# board with the OpenGL renderer (femtovg on Mesa llvmpipe) and the kiosk's home screen.
# Needs an X display: uses $DISPLAY, or starts Xvfb (Debian: xvfb) on :96 at 3840x2160.
# Usage: benches/display_memory.sh [RUNS]   (default 3). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
cargo build --release --quiet
bin="$PWD/target/release/motcua"
work="$(mktemp -d)"
cleanup() {
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    [ -n "${hub:-}" ] && kill "$hub" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
    Xvfb :96 -screen 0 3840x2160x24 >/dev/null 2>&1 &
    xvfb=$!
    export DISPLAY=:96
    sleep 1
fi

# The hall: every service open all day, 30 counters.
hall="$work/hall.toml"
{
    printf '[hub]\nlisten = "127.0.0.1:0"\n\n'
    for s in "HT A Hộ tịch" "CT B Chứng thực" "DD C Đất đai – Xây dựng" "XH D Lao động – Thương binh và Xã hội"; do
        set -- $s
        code=$1 prefix=$2
        shift 2
        printf '[[services]]\ncode = "%s"\nprefix = "%s"\nname_vi = "%s"\nname_en = "%s"\n' "$code" "$prefix" "$*" "$code"
        printf 'hours = ["00:00-24:00"]\nsaturday_hours = ["00:00-24:00"]\nsunday_hours = ["00:00-24:00"]\n\n'
    done
    for n in $(seq 30); do
        printf '[[counters]]\nnumber = %d\nname = "Quầy %d"\nservices = ["HT", "CT", "DD", "XH"]\n\n' "$n" "$n"
    done
} > "$hall"
data="$work/hub"
run() { MOTCUA_LOG=warn "$bin" --config "$hall" --data-dir "$data" "$@"; }
for n in $(seq 30); do echo "$((100000 + n))" | run counter set-pin "$n" >/dev/null; done
kiosk=$(run device add kiosk-1 --role kiosk)
board=$(run device add board-1 --role display)
run serve > "$work/hub.out" 2>/dev/null &
hub=$!
for _ in $(seq 50); do grep -q listening "$work/hub.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/listening/ {print $NF}' "$work/hub.out")

# 120 tickets taken, 30 called.
python3 - "$url" "$kiosk" <<'PY'
import json, sys, urllib.request
url, kiosk = sys.argv[1], sys.argv[2]
def post(path, body, token=None):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req))
for i in range(120):
    r = post("/api/v1/tickets", {"service": ["HT", "CT", "DD", "XH"][i % 4]}, kiosk)
    post("/api/v1/tickets/%d/outcome" % r["ticket"]["id"], {"outcome": "printed"}, kiosk)
for n in range(1, 31):
    s = post("/api/v1/counter/login", {"counter": n, "pin": str(100000 + n), "bearer": True})["session"]
    post("/api/v1/counter/next", {}, s)
PY

measure_display() { # renderer width height
    printf '[display]\nhub = "%s"\nhub_token = "%s"\nfullscreen = false\nwidth_px = %d\nheight_px = %d\nrenderer = "%s"\nnotice = "Giờ làm việc: sáng 7:30–11:30, chiều 13:30–17:00"\n' \
        "$url" "$board" "$2" "$3" "$1" > "$work/display.toml"
    MOTCUA_LOG=warn "$bin" --config "$work/display.toml" --data-dir "$work/display" display --no-audio --measure-start 2>/dev/null
}
measure_kiosk() {
    printf '[kiosk]\nfullscreen = false\nscreen_width_px = 1920\nscreen_height_px = 1080\n[hub]\nlisten = "127.0.0.1:0"\n' > "$work/kiosk.toml"
    MOTCUA_LOG=warn "$bin" --config "$work/kiosk.toml" --data-dir "$work/kiosk" kiosk --measure-start 2>/dev/null
}
row() { # label json-lines…
    local label=$1; shift
    printf '%s\n' "$@" | python3 -c 'import sys, json, statistics as st
rows = [json.loads(l) for l in sys.stdin if l.strip()]
rss = [r["rss_kb"] / 1024 for r in rows]; pss = [r["pss_kb"] / 1024 for r in rows]
print("| %s | %.1f (%.1f-%.1f) | %.1f |" % (sys.argv[1], st.median(rss), min(rss), max(rss), st.median(pss)))' "$label"
}

echo "| what | RSS (MB), median (range) | PSS (MB) |"
echo "|---|---|---|"
for spec in "software 1920 1080" "software 3840 2160" "femtovg 1920 1080"; do
    set -- $spec
    lines=()
    for _ in $(seq "$runs"); do lines+=("$(measure_display "$1" "$2" "$3")"); done
    label="display board, $1 renderer, $2×$3"
    [ "$1" = femtovg ] && label="$label (OpenGL on Mesa llvmpipe)"
    row "$label" "${lines[@]}"
done
lines=()
for _ in $(seq "$runs"); do lines+=("$(measure_kiosk)"); done
row "kiosk home screen, software renderer, 1920×1080" "${lines[@]}"
echo
echo "(sampled $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs); $runs runs each)"
