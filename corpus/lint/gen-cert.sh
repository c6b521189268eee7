#!/bin/bash
# Rebuilds corpus/lint/cert/: inputs for the cert.* rules (see cert.tsv).
# Needs only the openssl CLI (3.0) and python3's standard library. Dates are
# fixed (openssl ca -startdate/-enddate) so the manifest's --at rows never
# depend on today's date.
set -euo pipefail

# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"
lint_begin cert
w=$tmp
mkdir -p "$w/db"
: > "$w/db/index.txt"

{
cat <<'CNF'
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
CNF
cnf_ext root "$BC_CA" "$KU_CA" -noaki
cnf_ext server "$BC_EE" "$KU_DS" "$EKU_SERVER" "$SAN_WWW"
cnf_ext server_rsa_ke "$BC_EE" 'keyUsage = critical,keyEncipherment' \
    "$EKU_SERVER" "$SAN_WWW"
cnf_ext server_ka "$BC_EE" 'keyUsage = critical,keyAgreement' \
    "$EKU_SERVER" "$SAN_WWW"
cnf_ext server_any "$BC_EE" "$KU_DS" \
    'extendedKeyUsage = serverAuth,anyExtendedKeyUsage' "$SAN_WWW"
cnf_ext ee_no_ku "$BC_EE" "$EKU_CLIENT"
cnf_ext ee_no_ski "$BC_EE" "$KU_DS" "$EKU_CLIENT" \
    'subjectKeyIdentifier = none' "$AKI"
cnf_ext ee_no_aki "$BC_EE" "$KU_DS" "$EKU_CLIENT" "$SKI" \
    'authorityKeyIdentifier = none'
cnf_ext ee_pathlen 'basicConstraints = critical,CA:FALSE,pathlen:0' "$KU_DS"
cnf_ext ee_certsign "$BC_EE" 'keyUsage = critical,digitalSignature,keyCertSign'
cnf_ext ee_unknown_crit "$BC_EE" "$KU_DS" "$SKI" "$AKI" \
    '1.3.6.1.4.1.55555.1.1 = critical,ASN1:UTF8String:must understand'
cnf_ext ee_unknown "$BC_EE" "$KU_DS" "$SKI" "$AKI" \
    '1.3.6.1.4.1.55555.1.2 = ASN1:UTF8String:may ignore'
cnf_ext ca_good "$BC_CA0" "$KU_CA"
cnf_ext ca_bc_noncrit 'basicConstraints = CA:TRUE' "$KU_CA"
cnf_ext ca_pathlen_nosign "$BC_CA0" 'keyUsage = critical,digitalSignature,cRLSign'
cnf_ext ca_no_ku "$BC_CA"
cnf_ext ca_no_ski "$BC_CA" "$KU_CA" 'subjectKeyIdentifier = none' "$AKI"
cnf_ext ku_empty "$BC_EE" '2.5.29.15 = critical,DER:030100'
cnf_ext sign "$BC_EE" 'keyUsage = critical,digitalSignature,nonRepudiation'
cnf_ext self_ee "$BC_EE" "$KU_DS" "$EKU_SERVER" \
    'subjectAltName = DNS:self.example.com' -noaki
} > "$w/x.cnf"

cd "$w"

ec_key root
cn_csr root "certsmith lint cert root"
ossl x509 -req -in root.csr -key root.key -set_serial "$(rand_serial)" \
    -days 7300 -extfile x.cnf -extensions root -out "$out/root.crt"
ec_key ee
cn_csr ee "www.example.com"
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key
cn_csr rsa "rsa.example.com"

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
write_asn1_py .
cat > der.py <<'PY'
import sys
from asn1 import tlv as enc, read_tlv, children

def kids(b):
    return children(read_tlv(b, 0)[1])

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
