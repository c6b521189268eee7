#!/bin/sh
# certsmith fix: every CSR of the corpus that has its key is re-signed and
# checked with openssl (signature, same key, SHA-2, CN among the SANs, a
# clean lint); the planted problems of corpus/fix (made by
# corpus/fix/gen-fix.sh) are gone and everything else is kept; edits;
# errors write nothing; --key-out, --outform, dry runs, --from-cert,
# --config.
. "$(dirname "$0")/lib.sh"

F="$CORPUS/fix"

jqe() { "$JQ" -e "$@" >/dev/null; }


# form FILE: the openssl -inform of a request file.
form() { case $1 in *.der) echo DER ;; *) echo PEM ;; esac; }

# req_text FILE: openssl's text form of a request.
req_text() { openssl req -inform "$(form "$1")" -in "$1" -noout -text 2>/dev/null; }

# verifies FILE: openssl accepts the request's self-signature.
verifies() { openssl req -inform "$(form "$1")" -in "$1" -noout -verify >/dev/null 2>&1; }

# subject FILE: the subject, as "C = GB, O = ..., CN = ...".
subject() {
	openssl req -inform "$(form "$1")" -in "$1" -noout -subject 2>/dev/null |
	    sed 's/^subject=//'
}

# sans FILE: the subjectAltName line ("DNS:a, IP Address:b"), or nothing.
sans() { req_text "$1" | sed -n '/Subject Alternative Name/{n;s/^ *//;p;}'; }

# dns_names FILE: the DNS SANs, one a line.
dns_names() { sans "$1" | tr ',' '\n' | sed -n 's/^ *DNS://p'; }

# req_pub FILE / key_pub KEY [PASSIN]: the public key, PEM.
req_pub() { openssl req -inform "$(form "$1")" -in "$1" -noout -pubkey 2>/dev/null; }
key_pub() {
	if [ -n "${2:-}" ]; then
		openssl pkey -in "$1" -passin "$2" -pubout 2>/dev/null
	else
		openssl pkey -in "$1" -pubout 2>/dev/null
	fi
}

# same_pub CSR KEY [PASSIN]: the request carries the key's public key.
same_pub() {
	a=$(req_pub "$1") && b=$(key_pub "$2" "${3:-}") && [ -n "$a" ] && [ "$a" = "$b" ]
}

# sha2_sig FILE: signed with SHA-2 (for RSA-PSS, the PSS hash), or EdDSA.
sha2_sig() {
	req_text "$1" >"$TMPD/sig.txt"
	alg=$(sed -n 's/^ *Signature Algorithm: //p' "$TMPD/sig.txt" | head -n 1)
	case $alg in
	*[Ss][Hh][Aa]224*|*[Ss][Hh][Aa]256*|*[Ss][Hh][Aa]384*|*[Ss][Hh][Aa]512*) return 0 ;;
	ED25519|ED448) return 0 ;;
	rsassaPss) grep -q 'Hash Algorithm: sha\(224\|256\|384\|512\)' "$TMPD/sig.txt" ;;
	*) return 1 ;;
	esac
}

# cn FILE: the subject's CN (the last one), or nothing.
cn() {
	openssl req -inform "$(form "$1")" -in "$1" -noout -subject -nameopt RFC2253 2>/dev/null |
	    sed 's/^subject=//' | tr ',' '\n' | sed -n 's/^CN=//p' | tail -n 1
}

# cn_in_sans FILE: a CN that is a host name is among the DNS SANs.
cn_in_sans() {
	c=$(cn "$1")
	if ! printf '%s\n' "$c" | grep -Eq '^[A-Za-z0-9*]([A-Za-z0-9-]*\.)+[A-Za-z][A-Za-z0-9-]*$'; then
		return 0
	fi
	dns_names "$1" | grep -qxF "$c"
}

# lint_errors FILE [RULE-TO-IGNORE]: the rule ids of the error findings a
# second lint reports.
lint_errors() {
	"$CERTSMITH" lint --format json "$1" 2>/dev/null |
	    "$JQ" -r --arg skip "${2:-}" \
	    '.objects[].findings[]? | select(.severity == "error" and .rule != $skip) | .rule'
}
lint_clean() { [ -z "$(lint_errors "$@")" ]; }

# empty_dir DIR: nothing in it (no output, no temporary file).
empty_dir() { [ -z "$(ls -A "$1")" ]; }

# sha FILE: its SHA-256.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# ---------------------------------------------------------------------
# 1. Every CSR in the corpus whose key is at hand.

