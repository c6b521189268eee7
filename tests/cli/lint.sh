#!/bin/sh
# certsmith lint as a command: exit status, options, directories, stdin,
# and what a finding carries.
. "$(dirname "$0")/lib.sh"

not() { ! "$@"; }

cd "$CORPUS" || exit 1
clean=lint/cli/clean-rsa2048.csr
weak=lint/cli/weak-rsa1024.csr

cs lint "$clean"
check "clean RSA-2048 CSR with its CN in the SANs exits 0 ($rc)" [ "$rc" = 0 ]
cs lint "$weak"
check "1024-bit CSR exits 1 ($rc)" [ "$rc" = 1 ]
cs lint bad/malformed-garbage.der
check "undecodable input exits 3 ($rc)" [ "$rc" = 3 ]
switch_messages lint "$clean"
cs lint --format json bad/truncated-mid.pem "$weak"
check "undecodable input and a finding: exit 3 ($rc)" [ "$rc" = 3 ]
check "the other input is still linted" \
	quiet "$JQ" -e '.objects[] | select(.source.path == "lint/cli/weak-rsa1024.csr") |
	    .findings[] | select(.rule == "key.rsa.min-bits")' "$TMPD/out"
check "the undecodable input is in errors" \
	quiet "$JQ" -e '.errors[] | select(.path == "bad/truncated-mid.pem")' "$TMPD/out"
check "and named on stderr" grep -q "bad/truncated-mid.pem" "$TMPD/err"

# The finding's fields, exactly as the contract names them.
cs lint --format json "$weak"
check "finding has exactly the contract's keys" quiet "$JQ" -e '
    .objects[0].findings[0] | keys == ["citation","field","fix","message",
    "rule","severity","value"]' "$TMPD/out"
check "finding values" quiet "$JQ" -e '.objects[0].findings[] |
    select(.rule == "key.rsa.min-bits") | .severity == "error" and
    .field == "key" and .value == "1024" and .fix.action == "new-key"' \
	"$TMPD/out"
check "document carries the schema" \
	quiet "$JQ" -e '.schema == "certsmith/1"' "$TMPD/out"

# --fail-on
cs lint --fail-on never "$weak"
check "--fail-on never exits 0 ($rc)" [ "$rc" = 0 ]
cs lint --fail-on bogus "$weak"
check "--fail-on bogus is a usage error ($rc)" [ "$rc" = 2 ]
cs lint --fail-on info "$weak"
check "--fail-on info is a usage error ($rc)" [ "$rc" = 2 ]

# --enable / --disable
cs lint --disable key.rsa.min-bits --format json "$weak"
check "--disable silences the rule ($rc)" [ "$rc" = 0 ]
check "--disable: the rule did not run" quiet "$JQ" -e \
	'[.objects[].checked[]] | index("key.rsa.min-bits") == null' "$TMPD/out"
cs lint --disable no.such-rule "$weak"
check "--disable of an unknown rule exits 2 ($rc)" [ "$rc" = 2 ]
check "and names it" grep -q "no.such-rule" "$TMPD/err"
cs lint --enable no.such-rule "$weak"
check "--enable of an unknown rule exits 2 ($rc)" [ "$rc" = 2 ]

# --at and --host parse
cs lint --at 2030-01-01T00:00:00Z "$clean"
check "--at RFC 3339 Z ($rc)" [ "$rc" = 0 ]
cs lint --at 2030-01-01T02:00:00+02:00 "$clean"
check "--at with an offset ($rc)" [ "$rc" = 0 ]
cs lint --at 2030-01-01 "$clean"
check "--at date only ($rc)" [ "$rc" = 0 ]
for bad in 2030-13-01 yesterday 2030-01-01T25:00:00Z 2030-01-01T00:00:00+2 ""; do
	cs lint --at "$bad" "$clean"
	check "--at '$bad' is a usage error ($rc)" [ "$rc" = 2 ]
done
cs lint --host "" "$clean"
check "--host '' is a usage error ($rc)" [ "$rc" = 2 ]
cs lint --expiring -3 "$clean"
check "--expiring -3 is a usage error ($rc)" [ "$rc" = 2 ]
cs lint --format md "$clean"
check "--format md is not a lint format ($rc)" [ "$rc" = 2 ]
cs show --format junit "$clean"
check "show refuses --format junit ($rc)" [ "$rc" = 2 ]

# stdin
cs lint --format json - <"$weak"
check "stdin is linted ($rc)" [ "$rc" = 1 ]
check "stdin path is -" quiet "$JQ" -e '.objects[0].source.path == "-"' "$TMPD/out"

# Directories: recursive, README files skipped, loops reported.
mkdir -p "$TMPD/tree/sub/deeper"
cp "$clean" "$TMPD/tree/a.csr"
cp "$weak" "$TMPD/tree/sub/deeper/b.csr"
echo "these are our certificates" >"$TMPD/tree/README.txt"
cs lint --format json "$TMPD/tree"
check "directory with a weak CSR deep inside exits 1 ($rc)" [ "$rc" = 1 ]
check "both CSRs linted" quiet "$JQ" -e '.objects | length == 2' "$TMPD/out"
check "README skipped, not an error" quiet "$JQ" -e \
	'(.errors | length == 0) and (.skipped | length == 1)' "$TMPD/out"
