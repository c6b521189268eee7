#!/usr/bin/env bash
# Regenerates corpus/match/: keys, CSRs and certificates that belong together
# and ones that do not, for tests/cli/match.sh. Only bash and the openssl CLI
# (written against OpenSSL 3.0). Idempotent: every run replaces every file
# it makes (keys are fresh each run, so fingerprints change).
#
#   root.*, int.*               EC P-256 root and intermediate CA
#   ALG.key ALG.csr ALG.crt     a key, its CSR (CN, dns, ip, email SANs) and
#                               the certificate int issued for that CSR
#   ALG-other.key ALG-other.crt another key of the same kind, and its cert
#   ALG-names.crt               ALG.key's key with fewer names and another CN
#   ec-compressed.crt           ec.key's key as a compressed point
#   fake-int.crt                int's name on another key (self-signed)
#   badsig.crt                  names int as issuer; signed by fake-int
#   ec-enc.key                  ec.key encrypted (password "certsmith")
set -euo pipefail

D="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
O=(openssl)
DAYS=3650
ALGS=(rsa rsa-pss ec ed25519 ed448 dsa)

cat > "$T/ca.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage         = critical, keyCertSign, cRLSign
CNF
export OPENSSL_CONF="$T/ca.cnf"

newkey() {	# ALG OUT
	case $1 in
	rsa) "${O[@]}" genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" ;;
	rsa-pss) "${O[@]}" genpkey -quiet -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$2" ;;
	ec) "${O[@]}" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
	ed25519) "${O[@]}" genpkey -quiet -algorithm ED25519 -out "$2" ;;
	ed448) "${O[@]}" genpkey -quiet -algorithm ED448 -out "$2" ;;
	dsa) "${O[@]}" genpkey -quiet -paramfile "$T/dsa.param" -out "$2" ;;
	esac
}

csr() {		# KEY CN SAN OUT
	"${O[@]}" req -new -key "$1" -subj "/O=certsmith match/CN=$2" \
	    -addext "subjectAltName=$3" -out "$4"
}

issue() {	# CSR OUT [CA-STEM]
	local ca=${3:-int}
	"${O[@]}" x509 -req -in "$1" -CA "$D/$ca.crt" -CAkey "$D/$ca.key" \
	    -CAcreateserial -CAserial "$T/serial" -days "$DAYS" \
	    -copy_extensions copy -out "$2" 2>/dev/null
}

selfsigned() {	# KEY CN OUT
	"${O[@]}" req -new -x509 -key "$1" -subj "/O=certsmith match/CN=$2" \
	    -days "$DAYS" -extensions ca -out "$3"
}

cas() {
	newkey ec "$D/root.key"
	selfsigned "$D/root.key" "Match Root" "$D/root.crt"
	newkey ec "$D/int.key"
	"${O[@]}" req -new -key "$D/int.key" -subj "/O=certsmith match/CN=Match Int" \
	    -out "$T/int.csr"
	"${O[@]}" x509 -req -in "$T/int.csr" -CA "$D/root.crt" -CAkey "$D/root.key" \
	    -CAcreateserial -CAserial "$T/serial" -days "$DAYS" -extfile "$T/ca.cnf" \
	    -extensions ca -out "$D/int.crt" 2>/dev/null
}

one_alg() {	# ALG
	local a=$1 san="DNS:$1.example,DNS:www.$1.example,IP:192.0.2.1,email:ops@$1.example"
	newkey "$a" "$D/$a.key"
	csr "$D/$a.key" "$a.example" "$san" "$D/$a.csr"
	issue "$D/$a.csr" "$D/$a.crt"
	newkey "$a" "$D/$a-other.key"
	csr "$D/$a-other.key" "$a.example" "$san" "$T/$a-other.csr"
	issue "$T/$a-other.csr" "$D/$a-other.crt"
	csr "$D/$a.key" "other.example" "DNS:$a.example" "$T/$a-names.csr"
	issue "$T/$a-names.csr" "$D/$a-names.crt"
}

specials() {
	"${O[@]}" pkey -in "$D/ec.key" -pubout -out "$T/ec.pub"
	"${O[@]}" ec -pubin -in "$T/ec.pub" -pubout -conv_form compressed \
	    -out "$T/ec-compressed.pub" 2>/dev/null
	"${O[@]}" x509 -req -in "$D/ec.csr" -CA "$D/int.crt" -CAkey "$D/int.key" \
	    -CAserial "$T/serial" -days "$DAYS" -copy_extensions copy \
	    -force_pubkey "$T/ec-compressed.pub" -out "$D/ec-compressed.crt" 2>/dev/null
	newkey ec "$D/fake-int.key"
	selfsigned "$D/fake-int.key" "Match Int" "$D/fake-int.crt"
	csr "$D/ec.key" "badsig.example" "DNS:badsig.example" "$T/badsig.csr"
	issue "$T/badsig.csr" "$D/badsig.crt" fake-int
	"${O[@]}" pkey -in "$D/ec.key" -aes256 -passout pass:certsmith \
	    -out "$D/ec-enc.key"
}

rm -f "$D"/*.key "$D"/*.csr "$D"/*.crt
"${O[@]}" genpkey -quiet -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
    -out "$T/dsa.param"
cas
for a in "${ALGS[@]}"; do
	one_alg "$a"
done
specials