"$CERTSMITH" scan --format json "$CORPUS" 2>/dev/null |
    "$JQ" -r '.scan.pairs[] | select((.csrs | length) > 0) |
      ([.keys[] | sub("#[0-9]+$"; "") | select(test("\\.(p12|pfx)$") | not)][0]) as $k |
      select($k != null) | .csrs[] | sub("#[0-9]+$"; "") + "\t" + $k' |
    sort -u >"$TMPD/pairs"
n=$(wc -l <"$TMPD/pairs")
check "scan found the corpus pairs ($n)" [ "$n" -ge 30 ]
check "scan pairs include corpus/fix" grep -q "^$F/challenge.csr	$F/challenge.key$" "$TMPD/pairs"

i=0
while IFS='	' read -r csr key; do
	i=$((i + 1))
	o="$TMPD/all-$i.csr"
	k="$key"
	cs fix --key "$key" -o "$o" "$csr"
	if [ "$rc" = 1 ] && grep -q -- '--new-key' "$TMPD/err"; then
		check "$csr: weak key refused, nothing written" [ ! -e "$o" ]
		k="$TMPD/all-$i.key"
		cs fix --new-key ec:P-256 --key-out "$k" -o "$o" "$csr"
	fi
	check "$csr: exit 0 or 1 (got $rc)" [ "$rc" = 0 -o "$rc" = 1 ]
	check "$csr: openssl verifies the output" verifies "$o"
	check "$csr: the key's public key" same_pub "$o" "$k"
	check "$csr: SHA-2 or EdDSA signature" sha2_sig "$o"
	check "$csr: CN among the DNS SANs" cn_in_sans "$o"
	check "$csr: second lint has no errors ($(lint_errors "$o" | tr '\n' ' '))" \
	    lint_clean "$o"
done <"$TMPD/pairs"
check "every pair was run" [ "$i" = "$n" ]

# ---------------------------------------------------------------------
# 2. The planted problems of corpus/fix are gone, the rest kept.

# fixit NAME [OPTIONS...]: fix corpus/fix/NAME.csr with NAME.key into
# $TMPD/NAME.out (text in $TMPD/NAME.txt).
fixit() {
	n=$1
	shift
	rm -f "$TMPD/$n.out"
	cs fix --key "$F/$n.key" -o "$TMPD/$n.out" "$@" "$F/$n.csr"
	req_text "$TMPD/$n.out" >"$TMPD/$n.txt"
}
has() { grep -q "$1" "$TMPD/$2.txt"; }
hasnt() { ! grep -q "$1" "$TMPD/$2.txt"; }

# rules NAME: the rule ids a lint of the file reports (one a line).
rules() {
	"$CERTSMITH" lint --format json "$1" 2>/dev/null |
	    "$JQ" -r '.objects[].findings[]? | .rule'
}
# fixable FILE RULE: the lint of FILE has RULE with a fix action.
fixable() {
	"$CERTSMITH" lint --format json "$1" 2>/dev/null | jqe --arg r "$2" \
	    'any(.objects[].findings[]?; .rule == $r and (.fix.action | type) == "string")'
}

# lacks_rule FILE RULE: a lint of FILE does not report RULE.
lacks_rule() { ! rules "$1" | grep -qxF "$2"; }

# Each planted problem is found in the original with a fix, named in a
# change line, and not found in the result.
while read -r nm rule; do
	in="$F/$nm.csr"
	[ -e "$in" ] || in="$F/$nm.der"
	check "$nm: original has $rule with a fix" fixable "$in" "$rule"
	rm -f "$TMPD/planted-$nm.csr"
	cs fix --key "$F/$nm.key" --passin pass:certsmith -o "$TMPD/planted-$nm.csr" "$in"
	check "$nm: change line names $rule" grep -q "  \[$rule\]\$" "$TMPD/err"
	check "$nm: $rule gone" lacks_rule "$TMPD/planted-$nm.csr" "$rule"
done <<'LIST'
sha1 sig.weak-hash
md5 sig.weak-hash
der sig.weak-hash
der name.san.missing
challenge csr.challenge-password
placeholder dn.openssl-default
cn-not-in-san name.cn-in-san
no-san name.san.missing
dns-case name.dns.case
dns-case name.dns.syntax
dup-san name.san.duplicate
ip-as-dns name.ip-as-dns
ku-ec-keyenc csr.key-usage.key-type
ca-requested csr.ca-requested
unknown-critical csr.unknown-critical-ext
empty-o dn.empty-value
country-lower dn.country-code
country-utf8 dn.string-type
ed25519 csr.key-usage.key-type
rsa-pss name.dns.case
enc csr.key-usage.key-type
LIST

