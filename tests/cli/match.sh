#!/bin/sh
# certsmith match over corpus/match (made by corpus/match/gen.sh): every
# verdict, exit codes, the JSON contract, -o, locked keys.
. "$(dirname "$0")/lib.sh"

M="$CORPUS/match"

jqe() { "$JQ" -e "$@" >/dev/null; }

# verdict KIND VERDICT A B: the text output has that pair line.
verdict() {
	grep -q "^$2 $1 $3#0 $4#0 spki [0-9a-f]\{16\} [0-9a-f]\{16\}: " "$TMPD/out"
}

for a in rsa rsa-pss ec ed25519 ed448 dsa; do
	cs match "$M/$a.key" "$M/$a.crt" "$M/$a.csr"
	check "$a: key+cert+csr exit 0" [ "$rc" = 0 ]
	check "$a: key-certificate match" verdict key-certificate match "$M/$a.key" "$M/$a.crt"
	check "$a: key-csr match" verdict key-csr match "$M/$a.key" "$M/$a.csr"
	check "$a: csr-certificate match" verdict csr-certificate match "$M/$a.csr" "$M/$a.crt"

	cs match "$M/$a.key" "$M/$a-other.crt"
	check "$a: other cert exit 1" [ "$rc" = 1 ]
	check "$a: key-certificate mismatch" verdict key-certificate mismatch "$M/$a.key" "$M/$a-other.crt"

	cs match "$M/$a-other.key" "$M/$a.csr"
	check "$a: other key vs csr exit 1" [ "$rc" = 1 ]
	check "$a: key-csr mismatch" verdict key-csr mismatch "$M/$a-other.key" "$M/$a.csr"

	cs match "$M/$a.csr" "$M/$a-names.crt"
	check "$a: names exit 1" [ "$rc" = 1 ]
	check "$a: names-differ" verdict csr-certificate names-differ "$M/$a.csr" "$M/$a-names.crt"
	check "$a: names listed" grep -q "lacks dns:www.$a.example, ip:192.0.2.1, email:ops@$a.example, CN:$a.example$" "$TMPD/out"

	cs match "$M/$a.csr" "$M/$a-other.crt"
	check "$a: csr vs other cert exit 1" [ "$rc" = 1 ]
	check "$a: csr-certificate mismatch" verdict csr-certificate mismatch "$M/$a.csr" "$M/$a-other.crt"
done

cs match "$M/ec.key" "$M/rsa.crt"
check "types differ: exit 1" [ "$rc" = 1 ]
check "types differ: said" grep -q "key types differ: ec, rsa" "$TMPD/out"

# A compressed EC point is the same key; the SPKI hashes differ.
cs match --format json "$M/ec.key" "$M/ec-compressed.crt"
check "compressed: exit 0" [ "$rc" = 0 ]
check "compressed: match" [ "$("$JQ" -r '.match.pairs[0].verdict' "$TMPD/out")" = match ]
check "compressed: both fingerprints, different" jqe \
    '.match.pairs[0] | (.a_spki_sha256 | length) == 64 and (.b_spki_sha256 | length) == 64 and .a_spki_sha256 != .b_spki_sha256' "$TMPD/out"

# Issuer linkage: leaf <- intermediate <- root; a chain beside the key is
# not a mismatch.
cs match "$M/ec.key" "$M/ec.crt" "$M/int.crt" "$M/root.crt"
check "chain: exit 0" [ "$rc" = 0 ]
check "chain: leaf issued-by int" verdict certificate-issuer issued-by "$M/ec.crt" "$M/int.crt"
check "chain: int issued-by root" verdict certificate-issuer issued-by "$M/int.crt" "$M/root.crt"
check "chain: no mismatch with the CAs" [ "$(grep -c '^mismatch' "$TMPD/out")" = 0 ]
cs match "$M/ec.key" "$M/badsig.crt" "$M/int.crt"
check "bad signature: exit 1" [ "$rc" = 1 ]
check "bad signature: verdict" verdict certificate-issuer signature-invalid "$M/badsig.crt" "$M/int.crt"

# The reference need not be a private key.
cs match "$M/ec.crt" "$M/ec.csr"
check "cert reference: exit 0" [ "$rc" = 0 ]
check "cert reference: stated" grep -q "^reference $M/ec.crt#0 certificate ec spki " "$TMPD/out"

