#!/bin/bash
# Rebuilds corpus/lint/chain/: bundles for the chain.* rules (see chain.tsv).
# A root -> intermediate -> leaf hierarchy (EC P-256), a second intermediate
# with the same name but another key, an unrelated root, and a certificate
# issued by the leaf; the bundles put them in good and bad orders.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/chain
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
rm -rf "$out"
mkdir -p "$out"

cat > "$w/x.cnf" <<'CNF'
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[sub]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

cd "$w"
ossl() { openssl "$@" 2>/dev/null; }
serial() { echo "0x4$(ossl rand -hex 15)"; }
# cert NAME CN SECTION [ISSUER]: key NAME.key, certificate NAME.crt, signed
# by ISSUER (NAME itself when absent).
cert() {
	ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1.key"
	ossl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
	if [ -z "${4:-}" ]; then
		ossl x509 -req -in "$1.csr" -key "$1.key" -days 7300 \
		    -set_serial "$(serial)" -extfile x.cnf -extensions "$3" \
		    -out "$1.crt"
	else
		ossl x509 -req -in "$1.csr" -CA "$4.crt" -CAkey "$4.key" \
		    -days 3650 -set_serial "$(serial)" -extfile x.cnf \
		    -extensions "$3" -out "$1.crt"
	fi
}
bundle() {
	local name=$1
	shift
	cat "$@" > "$out/$name.pem"
}

cert root "certsmith chain root" ca
cert int "certsmith chain intermediate" ca root
cert int2 "certsmith chain intermediate" ca root
cert leaf "www.example.com" leaf int
cert other "certsmith unrelated root" ca
cert sub "client.example.com" sub leaf

bundle good leaf.crt int.crt root.crt
bundle good-noroot leaf.crt int.crt
bundle misordered int.crt root.crt leaf.crt
bundle reversed root.crt int.crt leaf.crt
bundle swapped leaf.crt int2.crt root.crt
bundle gap leaf.crt root.crt
bundle unrelated leaf.crt int.crt root.crt other.crt
bundle duplicate leaf.crt int.crt int.crt root.crt
bundle ee-issuer sub.crt leaf.crt int.crt
bundle single leaf.crt