for h in sha1 md5; do
	fixit $h
	check "$h: exit 0" [ "$rc" = 0 ]
	check "$h: change line" grep -qx "signature.digest: $h -> sha256  \[sig.weak-hash\]" "$TMPD/err"
	check "$h: now sha256WithRSAEncryption" has 'Signature Algorithm: sha256WithRSAEncryption' $h
	check "$h: subject kept" [ "$(subject "$TMPD/$h.out")" = "$(subject "$F/$h.csr")" ]
	check "$h: SAN kept" [ "$(sans "$TMPD/$h.out")" = "DNS:www.example.com" ]
done

fixit challenge
check "challenge: exit 0" [ "$rc" = 0 ]
check "challenge: was there" sh -c "openssl req -in '$F/challenge.csr' -noout -text | grep -q challengePassword"
check "challenge: change line" grep -q '^attributes.challengePassword: (withheld) -> (removed)  \[csr.challenge-password\]$' "$TMPD/err"
check "challenge: password not printed" sh -c "! grep -q not-a-real-secret '$TMPD/err'"
check "challenge: attribute gone" hasnt challengePassword challenge
check "challenge: secret gone" hasnt not-a-real-secret challenge
check "challenge: unstructuredName kept" has 'unstructuredName *:Example Unit 7' challenge
check "challenge: subject kept" [ "$(subject "$TMPD/challenge.out")" = "C = GB, O = Example Ltd, CN = www.example.com" ]
check "challenge: SAN kept" [ "$(sans "$TMPD/challenge.out")" = "DNS:www.example.com" ]

fixit placeholder
check "placeholder: exit 0" [ "$rc" = 0 ]
check "placeholder: C, ST, O removed, OU and CN kept in order" [ "$(subject "$TMPD/placeholder.out")" = "OU = Web, CN = www.example.com" ]
check "placeholder: three changes" [ "$(grep -c '\[dn.openssl-default\]$' "$TMPD/err")" = 3 ]
check "placeholder: no Widgits" hasnt Widgits placeholder

fixit cn-not-in-san
check "cn-not-in-san: exit 0" [ "$rc" = 0 ]
check "cn-not-in-san: CN added, api kept" [ "$(dns_names "$TMPD/cn-not-in-san.out" | sort | tr '\n' ' ')" = "api.example.com www.example.com " ]
check "cn-not-in-san: change line" grep -q '\[name.cn-in-san\]$' "$TMPD/err"

fixit no-san
check "no-san: exit 0" [ "$rc" = 0 ]
check "no-san: SAN from the CN" [ "$(sans "$TMPD/no-san.out")" = "DNS:www.example.com" ]
check "no-san: subject kept" [ "$(subject "$TMPD/no-san.out")" = "$(subject "$F/no-san.csr")" ]

fixit dns-case
check "dns-case: exit 0" [ "$rc" = 0 ]
check "dns-case: was upper case" sh -c "openssl req -in '$F/dns-case.csr' -noout -text | grep -q WWW.Example.COM"
check "dns-case: lower case, trimmed, in order" [ "$(sans "$TMPD/dns-case.out")" = "DNS:www.example.com, DNS:api.example.com" ]
check "dns-case: CN lower case" [ "$(cn "$TMPD/dns-case.out")" = www.example.com ]
check "dns-case: no upper case left" hasnt 'WWW\|Example.COM' dns-case

fixit dup-san
check "dup-san: exit 0" [ "$rc" = 0 ]
check "dup-san: one of each" [ "$(sans "$TMPD/dup-san.out")" = "DNS:www.example.com, DNS:api.example.com" ]

fixit ip-as-dns
check "ip-as-dns: exit 0" [ "$rc" = 0 ]
check "ip-as-dns: an IP SAN now" [ "$(sans "$TMPD/ip-as-dns.out")" = "DNS:www.example.com, IP Address:192.0.2.10" ]

fixit ku-ec-keyenc
check "ku-ec-keyenc: exit 0" [ "$rc" = 0 ]
check "ku-ec-keyenc: no keyEncipherment" hasnt 'Key Encipherment' ku-ec-keyenc
check "ku-ec-keyenc: digitalSignature, still critical" sh -c "grep -A1 'X509v3 Key Usage: critical' '$TMPD/ku-ec-keyenc.txt' | grep -qx ' *Digital Signature'"
check "ku-ec-keyenc: EKU kept" has 'TLS Web Server Authentication' ku-ec-keyenc
check "ku-ec-keyenc: SAN kept" [ "$(sans "$TMPD/ku-ec-keyenc.out")" = "DNS:www.example.com" ]

fixit ca-requested
check "ca-requested: exit 0" [ "$rc" = 0 ]
check "ca-requested: no CA:TRUE" hasnt 'CA:TRUE' ca-requested
check "ca-requested: EKU kept" has 'TLS Web Server Authentication' ca-requested
check "ca-requested: SAN kept" [ "$(sans "$TMPD/ca-requested.out")" = "DNS:www.example.com" ]

