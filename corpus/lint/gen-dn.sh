#!/bin/bash
# Regenerates corpus/lint/dn/ (inputs for the dn.* rules). Uses the openssl
# CLI, and python3's standard library for names openssl will not encode
# (empty values, NUL, PrintableString with '@', UniversalString...): the
# request body is built in DER and signed with `openssl dgst`.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/dn
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
cd "$tmp"

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
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
