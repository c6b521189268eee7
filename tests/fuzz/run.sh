#!/bin/sh
# Run the decoder fuzzer for a while, seeded from the test corpus.
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS [LIBFUZZER_OPTION...]
#
# BUILD_DIR is a tree configured with CC=clang --enable-fuzzer (the harness
# is built if it is missing). The grown corpus is kept in
# BUILD_DIR/tests/fuzz/work across runs; crash-*, leak-*, timeout-* and
# oom-* inputs land in BUILD_DIR/tests/fuzz/artifacts/. Exits 0 when the
# fuzzer found nothing, 1 when it found a crash, leak or timeout, 2 on
# usage or setup errors.
set -u

usage() {
	echo "usage: $0 BUILD_DIR SECONDS [LIBFUZZER_OPTION...]" >&2
	exit 2
}

[ $# -ge 2 ] || usage
build=$1
secs=$2
shift 2
case $secs in
''|*[!0-9]*) usage ;;
esac

srcdir=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
build=$(cd "$build" && pwd) || exit 2
fuzzer=$build/tests/fuzz/fuzz_decode
out=$build/tests/fuzz
work=$out/work
seeds=$out/seeds
artifacts=$out/artifacts

if [ ! -x "$fuzzer" ]; then
	make -C "$build" tests/fuzz/fuzz_decode >/dev/null || {
		echo "$0: cannot build $fuzzer (configure with" \
		    "CC=clang --enable-fuzzer)" >&2
		exit 2
	}
fi

rm -rf "$seeds"
mkdir -p "$work" "$seeds" "$artifacts" || exit 2
# Every corpus input, lint's too, named by its path so none collide.
(cd "$srcdir/corpus" && find good bad lint -type f ! -name '*.tsv' \
    ! -name '*.sh' 2>/dev/null) | while read -r f; do
	cp "$srcdir/corpus/$f" "$seeds/$(echo "$f" | tr / _)" || exit 2
done || exit 2

# A marker to tell this run's artifacts from older ones.
stamp=$out/.run-stamp
: >"$stamp" || exit 2

"$fuzzer" -max_total_time="$secs" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$artifacts/" "$@" \
    "$work" "$seeds"
status=$?

found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$stamp")
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
	echo "$0: the fuzzer failed (exit $status); inputs:" >&2
	for f in $found; do
		echo "  $f" >&2
	done
	exit 1
fi
echo "$0: no crash, leak or timeout in ${secs}s"
exit 0