fixit unknown-critical
check "unknown-critical: exit 0" [ "$rc" = 0 ]
check "unknown-critical: was there" sh -c "openssl req -in '$F/unknown-critical.csr' -noout -text | grep -q '1.2.3.4: critical'"
check "unknown-critical: gone" hasnt '1\.2\.3\.4' unknown-critical
check "unknown-critical: EKU kept" has 'TLS Web Server Authentication' unknown-critical

fixit empty-o
check "empty-o: exit 0" [ "$rc" = 0 ]
check "empty-o: O removed" [ "$(subject "$TMPD/empty-o.out")" = "C = GB, CN = www.example.com" ]

fixit country-lower
check "country-lower: exit 0" [ "$rc" = 0 ]
check "country-lower: GB" [ "$(subject "$TMPD/country-lower.out")" = "C = GB, O = Example Ltd, CN = www.example.com" ]

# printable_c FILE: the countryName is a PrintableString.
printable_c() {
	openssl asn1parse -in "$1" 2>/dev/null | grep -A1 ':countryName$' | grep -q 'PRINTABLESTRING *:GB'
}
fixit country-utf8
check "country-utf8: exit 0" [ "$rc" = 0 ]
check "country-utf8: was UTF8String" sh -c "openssl asn1parse -in '$F/country-utf8.csr' | grep -A1 ':countryName\$' | grep -q UTF8STRING"
check "country-utf8: now PrintableString" printable_c "$TMPD/country-utf8.out"
check "country-utf8: subject kept" [ "$(subject "$TMPD/country-utf8.out")" = "C = GB, O = Example Ltd, CN = www.example.com" ]

fixit ed25519
check "ed25519: exit 0" [ "$rc" = 0 ]
check "ed25519: signed with Ed25519" has 'Signature Algorithm: ED25519' ed25519
check "ed25519: no keyEncipherment" hasnt 'Key Encipherment' ed25519
check "ed25519: digitalSignature" has 'Digital Signature' ed25519

fixit rsa-pss
check "rsa-pss: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
check "rsa-pss: verifies" verifies "$TMPD/rsa-pss.out"
check "rsa-pss: still RSA-PSS" has 'Signature Algorithm: rsassaPss' rsa-pss
check "rsa-pss: SAN lower case" [ "$(sans "$TMPD/rsa-pss.out")" = "DNS:www.example.com" ]
check "rsa-pss: exit 0 (salt = hash length)" [ "$rc" = 0 ]

# The weak key: refused, then a new key.
mkdir "$TMPD/weak"
cs fix --key "$F/rsa1024.key" -o "$TMPD/weak/out.csr" "$F/rsa1024.csr"
check "weak: exit 1" [ "$rc" = 1 ]
check "weak: names --new-key" grep -q -- '--new-key' "$TMPD/err"
check "weak: names the rule" grep -q 'key.rsa.min-bits' "$TMPD/err"
check "weak: nothing written" empty_dir "$TMPD/weak"
cs fix --new-key ec:P-256 --key-out "$TMPD/weak/new.key" -o "$TMPD/weak/out.csr" "$F/rsa1024.csr"
check "new key: exit 0" [ "$rc" = 0 ]
check "new key: mode 0600" [ "$(stat -c %a "$TMPD/weak/new.key")" = 600 ]
check "new key: PKCS#8 PEM" grep -q '^-----BEGIN PRIVATE KEY-----$' "$TMPD/weak/new.key"
check "new key: the request's key" same_pub "$TMPD/weak/out.csr" "$TMPD/weak/new.key"
check "new key: not the old key" sh -c "! cmp -s '$TMPD/weak/new.key' '$F/rsa1024.key'"
check "new key: verifies" verifies "$TMPD/weak/out.csr"
check "new key: subject kept" [ "$(subject "$TMPD/weak/out.csr")" = "$(subject "$F/rsa1024.csr")" ]
check "new key: SAN kept" [ "$(sans "$TMPD/weak/out.csr")" = "DNS:www.example.com" ]
check "new key: only the two files" [ "$(ls -A "$TMPD/weak" | tr '\n' ' ')" = "new.key out.csr " ]

