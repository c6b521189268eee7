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
