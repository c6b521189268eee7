#!/bin/bash
# Regenerates corpus/fix/ (inputs for `certsmith fix` and tests/cli/fix.sh):
# requests with their private keys (NAME.csr beside NAME.key, so `certsmith
# scan` pairs them), each with problems whose findings carry a fix; a
# certificate for --from-cert; openssl.cnf files for --config. Uses the
# openssl CLI, and python3's standard library for requests openssl will not
# make (upper-case or padded DNS names, an empty O, a UTF8String C).
# The encrypted key uses the corpus password, `certsmith`.
set -euo pipefail

# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/../lint/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
out=$here
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Only what this script makes is replaced: the script and README stay.
rm -f "$out"/*.csr "$out"/*.der "$out"/*.key "$out"/*.crt "$out"/*.cnf
cd "$tmp"
write_mkreq_py .
# Isolate from the system openssl.cnf (its [req] would add to the requests).
printf '[req]\ndistinguished_name = dn\n[dn]\n' >empty.cnf
export OPENSSL_CONF=$tmp/empty.cnf

www='/C=GB/O=Example Ltd/CN=www.example.com'
san='subjectAltName=DNS:www.example.com'

# key NAME ALG: $out/NAME.key, a fresh key (ec, rsa, rsa1024, ed25519,
# rsa-pss).
key() {
	case $2 in
	ec) pk -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/$1.key" ;;
	rsa) pk -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/$1.key" ;;
	rsa1024) pk -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$out/$1.key" ;;
	rsa-pss) pk -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$out/$1.key" ;;
	ed25519) pk -algorithm ED25519 -out "$out/$1.key" ;;
	esac
}

# req NAME ALG SUBJECT [openssl req options...]: NAME.key and NAME.csr
req() {
	local n=$1 a=$2 s=$3
	shift 3
	key "$n" "$a"
	openssl req -new -key "$out/$n.key" -subj "$s" "$@" -out "$out/$n.csr"
}

# crafted NAME 'JSON': NAME.key (EC) and NAME.csr from a mkreq.py spec
crafted() {
	key "$1" ec
	openssl pkey -in "$out/$1.key" -pubout -outform DER -out "$1.spki"
	printf '%s' "$2" >"$1.json"
	python3 mkreq.py "$1.spki" "$out/$1.key" "$1.json" "$out/$1.csr"
}

# attr_req NAME ALG ATTRIBUTE...: a request for CN=www.example.com with a
# SAN and the given attributes (-subj would skip the attributes section)
attr_req() {
	local n=$1 a=$2
	shift 2
	{
		printf '[req]\nprompt = no\ndistinguished_name = dn\n'
		printf 'attributes = attrs\nreq_extensions = ext\n'
		printf '[dn]\nC = GB\nO = Example Ltd\nCN = www.example.com\n'
		printf '[ext]\n%s\n[attrs]\n' "$san"
		printf '%s\n' "$@"
	} >"$n.cnf"
	key "$n" "$a"
	openssl req -new -key "$out/$n.key" -config "$n.cnf" -out "$out/$n.csr"
}

# Weak digests (MD5 is still allowed by req in OpenSSL 3's default provider).
req sha1 rsa "$www" -sha1 -addext "$san"
req md5 rsa "$www" -md5 -addext "$san"

attr_req challenge ec 'challengePassword = not-a-real-secret' \
	'unstructuredName = Example Unit 7'

req placeholder ec '/C=AU/ST=Some-State/O=Internet Widgits Pty Ltd/OU=Web/CN=www.example.com' \
	-addext "$san"
req cn-not-in-san ec "$www" -addext 'subjectAltName=DNS:api.example.com'
req no-san ec "$www"
req dup-san ec "$www" -addext 'subjectAltName=DNS:www.example.com,DNS:www.example.com,DNS:api.example.com'
req ip-as-dns ec "$www" -addext 'subjectAltName=DNS:www.example.com,DNS:192.0.2.10'
req ku-ec-keyenc ec "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyEncipherment' \
	-addext 'extendedKeyUsage=serverAuth'
req ca-requested ec "$www" -addext "$san" \
	-addext 'basicConstraints=critical,CA:TRUE' \
	-addext 'extendedKeyUsage=serverAuth'
req unknown-critical ec "$www" -addext "$san" \
	-addext '1.2.3.4=critical,ASN1:UTF8String:x' \
	-addext 'extendedKeyUsage=serverAuth'
req country-lower ec '/C=gb/O=Example Ltd/CN=www.example.com' -addext "$san"
req ed25519 ed25519 "$www" -addext "$san" -addext 'keyUsage=critical,keyEncipherment'
req rsa-pss rsa-pss "$www" -addext 'subjectAltName=DNS:WWW.example.com'
req rsa1024 rsa1024 "$www" -addext "$san"

# SAN extensions in hex: DNS names (context tag 2) upper case and padded.
# 30 LEN { 82 0f "WWW.Example.COM", 82 11 " api.example.com " }
crafted dns-case '{"subject": [[["2.5.4.6", "printable", "GB"]],
	[["2.5.4.10", "utf8", "Example Ltd"]], [["2.5.4.3", "utf8", "WWW.Example.COM"]]],
	"exts": [["2.5.29.17", false, "3024820f5757572e4578616d706c652e434f4d8211206170692e6578616d706c652e636f6d20"]]}'
# O present with an empty value; C as a UTF8String
crafted empty-o '{"subject": [[["2.5.4.6", "printable", "GB"]],
	[["2.5.4.10", "utf8", ""]], [["2.5.4.3", "utf8", "www.example.com"]]],
	"exts": [["2.5.29.17", false, "3011820f7777772e6578616d706c652e636f6d"]]}'
crafted country-utf8 '{"subject": [[["2.5.4.6", "utf8", "GB"]],
	[["2.5.4.10", "utf8", "Example Ltd"]], [["2.5.4.3", "utf8", "www.example.com"]]],
	"exts": [["2.5.29.17", false, "3011820f7777772e6578616d706c652e636f6d"]]}'

# DER request (SHA-1, no SAN)
key der rsa
openssl req -new -key "$out/der.key" -subj "$www" -sha1 -outform DER -out "$out/der.der"

# An encrypted key (password: certsmith) with a challengePassword request
key enc ec
openssl req -new -key "$out/enc.key" -subj "$www" -addext "$san" \
	-addext 'keyUsage=critical,digitalSignature,keyEncipherment' -out "$out/enc.csr"
openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$out/enc.key" -passout pass:certsmith \
	-out enc.p8
mv enc.p8 "$out/enc.key"

# A certificate to renew: self-signed, with issuer-side extensions that a
# renewal request must not carry.
key renew ec
openssl req -x509 -new -key "$out/renew.key" -days 3650 -set_serial 0x1234 \
	-subj '/C=GB/O=Example Ltd/OU=Web/CN=renew.example.com' \
	-addext 'subjectAltName=DNS:renew.example.com,DNS:www.renew.example.com,IP:192.0.2.7' \
	-addext 'basicConstraints=critical,CA:FALSE' \
	-addext 'keyUsage=critical,digitalSignature' \
	-addext 'extendedKeyUsage=serverAuth' \
	-addext 'authorityKeyIdentifier=keyid:always' -out "$out/renew.crt"

# openssl.cnf files for --config
cat >"$out/noprompt.cnf" <<'CNF'
[req]
prompt = no
distinguished_name = dn
req_extensions = v3_req
default_md = sha256
default_bits = 2048
[dn]
C = DE
O = Example GmbH
CN = www.example.de
[v3_req]
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = @alt_names
[alt_names]
DNS.1 = www.example.de
DNS.2 = example.de
IP.1 = 192.0.2.20
CNF
cat >"$out/prompt.cnf" <<'CNF'
[req]
distinguished_name = dn
req_extensions = v3_req
[dn]
countryName = Country Name (2 letter code)
countryName_default = FR
countryName_min = 2
countryName_max = 2
organizationName = Organization Name
organizationName_default = Exemple SA
commonName = Common Name
commonName_default = www.example.fr
[v3_req]
subjectAltName = DNS:www.example.fr, DNS:api.example.fr
CNF
# An X-Road security server's AUTH request made with the server code as
# the CN and the country in lower case: fix --profile x-road-auth --host
# FQDN puts the server's name in the CN (and the SANs) and adds the
# digitalSignature keyUsage the profile requires.
req xroad-auth rsa '/C=ee/O=Example OU/CN=SS1'

cat >"$out/unsupported.cnf" <<'CNF'
[req]
prompt = no
distinguished_name = dn
copy_extensions = copyall
[dn]
CN = www.example.com
CNF
cat >"$out/syntax.cnf" <<'CNF'
[req]
prompt = no
distinguished_name = dn
[dn
CN = www.example.com
CNF

chmod 0600 "$out"/*.key
for f in "$out"/*.csr; do
	openssl req -in "$f" -noout -verify 2>/dev/null
done
openssl req -in "$out/der.der" -inform DER -noout -verify 2>/dev/null