# A DER request in, PEM and DER out.
cs fix --key "$F/der.key" -o "$TMPD/der.csr" "$F/der.der"
check "der in: exit 0" [ "$rc" = 0 ]
check "der in: PEM out" grep -q '^-----BEGIN CERTIFICATE REQUEST-----$' "$TMPD/der.csr"
check "der in: SHA-256 now" sh -c "openssl req -in '$TMPD/der.csr' -noout -text | grep -q 'Signature Algorithm: sha256WithRSAEncryption'"
check "der in: SAN added" [ "$(sans "$TMPD/der.csr")" = "DNS:www.example.com" ]
cs fix --key "$F/der.key" --outform der -o "$TMPD/der-out.bin" "$F/der.der"
check "--outform der: exit 0" [ "$rc" = 0 ]
check "--outform der: openssl reads DER and verifies" \
    quiet openssl req -inform DER -in "$TMPD/der-out.bin" -noout -verify
check "--outform der: not PEM" sh -c "! grep -q BEGIN '$TMPD/der-out.bin'"
cs fix --key "$F/no-san.key" -o - "$F/no-san.csr"
check "-o -: exit 0" [ "$rc" = 0 ]
check "-o -: PEM on stdout" sh -c "head -n 1 '$TMPD/out' | grep -qx -- '-----BEGIN CERTIFICATE REQUEST-----'"
check "-o -: verifies" quiet openssl req -in "$TMPD/out" -noout -verify
check "-o -: changes on stderr" grep -q '\[name.san.missing\]$' "$TMPD/err"
cs fix --key "$F/no-san.key" "$F/no-san.csr"
check "no -o: PEM on stdout" quiet openssl req -in "$TMPD/out" -noout -verify

# The encrypted key.
mkdir "$TMPD/enc"
cs fix --key "$F/enc.key" -o "$TMPD/enc/out.csr" "$F/enc.csr"
check "enc without --passin: exit 3" [ "$rc" = 3 ]
check "enc without --passin: says encrypted" grep -q 'encrypted' "$TMPD/err"
check "enc without --passin: nothing written" empty_dir "$TMPD/enc"
cs fix --key "$F/enc.key" --passin pass:wrong -o "$TMPD/enc/out.csr" "$F/enc.csr"
check "enc wrong --passin: exit 3" [ "$rc" = 3 ]
check "enc wrong --passin: nothing written" empty_dir "$TMPD/enc"
cs fix --key "$F/enc.key" --passin pass:certsmith -o "$TMPD/enc/out.csr" "$F/enc.csr"
check "enc with --passin: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
check "enc with --passin: verifies" verifies "$TMPD/enc/out.csr"
check "enc with --passin: same key" same_pub "$TMPD/enc/out.csr" "$F/enc.key" pass:certsmith
check "enc with --passin: keyEncipherment gone" sh -c "! openssl req -in '$TMPD/enc/out.csr' -noout -text | grep -q 'Key Encipherment'"

# ---------------------------------------------------------------------
# 3. Edits.

fixit sha1 --set subject.C=DE
check "--set C: exit 0" [ "$rc" = 0 ]
check "--set C: in place" [ "$(subject "$TMPD/sha1.out")" = "C = DE, O = Example Ltd, CN = www.example.com" ]
check "--set C: change line" grep -q '^subject.C: GB -> DE  \[--set\]$' "$TMPD/err"
fixit placeholder --set subject.OU=
check "--set OU=: exit 0" [ "$rc" = 0 ]
check "--set OU=: removed" [ "$(subject "$TMPD/placeholder.out")" = "CN = www.example.com" ]
fixit no-san --set 'subject.O=Other Ltd'
check "--set O (new value): exit 0" [ "$rc" = 0 ]
check "--set O: replaced" [ "$(subject "$TMPD/no-san.out")" = "C = GB, O = Other Ltd, CN = www.example.com" ]
fixit sha1 --add-san dns:api.example.com --add-san ip:192.0.2.99
check "--add-san: exit 0" [ "$rc" = 0 ]
check "--add-san: added after the others" [ "$(sans "$TMPD/sha1.out")" = "DNS:www.example.com, DNS:api.example.com, IP Address:192.0.2.99" ]
fixit cn-not-in-san --add-san email:ops@example.com --add-san uri:https://www.example.com/
check "--add-san email/uri: exit 0" [ "$rc" = 0 ]
check "--add-san email/uri: there" sh -c "grep -q 'email:ops@example.com' '$TMPD/cn-not-in-san.txt' && grep -q 'URI:https://www.example.com/' '$TMPD/cn-not-in-san.txt'"
fixit dup-san --drop-san dns:api.example.com
check "--drop-san: exit 0" [ "$rc" = 0 ]
check "--drop-san: gone" [ "$(sans "$TMPD/dup-san.out")" = "DNS:www.example.com" ]
# Towards a profile: X-Road AUTH wants the server's FQDN as the CN.
fixit xroad-auth --profile x-road-auth --host ss1.example.ee
check "x-road-auth: exit 0" [ "$rc" = 0 ]
check "x-road-auth: verifies" verifies "$TMPD/xroad-auth.out"
check "x-road-auth: CN is the FQDN" sh -c "openssl req -in '$TMPD/xroad-auth.out' -noout -subject | grep -q 'CN = ss1.example.ee\$'"
check "x-road-auth: C upper case" sh -c "openssl req -in '$TMPD/xroad-auth.out' -noout -subject | grep -q 'C = EE,'"
check "x-road-auth: FQDN among the SANs" [ "$(sans "$TMPD/xroad-auth.out")" = "DNS:ss1.example.ee" ]
check "x-road-auth: digitalSignature" has 'Digital Signature' xroad-auth
check "x-road-auth: change names the field rule" grep -q 'subject.CN: SS1 -> ss1.example.ee  \[field.pattern\]' "$TMPD/err"
check "x-road-auth: clean under the profile" sh -c "'$CERTSMITH' lint --profile x-road-auth --host ss1.example.ee --fail-on warning '$TMPD/xroad-auth.out' >/dev/null"
# Without --host nothing can say what the FQDN is: the finding stays.
fixit xroad-auth --profile x-road-auth
check "x-road-auth without --host: exit 1" [ "$rc" = 1 ]
check "x-road-auth without --host: the CN rule is left" grep -q 'field.pattern' "$TMPD/err"
fixit ku-ec-keyenc --set signature.digest=sha384
check "--set digest: exit 0" [ "$rc" = 0 ]
check "--set digest: ecdsa-with-SHA384" has 'Signature Algorithm: ecdsa-with-SHA384' ku-ec-keyenc
check "--set digest: verifies" verifies "$TMPD/ku-ec-keyenc.out"
# On a SHA-1 request the user's digest wins over sig.weak-hash's sha256.
fixit sha1 --set signature.digest=sha384
check "--set digest over a weak one: exit 0" [ "$rc" = 0 ]
check "--set digest over a weak one: verifies" verifies "$TMPD/sha1.out"
check "--set digest over a weak one: the user's sha384 wins" \
    has 'Signature Algorithm: sha384WithRSAEncryption' sha1
