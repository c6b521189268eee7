#!/bin/bash
# Regenerates corpus/lint/csr/ (inputs for the csr.* rules). Uses the openssl
# CLI, and python3's standard library for requests openssl will not make
# (version 1, a duplicate extension, an unknown attribute, a broken
# signature): the request body is built in DER and signed with `openssl dgst`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/csr
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
cd "$tmp"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl genpkey -algorithm ED25519 -out ed.key
openssl pkey -in ec.key -pubout -outform DER -out ec.spki

cat >mkreq.py <<'EOF'
# mkreq.py SPKI KEY SPEC OUT: a PKCS#10 request from a JSON spec
#   {"version": 0, "subject": [[[oid, type, text], ...], ...],
#    "attrs": [[oid, type, text], ...], "exts": [[oid, critical, hexvalue], ...]}
# signed with ECDSA-SHA256 by KEY (openssl dgst), written as PEM.
import base64, json, subprocess, sys

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body

def oid(s):
    p = [int(x) for x in s.split(".")]
    out = bytes([40 * p[0] + p[1]])
    for v in p[2:]:
        enc = [v & 0x7f]
        v >>= 7
        while v:
            enc.insert(0, 0x80 | (v & 0x7f))
            v >>= 7
        out += bytes(enc)
    return tlv(0x06, out)

STR = {"utf8": (0x0c, "utf-8"), "printable": (0x13, "latin-1"),
       "teletex": (0x14, "latin-1"), "ia5": (0x16, "latin-1"),
       "bmp": (0x1e, "utf-16-be"), "universal": (0x1c, "utf-32-be")}

def string(kind, text):
    tag, enc = STR[kind]
    return tlv(tag, text.encode(enc))

def name(rdns):
    return tlv(0x30, b"".join(
        tlv(0x31, b"".join(tlv(0x30, oid(o) + string(k, t)) for o, k, t in rdn))
        for rdn in rdns))

def build(spec, spki):
    attrs = [tlv(0x30, oid(o) + tlv(0x31, string(k, t)))
             for o, k, t in spec.get("attrs", [])]
    if spec.get("exts"):
        exts = b"".join(tlv(0x30, oid(o) + (b"\x01\x01\xff" if c else b"") +
                            tlv(0x04, bytes.fromhex(v)))
                        for o, c, v in spec["exts"])
        attrs.append(tlv(0x30, oid("1.2.840.113549.1.9.14") +
                         tlv(0x31, tlv(0x30, exts))))
    return tlv(0x30, tlv(0x02, bytes([spec.get("version", 0)])) +
               name(spec["subject"]) + spki + tlv(0xa0, b"".join(attrs)))

spki = open(sys.argv[1], "rb").read()
spec = json.load(open(sys.argv[3], encoding="utf-8"))
cri = build(spec, spki)
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", sys.argv[2]],
                     input=cri, capture_output=True, check=True).stdout
der = tlv(0x30, cri + tlv(0x30, oid("1.2.840.10045.4.3.2")) +
          tlv(0x03, b"\x00" + sig))
b64 = base64.b64encode(der).decode()
with open(sys.argv[4], "w") as f:
    f.write("-----BEGIN CERTIFICATE REQUEST-----\n")
    for i in range(0, len(b64), 64):
        f.write(b64[i:i + 64] + "\n")
    f.write("-----END CERTIFICATE REQUEST-----\n")
EOF

# craft NAME 'JSON': a request for dn/NAME.csr from a spec (see mkreq.py)
craft() {
	printf '%s' "$2" >spec.json
	python3 mkreq.py ec.spki ec.key spec.json "$out/$1.csr"
}

# req NAME KEY SUBJECT [openssl req options...]: csr/NAME.csr
req() {
	local n=$1 k=$2 s=$3
	shift 3
	openssl req -new -key "$k.key" -subj "$s" "$@" -out "$out/$n.csr"
}
www='/C=GB/O=Example Ltd/CN=www.example.com'
san='subjectAltName=DNS:www.example.com'

req clean-ec ec "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature' \
	-addext 'basicConstraints=critical,CA:FALSE'
req clean-rsa rsa "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyEncipherment'
req no-ext ec "$www"

# the signature's last byte altered
python3 - "$out/clean-ec.csr" "$out/bad-signature.csr" <<'PY'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
der = bytearray(base64.b64decode("".join(l for l in lines if l and not l.startswith("-----"))))
der[-1] ^= 0x01
b64 = base64.b64encode(bytes(der)).decode()
with open(sys.argv[2], "w") as f:
    f.write("-----BEGIN CERTIFICATE REQUEST-----\n")
    for i in range(0, len(b64), 64):
        f.write(b64[i:i + 64] + "\n")
    f.write("-----END CERTIFICATE REQUEST-----\n")
PY

craft version-1 '{"version": 1, "subject": [[["2.5.4.3", "utf8", "www.example.com"]]]}'
craft version-0 '{"version": 0, "subject": [[["2.5.4.3", "utf8", "www.example.com"]]]}'

cat >challenge.cnf <<'CNF'
[req]
prompt = no
distinguished_name = dn
attributes = attrs
[dn]
CN = www.example.com
[attrs]
challengePassword = not-a-real-secret
unstructuredName = Example Ltd
CNF
# -subj would skip the attributes section
openssl req -new -key ec.key -config challenge.cnf -out "$out/challenge.csr"
cat >unstructured.cnf <<'CNF'
[req]
prompt = no
distinguished_name = dn
attributes = attrs
[dn]
CN = www.example.com
[attrs]
unstructuredName = Example Ltd
CNF
openssl req -new -key ec.key -config unstructured.cnf -out "$out/unstructured.csr"

req unknown-critical ec "$www" -addext "$san" \
	-addext '1.2.3.4=critical,ASN1:UTF8String:x'
req unknown-noncritical ec "$www" -addext "$san" \
	-addext '1.2.3.4=ASN1:UTF8String:x'

req ku-ec-keyenc ec "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyEncipherment'
req ku-ec-keyagree ec "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyAgreement'
req ku-rsa-keyagree rsa "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyAgreement'
req ku-ed25519-keyenc ed "$www" -addext "$san" \
	-addext 'keyUsage=critical,keyEncipherment'
req ku-ed25519-sign ed "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature'

req ca-requested ec "$www" -addext "$san" \
	-addext 'basicConstraints=critical,CA:TRUE'
req ca-for-ca ec '/C=GB/O=Example Ltd/CN=Example Issuing CA' \
	-addext 'basicConstraints=critical,CA:TRUE,pathlen:0' \
	-addext 'keyUsage=critical,keyCertSign,cRLSign'

# keyUsage (digitalSignature) twice
craft ext-duplicate '{"subject": [[["2.5.4.3", "utf8", "www.example.com"]]],
	"exts": [["2.5.29.15", true, "03020780"], ["2.5.29.15", true, "03020780"]]}'
craft attr-unknown '{"subject": [[["2.5.4.3", "utf8", "www.example.com"]]],
	"attrs": [["1.3.6.1.4.1.55555.7", "utf8", "hello"]]}'

req san-critical ec "$www" -addext 'subjectAltName=critical,DNS:www.example.com,IP:192.0.2.1'
req san-critical-empty ec '/' -addext 'subjectAltName=critical,DNS:www.example.com'

# X-Road signing keys: nonRepudiation
req xroad-sign ec '/C=FI/O=Example Oy/serialNumber=FI-TEST/CN=1234567-8' \
	-addext 'keyUsage=critical,nonRepudiation'
