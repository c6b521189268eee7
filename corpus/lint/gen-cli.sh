#!/bin/bash
# gen-cli.sh - (re)creates corpus/lint/cli/: the CSRs the command-level
# tests (tests/cli/lint.sh, reports.sh) lint, and their rows in cli.tsv.
# clean-rsa2048.csr is what an operator should send to a public CA: RSA
# 2048, SHA-256, CN www.example.com, both host names in the SANs.
# weak-rsa1024.csr is the same request with a 1024-bit key.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"

printf '[req]\ndistinguished_name = dn\n[dn]\n' >"$tmp/req.cnf"
for bits in 2048 1024; do
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits \
	    -out "$tmp/rsa$bits.key" 2>/dev/null
done
subj='/C=GB/ST=London/L=London/O=Example Ltd/CN=www.example.com'
san='subjectAltName=DNS:www.example.com,DNS:example.com'
openssl req -new -config "$tmp/req.cnf" -key "$tmp/rsa2048.key" -sha256 \
    -subj "$subj" -addext "$san" -out "$out/clean-rsa2048.csr"
openssl req -new -config "$tmp/req.cnf" -key "$tmp/rsa1024.key" -sha256 \
    -subj "$subj" -addext "$san" -out "$out/weak-rsa1024.csr"

# A root CA with serial 0 and a host-like CN (as some real roots have), and
# a leaf it issued, also with serial 0: the root's serial is a warning (a
# trust anchor's serial is never processed), the leaf's an error.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$tmp/ca.key" 2>/dev/null
openssl req -x509 -new -config "$tmp/req.cnf" -key "$tmp/ca.key" -sha256 \
    -set_serial 0 -days 3650 -subj '/C=GB/O=Example Ltd/CN=ca.example.com' \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -addext 'subjectKeyIdentifier=hash' -out "$out/root-serial0.crt"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:www.example.com\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' \
    >"$tmp/leaf.ext"
openssl x509 -req -in "$out/clean-rsa2048.csr" -CA "$out/root-serial0.crt" \
    -CAkey "$tmp/ca.key" -set_serial 0 -days 90 -sha256 \
    -extfile "$tmp/leaf.ext" -out "$out/leaf-serial0.crt" 2>/dev/null

# C=EU, as some publicly trusted roots have: a warning, not an error.
openssl req -new -config "$tmp/req.cnf" -key "$tmp/rsa2048.key" -sha256 \
    -subj '/C=EU/O=Example Ltd/CN=www.example.com' -addext "$san" \
    -out "$out/country-eu.csr"

# SHA-1: on a self-signed root (its own signature is not relied on) a
# warning, on a leaf it signed an error.
openssl req -x509 -new -config "$tmp/req.cnf" -key "$tmp/ca.key" -sha1 \
    -days 3650 -subj '/C=GB/O=Example Ltd/CN=Example SHA-1 Root' \
    -addext 'basicConstraints=critical,CA:TRUE' \
    -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    -addext 'subjectKeyIdentifier=hash' -out "$out/root-sha1.crt"
openssl x509 -req -in "$out/clean-rsa2048.csr" -CA "$out/root-sha1.crt" \
    -CAkey "$tmp/ca.key" -days 90 -sha1 -extfile "$tmp/leaf.ext" \
    -out "$out/leaf-sha1.crt" 2>/dev/null