fixit challenge --set signature.digest=sha512
check "--set digest sha512: ecdsa-with-SHA512" has 'Signature Algorithm: ecdsa-with-SHA512' challenge

# ---------------------------------------------------------------------
# 4. Errors write nothing.

# fails DIR NAME STATUS PATTERN: the last run exited STATUS, said PATTERN
# on stderr, and DIR is empty.
fails() {
	check "$2: exit $3 (got $rc)" [ "$rc" = "$3" ]
	check "$2: says '$4'" grep -q -- "$4" "$TMPD/err"
	check "$2: nothing written" empty_dir "$1"
}

d="$TMPD/e1"; mkdir "$d"
cs fix --key "$F/sha1.key" -o "$d/out.csr" "$F/challenge.csr"
fails "$d" "mismatched key" 1 'is not the key of'
d="$TMPD/e2"; mkdir "$d"
cs fix --new-key ec:P-256 -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--new-key without --key-out" 2 '--key-out'
d="$TMPD/e2b"; mkdir "$d"
cs fix --new-key ec:P-256 --key-out - -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--key-out -" 2 'never written to standard output'
check "--key-out -: no key on stdout" sh -c "! grep -q 'PRIVATE KEY' '$TMPD/out'"
d="$TMPD/e3"; mkdir "$d"
printf 'this is not a request\n' >"$TMPD/garbage.csr"
cs fix --key "$F/sha1.key" -o "$d/out.csr" "$TMPD/garbage.csr"
fails "$d" "garbage CSR" 3 'garbage.csr'
d="$TMPD/e4"; mkdir "$d"
cs fix --key "$F/sha1.key" --drop-san dns:absent.example.com -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--drop-san absent" 2 'no subjectAltName dns:absent.example.com'
d="$TMPD/e5"; mkdir "$d"
cs fix --key "$F/sha1.key" --add-san bogus:x -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--add-san bad type" 2 'bogus:x'
cs fix --key "$F/sha1.key" --add-san ip:999.1.1.1 -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--add-san bad address" 2 '999.1.1.1'
cs fix --key "$F/sha1.key" --set subject.XX=1 -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "--set unknown attribute" 2 'XX'
cs fix --key "$F/sha1.key" --set signature.digest=md5 -o "$d/out.csr" "$F/sha1.csr"
check "--set digest md5: refused (exit 2, got $rc)" [ "$rc" = 2 ]
check "--set digest md5: nothing written" empty_dir "$d"
cs fix --key "$F/sha1.key" --new-key rsa:512 --key-out "$d/k" -o "$d/out.csr" "$F/sha1.csr"
check "--new-key rsa:512: exit 2" [ "$rc" = 2 ]
check "--new-key rsa:512: nothing written" empty_dir "$d"
cs fix --key /nonexistent/x.key -o "$d/out.csr" "$F/sha1.csr"
fails "$d" "missing key" 3 '/nonexistent/x.key'

