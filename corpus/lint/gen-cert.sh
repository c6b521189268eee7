#!/bin/bash
# Rebuilds corpus/lint/cert/: inputs for the cert.* rules (see cert.tsv).
# Needs only the openssl CLI (3.0) and python3's standard library. Dates are
# fixed (openssl ca -startdate/-enddate) so the manifest's --at rows never
# depend on today's date.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/cert
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
rm -rf "$out"
mkdir -p "$out" "$w/db"
: > "$w/db/index.txt"

cat > "$w/x.cnf" <<'CNF'
[ca]
default_ca = c
[c]
database = db/index.txt
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = p
unique_subject = no
email_in_dn = no
[p]
commonName = supplied
[root]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server_rsa_ke]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server_ka]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[server_any]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth,anyExtendedKeyUsage
subjectAltName = DNS:www.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee_no_ku]
basicConstraints = critical,CA:FALSE
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee_no_ski]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = none
authorityKeyIdentifier = keyid
[ee_no_aki]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[ee_pathlen]
basicConstraints = critical,CA:FALSE,pathlen:0
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee_certsign]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee_unknown_crit]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1.1 = critical,ASN1:UTF8String:must understand
[ee_unknown]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
1.3.6.1.4.1.55555.1.2 = ASN1:UTF8String:may ignore
[ca_good]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_bc_noncrit]
basicConstraints = CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_pathlen_nosign]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,digitalSignature,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_no_ku]
basicConstraints = critical,CA:TRUE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca_no_ski]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = none
authorityKeyIdentifier = keyid
[ku_empty]
basicConstraints = critical,CA:FALSE
2.5.29.15 = critical,DER:030100
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[sign]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[self_ee]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:self.example.com
subjectKeyIdentifier = hash
CNF

cd "$w"
ossl() { openssl "$@" 2>/dev/null; }
key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }
csr() { ossl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"; }
rand_serial() { echo "0x$(ossl rand -hex 16 | sed 's/^./4/')"; }

key root
csr root "certsmith lint cert root"
ossl x509 -req -in root.csr -key root.key -set_serial "$(rand_serial)" \
    -days 7300 -extfile x.cnf -extensions root -out "$out/root.crt"
key ee
csr ee "www.example.com"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
csr rsa "rsa.example.com"

# sign NAME SECTION SERIAL [CSR]: signed by root, valid 365 days from today
# (only date-independent rules look at these).
sign() {
	ossl x509 -req -in "${4:-ee}.csr" -CA "$out/root.crt" -CAkey root.key \
	    -set_serial "$3" -days 365 -extfile x.cnf -extensions "$2" \
	    -out "$out/$1.crt"
}
# dated NAME SECTION START END: signed by root with fixed dates.
dated() {
	ossl rand -hex 16 | sed 's/^./4/' > db/serial
	ossl ca -batch -notext -config x.cnf -cert "$out/root.crt" \
	    -keyfile root.key -in ee.csr -startdate "$3" -enddate "$4" \
	    -extensions "$2" -out "$out/$1.crt"
}

dated server server 20250101000000Z 20251231235959Z
dated server-500d server 20250101000000Z 20260515235959Z
dated server-900d server 20250101000000Z 20270619235959Z
dated client-900d ee_no_ku 20250101000000Z 20270619235959Z
dated inverted server 20260101000000Z 20250101000000Z
dated server-2051 ee_no_ku 20250101000000Z 20510101000000Z

sign serial-zero server 0
sign serial-negative server -5
sign serial-short server 0x1234
sign serial-20 server "0x7f$(ossl rand -hex 19)"
sign serial-21 server "0x7f$(ossl rand -hex 20)"

sign server-rsa-ke server_rsa_ke "$(rand_serial)" rsa
sign server-rsa server "$(rand_serial)" rsa
sign server-ka server_ka "$(rand_serial)"
sign server-any server_any "$(rand_serial)"
sign ee-no-ku ee_no_ku "$(rand_serial)"
sign ee-no-ski ee_no_ski "$(rand_serial)"
sign ee-no-aki ee_no_aki "$(rand_serial)"
sign ee-pathlen ee_pathlen "$(rand_serial)"
sign ee-certsign ee_certsign "$(rand_serial)"
sign ee-unknown-crit ee_unknown_crit "$(rand_serial)"
sign ee-unknown ee_unknown "$(rand_serial)"
sign ku-empty ku_empty "$(rand_serial)"
sign sign sign "$(rand_serial)"
sign ca-good ca_good "$(rand_serial)"
sign ca-bc-noncrit ca_bc_noncrit "$(rand_serial)"
sign ca-pathlen-nosign ca_pathlen_nosign "$(rand_serial)"
sign ca-no-ku ca_no_ku "$(rand_serial)"
sign ca-no-ski ca_no_ski "$(rand_serial)"

ossl x509 -req -in ee.csr -key ee.key -set_serial "$(rand_serial)" \
    -days 365 -extfile x.cnf -extensions self_ee -out "$out/self-ee.crt"

# A version 2 certificate with extensions: the version INTEGER of a v3
# certificate (a0 03 02 01 02) rewritten to 1; the signature no longer
# verifies, which does not matter to cert.version.extensions.
ossl x509 -in "$out/server.crt" -outform DER -out server.der
python3 - server.der "$out/v2-ext.der" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.find(b"\xa0\x03\x02\x01\x02")
assert 0 < i < 12, i
d[i + 4] = 1
open(sys.argv[2], "wb").write(d)
PY

# Hand edits of a DER certificate with the lengths of the enclosing
# SEQUENCEs fixed up (signatures break; no cert.* rule looks at them):
# "generalized": notAfter 2025-12-31 as GeneralizedTime (RFC 5280 wants
# UTCTime before 2050); "dupext": the first extension repeated at the end.
cat > der.py <<'PY'
import sys

def tlv(b, i):
    n, h = b[i + 1], 2
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(b[i + 2:i + 2 + k], "big")
        h += k
    return i + h, i + h + n

def enc(t, v):
    n = len(v)
    if n < 128:
        return bytes([t, n]) + v
    k = (n.bit_length() + 7) // 8
    return bytes([t, 0x80 | k]) + n.to_bytes(k, "big") + v

def kids(b):
    s, e = tlv(b, 0)
    out = []
    while s < e:
        _, ve = tlv(b, s)
        out.append(b[s:ve])
        s = ve
    return out

def generalized(tbs):
    vi = 4 if tbs[0][0] == 0xa0 else 3
    nb, na = kids(tbs[vi])
    assert na[0] == 0x17 and na[2:4] == b"25", na
    tbs[vi] = enc(0x30, nb + enc(0x18, b"20" + na[2:]))

def dupext(tbs):
    assert tbs[-1][0] == 0xa3
    seq = kids(tbs[-1])[0]
    items = kids(seq)
    tbs[-1] = enc(0xa3, enc(0x30, b"".join(items + items[:1])))

op, src, dst = sys.argv[1:]
cert = kids(open(src, "rb").read())
tbs = kids(cert[0])
{"generalized": generalized, "dupext": dupext}[op](tbs)
cert[0] = enc(0x30, b"".join(tbs))
open(dst, "wb").write(enc(0x30, b"".join(cert)))
PY
python3 der.py generalized server.der "$out/generalized-2025.der"
python3 der.py dupext server.der "$out/ext-dup.der"