# JSON and JSONL.
cs match --format json "$M/rsa.key" "$M/rsa.crt" "$M/rsa-other.crt"
check "json: exit 1" [ "$rc" = 1 ]
check "json: schema" [ "$("$JQ" -r .schema "$TMPD/out")" = certsmith/1 ]
check "json: reference" jqe --arg p "$M/rsa.key#0" \
    '.match.reference | .name == $p and .kind == "private-key" and (.spki_sha256 | length) == 64' "$TMPD/out"
check "json: pair fields" jqe --arg a "$M/rsa.key#0" --arg b "$M/rsa.crt#0" \
    '.match.pairs[0] | .a == $a and .b == $b and .kind == "key-certificate" and .verdict == "match" and .a_spki_sha256 == .b_spki_sha256 and (.details | type) == "string"' "$TMPD/out"
check "json: mismatch" [ "$("$JQ" -r '.match.pairs[1].verdict' "$TMPD/out")" = mismatch ]
check "json: errors empty" [ "$("$JQ" '.errors | length' "$TMPD/out")" = 0 ]
cs match --format jsonl "$M/rsa.key" "$M/rsa.crt" "$M/rsa.csr"
check "jsonl: exit 0" [ "$rc" = 0 ]
check "jsonl: one reference, three pairs" [ "$("$JQ" -s '[.[] | .type] == ["reference", "pair", "pair", "pair"]' "$TMPD/out")" = true ]
check "jsonl: schema" [ "$("$JQ" -s 'all(.schema == "certsmith/1")' "$TMPD/out")" = true ]

# Locked keys: an error naming the file, exit 3, the rest still compared.
cs match --format json "$M/ec-enc.key" "$M/ec.csr" "$M/ec-other.crt"
check "locked: exit 3" [ "$rc" = 3 ]
check "locked: stderr names it" grep -q "$M/ec-enc.key: .*encrypted" "$TMPD/err"
check "locked: error in json" jqe --arg p "$M/ec-enc.key" '.errors[0].path == $p' "$TMPD/out"
check "locked: reference locked" jqe '.match.reference.locked' "$TMPD/out"
check "locked: the rest compared" [ "$("$JQ" -r '.match.pairs[0].verdict' "$TMPD/out")" = mismatch ]
cs match --passin pass:certsmith "$M/ec-enc.key" "$M/ec.crt"
check "unlocked: exit 0" [ "$rc" = 0 ]
check "unlocked: match" verdict key-certificate match "$M/ec-enc.key" "$M/ec.crt"

# Unreadable input: exit 3 wins over a mismatch; the others still compared.
cs match "$M/ec.key" /nonexistent/x.crt "$M/ec-other.crt"
check "missing: exit 3" [ "$rc" = 3 ]
check "missing: named" grep -q "/nonexistent/x.crt: cannot open" "$TMPD/err"
check "missing: others compared" verdict key-certificate mismatch "$M/ec.key" "$M/ec-other.crt"

# Usage.
cs match "$M/ec.key"
check "one operand: exit 2" [ "$rc" = 2 ]
cs match --format junit "$M/ec.key" "$M/ec.crt"
check "junit: exit 2" [ "$rc" = 2 ]
cs --help
check "help lists match" grep -q "^  match " "$TMPD/out"

# -o: atomic, never over an input.
cs match -o "$TMPD/report.json" --format json "$M/ec.key" "$M/ec.crt"
check "-o: exit 0" [ "$rc" = 0 ]
check "-o: stdout empty" [ ! -s "$TMPD/out" ]
check "-o: written" [ "$("$JQ" -r '.match.pairs[0].verdict' "$TMPD/report.json")" = match ]
cp "$M/ec.crt" "$TMPD/in.crt"
cs match -o "$TMPD/in.crt" "$M/ec.key" "$TMPD/in.crt"
check "-o over input: exit 2" [ "$rc" = 2 ]
check "-o over input: untouched" cmp -s "$M/ec.crt" "$TMPD/in.crt"

# Never key material.
cs match --format json "$M/rsa.key" "$M/rsa.crt"
check "no key bytes" sh -c "! grep -q 'PRIVATE' '$TMPD/out'"

finish
