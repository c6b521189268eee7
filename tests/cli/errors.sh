#!/bin/sh
# Every bad input of corpus/bad.tsv exits 3 with a message that names the
# file and the reason; the other inputs of the same run are still shown.
. "$(dirname "$0")/lib.sh"

good="$CORPUS/good/leaf-ec-p256.crt"

# keyword in bad.tsv -> text the message must contain
reason_text() {
	case $1 in
	empty) echo "empty" ;;
	truncated) echo "truncated" ;;
	base64) echo "bad base64" ;;
	malformed) echo "malformed" ;;
	trailing) echo "trailing data" ;;
	not-x509) echo "not X.509 material" ;;
	password) echo "wrong password" ;;
	unsupported) echo "unsupported" ;;
	*) echo "?$1?" ;;
	esac
}

tail -n +2 "$CORPUS/bad.tsv" | while IFS="	" read -r rel reason; do
	want=$(reason_text "$reason")
	cs show --format json --passin pass:wrong "$CORPUS/$rel" "$good"
	if [ "$rc" != 3 ]; then
		not_ok "$rel: exit $rc, want 3"
	elif ! grep -q "$CORPUS/$rel: .*$want" "$TMPD/err"; then
		not_ok "$rel: stderr lacks '$want': $(cat "$TMPD/err")"
	elif [ "$("$JQ" '[.errors[] | select(.message | contains("'"$want"'"))] | length' "$TMPD/out")" -lt 1 ]; then
		not_ok "$rel: JSON errors lack '$want'"
	elif [ "$("$JQ" "[.objects[] | select(.source.path == \"$good\")] | length" "$TMPD/out")" != 1 ]; then
		not_ok "$rel: the good input after it was not shown"
	else
		ok
	fi
	echo "$pass $fail" >"$TMPD/counts"
done
read -r pass fail <"$TMPD/counts"

# The good block of a file with a bad one is still reported.
cs show --format json "$CORPUS/bad/mixed-base64.pem"
check "mixed: exit 3" [ "$rc" = 3 ]
check "mixed: good block shown" [ "$("$JQ" '.objects | length' "$TMPD/out")" = 1 ]
check "mixed: names block 2" grep -q "block 2.*bad base64" "$TMPD/err"

# Inputs that are not files.
cs show /nonexistent/x.pem "$good"
check "missing file: exit 3" [ "$rc" = 3 ]
check "missing file: message" grep -q "/nonexistent/x.pem: cannot open: No such file" "$TMPD/err"
check "missing file: others shown" grep -q "leaf-ec-p256.crt#0: certificate" "$TMPD/out"
cs show "$CORPUS/good"
check "directory: exit 3" [ "$rc" = 3 ]
check "directory: message" grep -q "is a directory" "$TMPD/err"
cs show --max-size 100 "$good"
check "too large: exit 3" [ "$rc" = 3 ]
check "too large: message" grep -q "larger than the 100-byte ceiling" "$TMPD/err"

# Encrypted keys: no password -> locked (exit 3); right password opens.
for f in good/rsa2048-enc-p8.key good/rsa2048-enc-trad.key good/rsa2048-enc-p8.der good/leaf-rsa2048.p12; do
	cs show --format json "$CORPUS/$f" </dev/null
	check "$f without password: exit 3" [ "$rc" = 3 ]
	check "$f without password: locked" [ "$("$JQ" '[.objects[] | select(.key.locked)] | length' "$TMPD/out")" -ge 1 ]
	check "$f without password: no fingerprint" [ "$("$JQ" '[.objects[] | select(.key.locked and .key.spki_sha256 != null)] | length' "$TMPD/out")" = 0 ]
	check "$f without password: message" grep -q "no password was given (use --passin)" "$TMPD/err"
	cs show --format json --passin pass:wrong "$CORPUS/$f"
	check "$f wrong password: exit 3" [ "$rc" = 3 ]
	check "$f wrong password: message" grep -q "$f: .*wrong password" "$TMPD/err"
	CS_TEST_PW=certsmith cs show --format json --passin env:CS_TEST_PW "$CORPUS/$f"
	check "$f env: password opens" [ "$rc" = 0 ]
done
printf 'certsmith\n' >"$TMPD/pw"
cs show --passin "file:$TMPD/pw" "$CORPUS/good/ec-p256-enc-trad.key"
check "file: password opens" [ "$rc" = 0 ]
cs show --passin fd:3 "$CORPUS/good/ec-p256-enc-p8.key" 3<"$TMPD/pw"
check "fd: password opens" [ "$rc" = 0 ]
cs show --passin env:CS_UNSET_VARIABLE_XYZ "$good"
check "unset env: usage error" [ "$rc" = 2 ]

# Standard input.
$CS_WRAP "$CERTSMITH" show - <"$good" >"$TMPD/out" 2>"$TMPD/err"
check "stdin: exit 0" [ $? = 0 ]
check "stdin: shown" grep -q "^-#0: certificate" "$TMPD/out"

# A wrong PEM label: the content decides, and the object says so.
sed 's/CERTIFICATE REQUEST/CERTIFICATE/' "$CORPUS/good/csr-ec-p256.csr" >"$TMPD/mislabel.pem"
cs show --format json "$TMPD/mislabel.pem"
check "mislabel: exit 0" [ "$rc" = 0 ]
check "mislabel: decoded as a CSR" [ "$("$JQ" -r '.objects[0].kind' "$TMPD/out")" = csr ]
check "mislabel: noted" [ "$("$JQ" -r '.objects[0].notes[0]' "$TMPD/out")" = "the PEM label says CERTIFICATE, but the content is a certificate request" ]

# The whole base64 body on one line, as some tools write it.
{ echo "-----BEGIN CERTIFICATE-----"
  grep -v -- ----- "$good" | tr -d '\r\n'; echo
  echo "-----END CERTIFICATE-----"; } >"$TMPD/oneline.pem"
cs show --format json "$TMPD/oneline.pem"
check "one-line base64: exit 0" [ "$rc" = 0 ]
check "one-line base64: same key" [ "$("$JQ" -r '.objects[0].key.spki_sha256' "$TMPD/out")" = "$(awk -F'\t' '$1 == "good/leaf-ec-p256.crt" {print $7}' "$CORPUS/manifest.tsv")" ]

# A symlink loop and an unreadable path are errors for that input only.
ln -s loop-b "$TMPD/loop-a"
ln -s loop-a "$TMPD/loop-b"
cs show "$TMPD/loop-a" "$good"
check "symlink loop: exit 3" [ "$rc" = 3 ]
check "symlink loop: message" grep -q "loop-a: cannot open: Too many levels of symbolic links" "$TMPD/err"
check "symlink loop: others shown" grep -q "leaf-ec-p256.crt#0" "$TMPD/out"

finish
