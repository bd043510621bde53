#!/usr/bin/env bash
# The kiosk's key-to-frame figure (benches/kiosk_keys.rs) on a quarter of one core, standing for a low-cost
# ARM kiosk board: pinned to CPU 0 with taskset and held to 25% of it by a cgroup CPU quota with a short
# period (1 ms of every 4 ms), so that throttling does not dominate. cgroup v2 (cpu.max) or v1
# (cpu.cfs_quota_us). Needs root. Usage: benches/kiosk_keys_slow.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "needs root (a cgroup is made for the run)" >&2; exit 1; }
cargo bench --bench kiosk_keys --no-run --quiet
exe=$(ls -t target/release/deps/kiosk_keys-* | grep -v '\.d$' | head -1)
name="motcua-quarter-$$"
if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    group="/sys/fs/cgroup/$name"
    mkdir "$group"
    echo "1000 4000" > "$group/cpu.max"
elif [ -d /sys/fs/cgroup/cpu ]; then
    group="/sys/fs/cgroup/cpu/$name"
    mkdir "$group"
    echo 4000 > "$group/cpu.cfs_period_us"
    echo 1000 > "$group/cpu.cfs_quota_us"
else
    echo "no cgroup CPU controller found" >&2
    exit 1
fi
trap 'rmdir "$group" 2>/dev/null || true' EXIT
echo "quarter of CPU 0: $group"
# The shell moves itself into the group, then becomes the bench pinned to CPU 0.
sh -c "echo \$\$ > '$group/cgroup.procs' && exec taskset -c 0 '$exe' --keys-only"
