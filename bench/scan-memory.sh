#!/bin/bash
# Memory of `certsmith scan` against the size of the fleet (issue 4: the
# index, not the files, bounds it; a million files in well under 1 GiB).
#
#   bench/scan-memory.sh CERTSMITH FLEET COPIES...
#
# For each COPIES, builds a tree of that many copies of FLEET (distinct
# files, so nothing is deduplicated), scans it (-j 2, JSONL to a temporary
# file) and prints files, objects, the peak resident set (VmHWM, polled
# from /proc) and what each object added over the smallest run.
set -u
[ $# -ge 3 ] || { echo "usage: $0 CERTSMITH FLEET COPIES..." >&2; exit 2; }
cs=$1 fleet=$2
shift 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cs-mem.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

peak_kib() {
    local pid=$1 hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
        v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        [ -n "$v" ] && hwm=$v
        sleep 0.05
    done
    echo "$hwm"
}

base_kib= base_obj=
printf '%8s %8s %9s %10s %12s\n' copies files objects "peak MiB" "bytes/object" >&2
for n in "$@"; do
    rm -rf "$tmp/tree"
    mkdir -p "$tmp/tree"
    for i in $(seq "$n"); do cp -r "$fleet" "$tmp/tree/copy$i"; done
    files=$(find "$tmp/tree" -type f | wc -l)
    "$cs" scan -q -j 2 --fail-on never --format jsonl -o "$tmp/out.jsonl" "$tmp/tree" &
    kib=$(peak_kib $!)
    objs=$(grep -c '"type":"object"' "$tmp/out.jsonl")
    per=-
    if [ -z "$base_kib" ]; then
        base_kib=$kib base_obj=$objs
    elif [ "$objs" -gt "$base_obj" ]; then
        per=$(( (kib - base_kib) * 1024 / (objs - base_obj) ))
    fi
    printf '%8d %8d %9d %10.1f %12s\n' "$n" "$files" "$objs" "$(awk "BEGIN { print $kib / 1024 }")" "$per" >&2
done
