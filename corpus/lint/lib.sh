# shellcheck shell=bash disable=SC2034 # the constants are used by the generators
# lib.sh - helpers shared by the corpus/lint/gen-*.sh generators; each one
# sources it with `. "$(dirname "$0")/lib.sh"` after `set -euo pipefail`.
# Bash only. Nothing here runs on its own: the functions are called by the
# generators, from their scratch directory unless said otherwise.

# lint_begin FAMILY: sets `here` (corpus/lint), `out` (corpus/lint/FAMILY,
# emptied and recreated) and `tmp` (a scratch directory removed on exit).
lint_begin() {
	here=$(cd "$(dirname "$0")" && pwd)
	out=$here/$1
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	rm -rf "$out"
	mkdir -p "$out"
}

# ossl ARGS...: openssl with its chatter on stderr thrown away.
ossl() { openssl "$@" 2>/dev/null; }

# pk ARGS...: openssl genpkey, quietly.
pk() { openssl genpkey -quiet "$@"; }

# ec_key NAME: a fresh EC P-256 key in NAME.key.
ec_key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }

# cn_csr NAME CN: a request NAME.csr for /CN=CN signed with NAME.key.
cn_csr() { ossl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"; }

# rand_serial: a random positive 128-bit serial number, as 0x...
rand_serial() { echo "0x$(ossl rand -hex 16 | sed 's/^./4/')"; }

# Lines of an openssl extension section (for cnf_ext).
BC_CA='basicConstraints = critical,CA:TRUE'
BC_CA0='basicConstraints = critical,CA:TRUE,pathlen:0'
BC_EE='basicConstraints = critical,CA:FALSE'
KU_CA='keyUsage = critical,keyCertSign,cRLSign'
KU_DS='keyUsage = critical,digitalSignature'
EKU_SERVER='extendedKeyUsage = serverAuth'
EKU_CLIENT='extendedKeyUsage = clientAuth'
SAN_WWW='subjectAltName = DNS:www.example.com'
SKI='subjectKeyIdentifier = hash'
AKI='authorityKeyIdentifier = keyid'

# cnf_ext NAME LINE...: prints the section [NAME] with the given lines, then
# $SKI and $AKI unless a line already sets that extension. The word -noaki
# (not printed) leaves out the default authorityKeyIdentifier.
cnf_ext() {
	local name=$1 l ski=$SKI aki=$AKI
	shift
	printf '[%s]\n' "$name"
	for l; do
		case $l in
		-noaki) aki= ; continue ;;
		subjectKeyIdentifier*) ski= ;;
		authorityKeyIdentifier*) aki= ;;
		esac
		printf '%s\n' "$l"
	done
	if [ -n "$ski" ]; then printf '%s\n' "$ski"; fi
	if [ -n "$aki" ]; then printf '%s\n' "$aki"; fi
}

# write_asn1_py DIR: DIR/asn1.py, the DER helpers the generators' python
# tools import (they run from DIR, so `from asn1 import ...` finds it).
write_asn1_py() {
	cat >"$1/asn1.py" <<'PY'
# asn1.py: just enough DER to build and take apart certificates, requests
# and keys.
import base64

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        hdr = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        hdr = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + hdr + body

def oid(dotted):
    a = [int(x) for x in dotted.split(".")]
    body = bytes([40 * a[0] + a[1]])
    for v in a[2:]:
        enc = [v & 0x7f]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7f))
            v >>= 7
        body += bytes(reversed(enc))
    return tlv(0x06, body)

def read_tlv(b, i):
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7f
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, b[i:i + n], i + n

def children(body):
    out, i = [], 0
    while i < len(body):
        start = i
        _, _, i = read_tlv(body, i)
        out.append(body[start:i])
    return out

def pem(label, der):
    b = base64.b64encode(der).decode()
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (
        label, "\n".join(lines), label)

def der_in(path):
    data = open(path, "rb").read()
    if data.startswith(b"-----"):
        lines = data.decode().splitlines()
        data = base64.b64decode("".join(l for l in lines if not l.startswith("-----")))
    return data
PY
}

# write_mkreq_py DIR: DIR/mkreq.py (and asn1.py), which builds PKCS#10
# requests openssl will not make:
#   mkreq.py SPKI KEY SPEC OUT: a request from a JSON spec
#   {"version": 0, "subject": [[[oid, type, text], ...], ...],
#    "attrs": [[oid, type, text], ...], "exts": [[oid, critical, hexvalue], ...]}
# signed with ECDSA-SHA256 by KEY (openssl dgst), written as PEM.
write_mkreq_py() {
	write_asn1_py "$1"
	cat >"$1/mkreq.py" <<'PY'
import json, subprocess, sys
from asn1 import tlv, oid, pem

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
with open(sys.argv[4], "w") as f:
    f.write(pem("CERTIFICATE REQUEST", der))
PY
}

# mkreq_setup: in the current directory, an EC key ec.key, its DER SPKI
# ec.spki, and mkreq.py for craft.
mkreq_setup() {
	ec_key ec
	openssl pkey -in ec.key -pubout -outform DER -out ec.spki
	write_mkreq_py .
}

# craft NAME 'JSON': a request for $out/NAME.csr from a spec (see
# write_mkreq_py), for ec.spki and signed with ec.key.
craft() {
	printf '%s' "$2" >spec.json
	python3 mkreq.py ec.spki ec.key spec.json "$out/$1.csr"
}
