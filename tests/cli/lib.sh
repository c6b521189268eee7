# Shared by the CLI tests: run the built binary, count and report results.
# Environment (set by make check): CERTSMITH, CORPUS, JQ, CS_WRAP.
set -u
: "${CERTSMITH:?run through make check}" "${CORPUS:?}"
JQ=${JQ:-jq}
CS_WRAP=${CS_WRAP:-}
pass=0
fail=0
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT

# cs ARGS...: run certsmith (under $CS_WRAP); stdout in $TMPD/out,
# stderr in $TMPD/err, exit status in $rc. Valgrind errors exit 99.
cs() {
	# shellcheck disable=SC2086
	$CS_WRAP "$CERTSMITH" "$@" >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	if [ "$rc" = 99 ]; then
		echo "valgrind reported errors for: certsmith $*" >&2
		cat "$TMPD/err" >&2
	fi
}

ok() { pass=$((pass + 1)); }
not_ok() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# check NAME CONDITION...: pass when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok; else not_ok "$name"; fi
}

# switch_messages CMD INPUT: CMD with --disable of a fleet check and
# --enable of an unknown rule exits 2 and says which it is.
switch_messages() {
	cs "$1" --disable scan.orphan-key "$2"
	check "$1: --disable of a fleet check exit 2 ($rc)" [ "$rc" = 2 ]
	check "$1: the fleet check is named as one" \
	    grep -q "'scan.orphan-key' is a fleet check of scan" "$TMPD/err"
	cs "$1" --enable no.such-rule "$2"
	check "$1: an unknown rule exit 2 ($rc)" [ "$rc" = 2 ]
	check "$1: the unknown rule named, not as lint's" \
	    grep -q "^certsmith: no rule 'no.such-rule'" "$TMPD/err"
}

# quiet CMD...: run a command, discarding its output.
quiet() { "$@" >/dev/null 2>&1; }

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
