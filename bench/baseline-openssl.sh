#!/bin/bash
# Baseline for `certsmith scan` (issue 4): what operators do today, a loop
# of the openssl CLI over every file comparing RSA modulus hashes.
#
#   bench/baseline-openssl.sh [-l] DIR...
#
# For every regular file under DIR (symlinks not followed; the generator's
# PLANTED.tsv and OBJECTS.tsv are skipped): `openssl x509 -noout -modulus`,
# then `openssl rsa -noout -modulus`, then `openssl req -noout -modulus`,
# each tried as PEM and then as DER, stopping at the first that prints a
# modulus; the output is hashed with sha256sum. Keys are paired with the
# certificates (and CSRs) whose hash is equal. RSA only, as the practice is:
# EC and Ed25519 objects print no modulus and are never paired; encrypted
# keys fail (no password is given); only the first object of a file counts
# (a combined key + certificate PEM is read as its certificate, a chain as
# its first certificate). One process per attempt, as in a shell loop.
# -l lists the pairs found (key<TAB>certificate|csr).
set -u

list=0
if [ "${1:-}" = -l ]; then
    list=1
    shift
fi
[ $# -ge 1 ] || { echo "usage: $0 [-l] DIR..." >&2; exit 2; }
for d in "$@"; do
    [ -d "$d" ] || { echo "$0: $d: not a directory" >&2; exit 2; }
done
command -v openssl >/dev/null || { echo "$0: openssl not found" >&2; exit 2; }

tab=$(printf '\t')
idx=$(mktemp "${TMPDIR:-/tmp}/cs-baseline.XXXXXX") || exit 2
trap 'rm -f "$idx"' EXIT

# modulus_hash CMD FILE: hash of the modulus openssl CMD prints, PEM then
# DER; status 1 when openssl cannot read FILE, 3 when it reads it but the
# key is not RSA ("No modulus for this public key type")
modulus_hash() {
    local cmd=$1 f=$2 form out
    for form in PEM DER; do
        if out=$(openssl "$cmd" -noout -modulus -inform "$form" -passin pass: \
            -in "$f" 2>/dev/null </dev/null); then
            case $out in
                Modulus=*[!0-9A-F]*) return 3 ;;
                Modulus=?*) ;;
                *) return 3 ;;
            esac
            printf '%s\n' "$out" | sha256sum | cut -d' ' -f1
            return 0
        fi
    done
    return 1
}

files=0
others=0
start=$(date +%s.%N)
while IFS= read -r -d '' f; do
    files=$((files + 1))
    for kind in cert:x509 key:rsa csr:req; do
        h=$(modulus_hash "${kind#*:}" "$f")
        case $? in
            0) printf '%s\t%s\t%s\n' "${kind%%:*}" "$h" "$f" >>"$idx"; break ;;
            3) others=$((others + 1)); break ;;
        esac
    done
done < <(find "$@" -type f ! -name PLANTED.tsv ! -name OBJECTS.tsv -print0)
end=$(date +%s.%N)

# pair keys with certificates and CSRs of the same modulus hash
pairs=$(awk -F"$tab" '
    $1 == "key" { keys[$2] = keys[$2] SUBSEP $3; next }
    { other[NR] = $0 }
    END {
        for (i in other) {
            split(other[i], o, FS)
            if (!(o[2] in keys)) continue
            n = split(keys[o[2]], k, SUBSEP)
            for (j = 2; j <= n; j++) print o[1] "\t" k[j] "\t" o[3]
        }
    }' "$idx" | sort)
count() { printf '%s\n' "$pairs" | grep -c "^$1$tab" || true; }
[ "$list" = 1 ] && [ -n "$pairs" ] && printf '%s\n' "$pairs" | cut -f2-

echo "baseline: openssl CLI loop over modulus hashes (x509|rsa|req -noout -modulus | sha256sum), RSA only"
awk -v f="$files" -v s="$start" -v e="$end" \
    -v k="$(grep -c "^key$tab" "$idx")" -v c="$(grep -c "^cert$tab" "$idx")" \
    -v r="$(grep -c "^csr$tab" "$idx")" -v pc="$(count cert)" -v pr="$(count csr)" -v o="$others" 'BEGIN {
    t = e - s
    printf "files %d, %.1f s, %.1f files/s\n", f, t, (t > 0 ? f / t : 0)
    printf "RSA objects: %d keys, %d certificates, %d CSRs (%d files of other key types skipped)\n", k, c, r, o
    printf "pairs found: %d key-certificate, %d key-CSR\n", pc, pr
}'
