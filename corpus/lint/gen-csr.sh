#!/bin/bash
# Regenerates corpus/lint/csr/ (inputs for the csr.* rules). Uses the openssl
# CLI, and python3's standard library for requests openssl will not make
# (version 1, a duplicate extension, an unknown attribute, a broken
# signature): the request body is built in DER and signed with `openssl dgst`.
set -euo pipefail

# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"
lint_begin csr
cd "$tmp"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl genpkey -algorithm ED25519 -out ed.key
mkreq_setup

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
import sys
from asn1 import der_in, pem
der = bytearray(der_in(sys.argv[1]))
der[-1] ^= 0x01
with open(sys.argv[2], "w") as f:
    f.write(pem("CERTIFICATE REQUEST", bytes(der)))
PY

craft version-1 '{"version": 1, "subject": [[["2.5.4.3", "utf8", "www.example.com"]]]}'
craft version-0 '{"version": 0, "subject": [[["2.5.4.3", "utf8", "www.example.com"]]]}'

# attr_req NAME ATTRIBUTE...: csr/NAME.csr for CN=www.example.com with the
# given attributes (-subj would skip the attributes section)
attr_req() {
	local n=$1
	shift
	{
		printf '[req]\nprompt = no\ndistinguished_name = dn\n'
		printf 'attributes = attrs\n[dn]\nCN = www.example.com\n[attrs]\n'
		printf '%s\n' "$@"
	} >"$n.cnf"
	openssl req -new -key ec.key -config "$n.cnf" -out "$out/$n.csr"
}
attr_req challenge 'challengePassword = not-a-real-secret' \
	'unstructuredName = Example Ltd'
attr_req unstructured 'unstructuredName = Example Ltd'

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