ln -s .. "$TMPD/tree/sub/loop"
cs lint --format json "$TMPD/tree"
check "directory loop exits 3 ($rc)" [ "$rc" = 3 ]
check "the loop is named" grep -q "loop" "$TMPD/err"
check "the files are still linted once" \
	quiet "$JQ" -e '.objects | length == 2' "$TMPD/out"
rm "$TMPD/tree/sub/loop"
cs lint "$TMPD/tree/README.txt"
check "a non-X.509 file named on the command line exits 3 ($rc)" [ "$rc" = 3 ]
cs lint "$TMPD/no-such-dir/"
check "a missing path exits 3 ($rc)" [ "$rc" = 3 ]
if [ "$(id -u)" != 0 ]; then
	mkdir "$TMPD/tree/locked" && chmod 000 "$TMPD/tree/locked"
	cs lint "$TMPD/tree"
	check "unreadable directory exits 3 ($rc)" [ "$rc" = 3 ]
	chmod 755 "$TMPD/tree/locked"
fi

# -o never overwrites an input and writes atomically.
cs lint -o "$TMPD/report.json" --format json "$weak"
check "-o writes the report ($rc)" quiet "$JQ" -e '.objects | length == 1' \
	"$TMPD/report.json"
cp "$weak" "$TMPD/input.csr"
cs lint -o "$TMPD/input.csr" "$TMPD/input.csr"
check "-o over the input is refused ($rc)" [ "$rc" = 2 ]
check "the input is intact" cmp -s "$weak" "$TMPD/input.csr"

# Keys: weak ones trip, encrypted ones stay locked but the run goes on.
cs lint --format json good/rsa1024.key good/rsa2048-enc-p8.key
check "encrypted key without password: exit 3 ($rc)" [ "$rc" = 3 ]
check "weak private key trips" quiet "$JQ" -e '.objects[0].findings[] |
    select(.rule == "key.rsa.min-bits")' "$TMPD/out"
check "the locked key is not linted, and says so" quiet "$JQ" -e \
	'.objects[1] | (.checked | length == 0) and
	(.notes | any(test("not linted")))' "$TMPD/out"
cs lint --passin pass:certsmith good/rsa2048-enc-p8.key
check "encrypted key with password: exit 0 ($rc)" [ "$rc" = 0 ]

# A trust anchor's unprocessed fields are at most warnings; the same
# defect in the leaf it issued stays an error. A CA's host-like CN is not a
# host name to put in a SAN.
cs lint --format json lint/cli/root-serial0.crt lint/cli/leaf-serial0.crt
check "root with serial 0: a warning" quiet "$JQ" -e '.objects[0].findings[] |
    select(.rule == "cert.serial.not-positive") | .severity == "warning" and
    (.message | test("trust anchor"))' "$TMPD/out"
check "leaf with serial 0: an error" quiet "$JQ" -e '.objects[1].findings[] |
    select(.rule == "cert.serial.not-positive") | .severity == "error"' \
	"$TMPD/out"
check "a CA's host-like CN needs no SAN" quiet "$JQ" -e '[.objects[0].findings[] |
    select(.rule == "name.san.missing")] | length == 0' "$TMPD/out"
cs lint lint/cli/root-serial0.crt
check "a root with only warnings exits 0 ($rc)" [ "$rc" = 0 ]
cs lint --format json lint/cli/root-sha1.crt lint/cli/leaf-sha1.crt
check "SHA-1 on a root: a warning" quiet "$JQ" -e '.objects[0].findings[] |
    select(.rule == "sig.weak-hash") | .severity == "warning"' "$TMPD/out"
check "SHA-1 on a leaf: an error" quiet "$JQ" -e '.objects[1].findings[] |
    select(.rule == "sig.weak-hash") | .severity == "error"' "$TMPD/out"

cs lint --format json lint/cli/country-eu.csr
check "C=EU is a warning ($rc)" quiet "$JQ" -e '.objects[0].findings[] |
    select(.rule == "dn.country-code") | .severity == "warning"' "$TMPD/out"

# A SAN with an embedded NUL keeps its whole value in the finding.
cs lint --format json --fail-on never lint/name/hostile.csr
check "NUL in a SAN is shown, not cut" quiet "$JQ" -e '[.objects[0].findings[] |
    select(.rule == "name.dns.syntax") | .value] |
    index("a\\x00b.example.com") != null' "$TMPD/out"

# A challengePassword is a secret: never printed, in any format.
for fmt in text json jsonl; do
	cs show --format $fmt lint/csr/challenge.csr
	check "show $fmt withholds the challengePassword" \
		not grep -q "not-a-real-secret" "$TMPD/out"
	cs lint --format $fmt lint/csr/challenge.csr
	check "lint $fmt withholds the challengePassword" \
		not grep -q "not-a-real-secret" "$TMPD/out"
done
check "the corpus CSR does hold that password" sh -c 'openssl req -noout \
    -text -in lint/csr/challenge.csr | grep -q not-a-real-secret'

# --help names every lint option.
cs lint --help
for opt in --profile --host --at --expiring --fail-on --enable --disable \
    junit sarif; do
	check "lint --help mentions $opt" grep -q -- "$opt" "$TMPD/out"
done

finish
