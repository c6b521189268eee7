#!/bin/bash
# Regenerates corpus/lint/dn/ (inputs for the dn.* rules). Uses the openssl
# CLI, and python3's standard library for names openssl will not encode
# (empty values, NUL, PrintableString with '@', UniversalString...): the
# request body is built in DER and signed with `openssl dgst`.
set -euo pipefail

# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"
lint_begin dn
cd "$tmp"

mkreq_setup

# req NAME SUBJECT [openssl req options...]: dn/NAME.csr
req() {
	local n=$1 s=$2
	shift 2
	openssl req -new -key ec.key -utf8 -subj "$s" "$@" -out "$out/$n.csr"
}

# --- clean and per-rule requests ------------------------------------------
req clean '/C=GB/ST=England/L=London/O=Example Ltd/CN=www.example.com' \
	-addext 'subjectAltName=DNS:www.example.com'
req country-uk '/C=UK/O=Example Ltd/CN=www.example.com'
req country-lower '/C=us/O=Example Inc/CN=www.example.com'
craft country-usa '{"subject": [[["2.5.4.6", "printable", "USA"]],
	[["2.5.4.3", "utf8", "www.example.com"]]]}'
req state-abbrev '/C=US/ST=CA/L=San Francisco/O=Example Inc/CN=www.example.com'
req state-full '/C=US/ST=California/L=San Francisco/O=Example Inc/CN=www.example.com'
req openssl-default '/C=AU/ST=Some-State/O=Internet Widgits Pty Ltd/CN=www.example.com'
req redhat-default '/C=XX/L=Default City/O=Default Company Ltd/CN=www.example.com'
craft empty-value '{"subject": [[["2.5.4.10", "utf8", ""]],
	[["2.5.4.3", "utf8", "www.example.com"]]]}'
req whitespace-edge '/C=GB/O= Example Ltd /CN=www.example.com'
req whitespace-double '/C=GB/O=Example  Ltd/CN=www.example.com'
cn65=$(printf 'a%.0s' $(seq 1 61)).com
craft length-cn '{"subject": [[["2.5.4.3", "utf8", "'"$cn65"'"]]]}'
# 64 characters of two bytes each: within the bound (characters, not bytes)
cn64u=$(printf '\xc3\xa9%.0s' $(seq 1 64))
req length-utf8 "/C=FR/O=$cn64u/CN=www.example.fr"
craft printable-at '{"subject": [[["2.5.4.6", "printable", "GB"]],
	[["2.5.4.3", "printable", "alice@example.com"]]]}'
craft printable-ok '{"subject": [[["2.5.4.6", "printable", "GB"]],
	[["2.5.4.3", "printable", "www.example.com"]]]}'
craft string-teletex '{"subject": [[["2.5.4.10", "teletex", "Soci\u00e9t\u00e9 Exemple"]],
	[["2.5.4.3", "utf8", "www.example.fr"]]]}'
craft string-bmp '{"subject": [[["2.5.4.10", "bmp", "Example \u20ac Ltd"]],
	[["2.5.4.3", "utf8", "www.example.com"]]]}'
craft string-universal '{"subject": [[["2.5.4.10", "universal", "Example Ltd"]],
	[["2.5.4.3", "utf8", "www.example.com"]]]}'
craft string-type '{"subject": [[["2.5.4.6", "utf8", "GB"]],
	[["2.5.4.3", "utf8", "Alice Example"]],
	[["1.2.840.113549.1.9.1", "utf8", "alice@example.com"]]]}'
req duplicate-cn '/C=GB/CN=a.example.com/CN=b.example.com'
req duplicate-ou '/C=GB/O=Example Ltd/OU=Web/OU=Ops/CN=www.example.com'
req email '/C=GB/CN=Alice Example/emailAddress=alice@example.com'
req email-in-san '/C=GB/CN=Alice Example/emailAddress=alice@example.com' \
	-addext 'subjectAltName=email:alice@example.com'
req empty-subject '/' -addext 'subjectAltName=DNS:www.example.com'
craft control-nul '{"subject": [[["2.5.4.3", "utf8", "www.example.com\u0000.evil.example"]]]}'
craft control-tab '{"subject": [[["2.5.4.10", "utf8", "Example\tLtd"]],
	[["2.5.4.3", "utf8", "www.example.com"]]]}'
req multivalued '/C=GB/O=Example Ltd+CN=www.example.com' -multivalue-rdn

# --- certificates ---------------------------------------------------------
x509() {
	local n=$1 s=$2
	shift 2
	openssl req -x509 -new -key ec.key -utf8 -days 90 -subj "$s" "$@" \
		-out "$out/$n.crt"
}
x509 cert-clean '/C=GB/O=Example Ltd/CN=www.example.com' \
	-addext 'subjectAltName=DNS:www.example.com'
x509 cert-empty-subject '/' -addext 'subjectAltName=DNS:www.example.com'
x509 cert-empty-subject-crit '/' \
	-addext 'subjectAltName=critical,DNS:www.example.com'
x509 cert-state-abbrev '/C=US/ST=NY/O=Example Inc/CN=www.example.com'
# A CA with a bad country, and a leaf it signs: the issuer of the leaf trips
openssl req -x509 -new -key ec.key -days 90 -subj '/C=UK/O=Example CA' \
	-addext 'basicConstraints=critical,CA:TRUE' -out ca-uk.crt
openssl req -new -key ec.key -subj '/C=GB/O=Example Ltd/CN=www.example.com' \
	-out leaf.csr
openssl x509 -req -in leaf.csr -CA ca-uk.crt -CAkey ec.key -days 90 \
	-set_serial 2 -out "$out/cert-issuer-uk.crt" 2>/dev/null
