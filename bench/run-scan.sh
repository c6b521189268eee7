#!/bin/bash
# The scan benchmark (issue 4): one run over one fleet of
#   - the limit program (bench_scan_limit: the least work OpenSSL needs to
#     find each object and hash its SPKI),
#   - certsmith scan (pairing, no --lint) and scan --lint,
#   - optionally (-b) the openssl CLI loop operators use today
#     (bench/baseline-openssl.sh; minutes on a big fleet),
# each with the same thread count, best of ROUNDS runs (the baseline once).
#
#   bench/run-scan.sh [-j THREADS] [-r ROUNDS] [-b] CERTSMITH LIMIT FLEET
#
# Prints files/s for each and the ratios the issue sets targets for:
# scan >= 300x the CLI loop, scan >= 0.7x the limit, scan --lint within 3x
# of scan. The reports go to a temporary directory and are thrown away.
set -u

jobs=$(nproc)
rounds=3
baseline=0
while getopts j:r:b opt; do
    case $opt in
        j) jobs=$OPTARG ;;
        r) rounds=$OPTARG ;;
        b) baseline=1 ;;
        *) echo "usage: $0 [-j THREADS] [-r ROUNDS] [-b] CERTSMITH LIMIT FLEET" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -eq 3 ] || { echo "usage: $0 [-j THREADS] [-r ROUNDS] [-b] CERTSMITH LIMIT FLEET" >&2; exit 2; }
cs=$1 limit=$2 fleet=$3
[ -d "$fleet" ] || { echo "$0: $fleet: not a directory (make fleet)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cs-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

files=$(find "$fleet" -type f ! -name PLANTED.tsv ! -name OBJECTS.tsv | wc -l)
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# best NAME CMD...: the shortest wall time of ROUNDS runs, in seconds.
best() {
    local name=$1 b= s e t
    shift
    for _ in $(seq "$rounds"); do
        s=$(now)
        "$@" >"$tmp/out" 2>"$tmp/err"
        e=$(now)
        t=$(calc "$e - $s")
        if [ -z "$b" ] || [ "$(calc "($t < $b)")" = 1.000000 ]; then b=$t; fi
    done
    printf '%-28s %8.3f s %10.0f files/s\n' "$name" "$b" "$(calc "$files / $b")" >&2
    echo "$b"
}

echo "fleet: $fleet, $files files, $jobs thread(s), best of $rounds" >&2
t_limit=$(best "limit (bench_scan_limit)" "$limit" -j "$jobs" "$fleet")
t_scan=$(best "certsmith scan" "$cs" scan -q -j "$jobs" --fail-on never --format jsonl -o "$tmp/scan.jsonl" "$fleet")
t_lint=$(best "certsmith scan --lint" "$cs" scan -q -j "$jobs" --lint --fail-on never --format jsonl -o "$tmp/lint.jsonl" "$fleet")
printf 'scan / limit throughput: %.2fx (target >= 0.7x)\n' "$(calc "$t_limit / $t_scan")"
printf 'scan --lint / scan time: %.2fx (target <= 3x)\n' "$(calc "$t_lint / $t_scan")"
if [ "$baseline" = 1 ]; then
    s=$(now)
    bash "$(dirname "$0")/baseline-openssl.sh" "$fleet" >"$tmp/base" 2>&1
    e=$(now)
    t_base=$(calc "$e - $s")
    printf '%-28s %8.3f s %10.1f files/s\n' "openssl CLI loop (baseline)" "$t_base" "$(calc "$files / $t_base")" >&2
    printf 'scan / CLI loop throughput: %.0fx (target >= 300x)\n' "$(calc "$t_base / $t_scan")"
fi