# An existing output: refused, then --force.
d="$TMPD/e6"; mkdir "$d"
printf 'keep me\n' >"$d/out.csr"
cs fix --key "$F/sha1.key" -o "$d/out.csr" "$F/sha1.csr"
check "existing output: exit 2" [ "$rc" = 2 ]
check "existing output: says --force" grep -q -- '--force' "$TMPD/err"
check "existing output: untouched" [ "$(cat "$d/out.csr")" = "keep me" ]
check "existing output: no other file" [ "$(ls -A "$d")" = out.csr ]
cs fix --force --key "$F/sha1.key" -o "$d/out.csr" "$F/sha1.csr"
check "--force: exit 0" [ "$rc" = 0 ]
check "--force: replaced, verifies" verifies "$d/out.csr"
check "--force: no other file" [ "$(ls -A "$d")" = out.csr ]

# The output is one of the inputs, even with --force.
d="$TMPD/e7"; mkdir "$d"
cp "$F/sha1.csr" "$d/in.csr"
cp "$F/sha1.key" "$d/in.key"
c1=$(sha "$d/in.csr")
k1=$(sha "$d/in.key")
for force in "" --force; do
	cs fix $force --key "$d/in.key" -o "$d/in.csr" "$d/in.csr"
	check "output = input CSR $force: exit 2" [ "$rc" = 2 ]
	check "output = input CSR $force: says so" grep -q 'over the input' "$TMPD/err"
	check "output = input CSR $force: unchanged" [ "$(sha "$d/in.csr")" = "$c1" ]
	cs fix $force --key "$d/in.key" -o "$d/in.key" "$d/in.csr"
	check "output = key $force: exit 2" [ "$rc" = 2 ]
	check "output = key $force: unchanged" [ "$(sha "$d/in.key")" = "$k1" ]
	cs fix $force --new-key ec:P-256 --key-out "$d/in.key" --key "$d/in.key" -o "$d/new.csr" "$d/in.csr"
	check "--key-out = key $force: exit 2" [ "$rc" = 2 ]
	check "--key-out = key $force: unchanged" [ "$(sha "$d/in.key")" = "$k1" ]
	check "output = input $force: no other file" [ "$(ls -A "$d" | tr '\n' ' ')" = "in.csr in.key " ]
done
# ... also through another path to the same file.
cs fix --force --key "$d/in.key" -o "$d/../e7/in.csr" "$d/in.csr"
check "output = input by another path: exit 2" [ "$rc" = 2 ]
check "output = input by another path: unchanged" [ "$(sha "$d/in.csr")" = "$c1" ]

# A directory that cannot be written (root writes anywhere: a missing one).
d="$TMPD/e8"; mkdir "$d"
if [ "$(id -u)" = 0 ]; then
	cs fix --key "$F/sha1.key" -o "$d/missing/out.csr" "$F/sha1.csr"
	fails "$d" "missing directory" 4 'missing/out.csr'
else
	mkdir "$d/ro"
	chmod 0555 "$d/ro"
	cs fix --key "$F/sha1.key" -o "$d/ro/out.csr" "$F/sha1.csr"
	fails "$d/ro" "unwritable directory" 4 'ro/out.csr'
	chmod 0755 "$d/ro"
fi
d="$TMPD/e9"; mkdir "$d"
cs fix --new-key ec:P-256 --key-out "$d/missing/new.key" -o "$d/out.csr" "$F/rsa1024.csr"
check "--key-out unwritable: exit 4 (got $rc)" [ "$rc" = 4 ]
check "--key-out unwritable: no request either" empty_dir "$d"

# Dry runs.
d="$TMPD/dry"; mkdir "$d"
cs fix -o "$d/out.csr" "$F/challenge.csr"
fails "$d" "dry run (no key)" 1 '^would change attributes.challengePassword: (withheld) -> (removed)  \[csr.challenge-password\]$'
check "dry run: no plain change lines" sh -c "! grep -q '^attributes' '$TMPD/err'"
check "dry run: stdout empty" [ ! -s "$TMPD/out" ]
cs fix --dry-run --key "$F/placeholder.key" -o "$d/out.csr" "$F/placeholder.csr"
fails "$d" "--dry-run with --key" 1 '^would change subject.ST: Some-State -> (removed)'
cs fix -n --key "$F/sha1.key" "$F/sha1.csr"
check "-n: exit 1" [ "$rc" = 1 ]
check "-n: nothing on stdout" [ ! -s "$TMPD/out" ]
check "-n: would change" grep -q '^would change signature.digest: sha1 -> sha256' "$TMPD/err"

