#!/bin/bash
# gen-name.sh - (re)creates corpus/lint/name/, the inputs of the name.* rules
# listed in corpus/lint/name.tsv. Needs only the openssl CLI. One EC P-256
# key signs every input; signatures differ between runs, nothing else does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/name
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rm -rf "$out"
mkdir -p "$out"

cat > "$tmp/req.cnf" <<'CNF'
[req]
distinguished_name = dn
[dn]
CNF
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$tmp/key.pem" 2>/dev/null

# csr FILE SUBJECT [SAN]: a CSR, with a subjectAltName when SAN is given.
csr() {
	local f=$1 subj=$2 san=${3:-}
	local args=(-new -config "$tmp/req.cnf" -key "$tmp/key.pem" -subj "$subj")
	[ -n "$san" ] && args+=(-addext "subjectAltName=$san")
	openssl req "${args[@]}" -out "$out/$f"
}

# cert FILE SUBJECT [SAN]: a self-signed end-entity certificate.
cert() {
	local f=$1 subj=$2 san=${3:-}
	local args=(-x509 -new -config "$tmp/req.cnf" -key "$tmp/key.pem"
	    -subj "$subj" -days 3650 -set_serial 0x4e414d45
	    -addext "basicConstraints=critical,CA:FALSE")
	[ -n "$san" ] && args+=(-addext "subjectAltName=$san")
	openssl req "${args[@]}" -out "$out/$f"
}

# Clean baselines.
csr good.csr "/CN=www.example.com" "DNS:www.example.com,DNS:example.com"
cert good.crt "/CN=www.example.com" "DNS:www.example.com,DNS:example.com"
csr ip-public.csr "/CN=www.example.com" \
	"DNS:www.example.com,IP:93.184.215.14,IP:2606:4700:4700::1111"
csr email-good.csr "/CN=www.example.com" \
	"DNS:www.example.com,email:admin@example.com"
csr idn-good.csr "/CN=xn--bcher-kva.example.com" \
	"DNS:xn--bcher-kva.example.com,DNS:xn--55qx5d.example.org"
csr wildcard.csr "/CN=*.example.com" "DNS:*.example.com"
cert wildcard.crt "/CN=*.example.com" "DNS:*.example.com,DNS:example.org"
csr ip-cn-good.csr "/CN=93.184.215.14" "IP:93.184.215.14,DNS:www.example.com"

# name.cn-in-san, name.san.missing, name.cn.not-host
csr cn-not-in-san.csr "/CN=www.example.com" "DNS:app.example.com"
csr no-san.csr "/O=Example/CN=www.example.com"
cert no-san.crt "/O=Example/CN=www.example.com"
csr no-san-ip.csr "/CN=93.184.215.14"
csr cn-not-host.csr "/CN=My Server" "DNS:www.example.com"

# name.dns.syntax, name.dns.underscore, name.wildcard.*, name.idn.invalid
csr dns-syntax.csr "/O=Example" "DNS:a..example.com,DNS:-lead.example.com,\
DNS:trail-.example.com,DNS:dot.example.com.,DNS:has space.example.com,\
DNS:$(printf 'x%.0s' {1..64}).example.com"
csr cn-syntax.csr "/CN=www..example.com" "DNS:www.example.com"
csr underscore.csr "/CN=a_b.example.com" \
	"DNS:a_b.example.com,DNS:_acme.example.org"
csr wildcard-position.csr "/O=Example" \
	"DNS:w*.example.com,DNS:a.*.example.com,DNS:*,DNS:*.*.example.org"
csr wildcard-psl.csr "/CN=*.co.uk" "DNS:*.co.uk,DNS:*.com"
cert wildcard-psl.crt "/CN=*.co.uk" "DNS:*.co.uk"
csr idn-bad.csr "/O=Example" \
	"DNS:xn--ls8h.example.com,DNS:xn--a.example.org,DNS:xn--www-.example.com"

# name.internal, name.ip.reserved, name.ip-as-dns, name.email.syntax
csr internal.csr "/O=Example" "DNS:server.local,DNS:intranet,\
DNS:printer.home.arpa,DNS:git.corp,DNS:db.internal,DNS:host.notatld"
csr ip-reserved.csr "/O=Example" "IP:10.0.0.1,IP:192.0.2.1,IP:100.64.1.1,\
IP:127.0.0.1,IP:fe80::1,IP:2001:db8::1,IP:fd00::1,IP:::1"
cert ip-reserved.crt "/CN=192.168.1.1" "IP:192.168.1.1"
csr ip-as-dns.csr "/CN=www.example.com" \
	"DNS:www.example.com,DNS:93.184.215.14,DNS:2606:4700:4700::1111"
csr ip-cn.csr "/CN=93.184.215.14" "DNS:www.example.com"
csr email-bad.csr "/CN=www.example.com" "DNS:www.example.com,\
email:noat.example.com,email:a@b@example.com,email:@example.com,\
email:admin@bad..example.com"

# name.san.duplicate, name.san.max-count
csr duplicate.csr "/CN=www.example.com" \
	"DNS:www.example.com,DNS:WWW.Example.COM,IP:93.184.215.14,IP:93.184.215.14"
many=""
for i in $(seq 1 101); do many="$many${many:+,}DNS:h$i.example.com"; done
csr many.csr "/CN=h1.example.com" "$many"

# Hostile bytes openssl's text syntax cannot carry: a dNSName with a NUL
# ("a\0b.example.com") and one with a control byte ("c\x01d.example.com").
csr hostile.csr "/O=Example" "DER:3022820f610062\
2e6578616d706c652e636f6d820f630164\
2e6578616d706c652e636f6d"