# ---------------------------------------------------------------------
# 5. --from-cert and --config.

cs fix --from-cert "$F/renew.crt" --key "$F/renew.key" -o "$TMPD/renew.csr"
check "--from-cert: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
req_text "$TMPD/renew.csr" >"$TMPD/renew.txt"
crt_sans=$(openssl x509 -in "$F/renew.crt" -noout -ext subjectAltName | sed -n '2s/^ *//p')
check "--from-cert: verifies" verifies "$TMPD/renew.csr"
check "--from-cert: same key" same_pub "$TMPD/renew.csr" "$F/renew.key"
check "--from-cert: subject" [ "$(subject "$TMPD/renew.csr")" = "$(openssl x509 -in "$F/renew.crt" -noout -subject | sed 's/^subject=//')" ]
check "--from-cert: SANs" [ "$(sans "$TMPD/renew.csr")" = "$crt_sans" ]
check "--from-cert: SANs not empty" [ -n "$crt_sans" ]
for e in 'Authority Key Identifier' 'Subject Key Identifier' 'Basic Constraints' 'Key Usage' 'Extended Key Usage'; do
	check "--from-cert: no $e" hasnt "$e" renew
done
check "--from-cert: the certificate had AKI" sh -c "openssl x509 -in '$F/renew.crt' -noout -text | grep -q 'Authority Key Identifier'"
# The key must be the certificate's; a new one is --new-key.
d="$TMPD/renew"; mkdir "$d"
cs fix --from-cert "$F/renew.crt" --key "$F/sha1.key" -o "$d/renew.csr"
fails "$d" "--from-cert other key" 1 'is not the key of'
cs fix --from-cert "$F/renew.crt" --new-key ed25519 --key-out "$d/new.key" -o "$d/renew.csr"
check "--from-cert --new-key: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
check "--from-cert --new-key: signed with it" same_pub "$d/renew.csr" "$d/new.key"
check "--from-cert --new-key: Ed25519" sh -c "openssl req -in '$d/renew.csr' -noout -text | grep -q 'Signature Algorithm: ED25519'"
check "--from-cert --new-key: key mode 0600" [ "$(stat -c %a "$d/new.key")" = 600 ]
check "--from-cert --new-key: SANs" [ "$(sans "$d/renew.csr")" = "$crt_sans" ]

cs fix --config "$F/noprompt.cnf" --key "$F/sha1.key" -o "$TMPD/noprompt.csr"
check "--config prompt=no: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
req_text "$TMPD/noprompt.csr" >"$TMPD/noprompt.txt"
check "--config prompt=no: subject" [ "$(subject "$TMPD/noprompt.csr")" = "C = DE, O = Example GmbH, CN = www.example.de" ]
check "--config prompt=no: alt_names" [ "$(sans "$TMPD/noprompt.csr")" = "DNS:www.example.de, DNS:example.de, IP Address:192.0.2.20" ]
check "--config prompt=no: keyUsage" has 'X509v3 Key Usage: critical' noprompt
check "--config prompt=no: EKU" has 'TLS Web Server Authentication' noprompt
check "--config prompt=no: verifies" verifies "$TMPD/noprompt.csr"
check "--config prompt=no: default_bits noted as ignored" grep -q 'default_bits.*ignored' "$TMPD/err"
cs fix --config "$F/prompt.cnf" --key "$F/sha1.key" -o "$TMPD/prompt.csr"
check "--config prompt form: exit 0 or 1" [ "$rc" = 0 -o "$rc" = 1 ]
check "--config prompt form: subject from _default" [ "$(subject "$TMPD/prompt.csr")" = "C = FR, O = Exemple SA, CN = www.example.fr" ]
check "--config prompt form: SANs" [ "$(sans "$TMPD/prompt.csr")" = "DNS:www.example.fr, DNS:api.example.fr" ]
check "--config prompt form: verifies" verifies "$TMPD/prompt.csr"
d="$TMPD/cnf"; mkdir "$d"
cs fix --config "$F/unsupported.cnf" --key "$F/sha1.key" -o "$d/out.csr"
fails "$d" "--config unsupported" 3 'copy_extensions is not supported'
cs fix --config "$F/syntax.cnf" --key "$F/sha1.key" -o "$d/out.csr"
fails "$d" "--config syntax" 3 'syntax.cnf: line 4'
cs fix --config /nonexistent/x.cnf --key "$F/sha1.key" -o "$d/out.csr"
fails "$d" "--config missing" 3 '/nonexistent/x.cnf'

finish
