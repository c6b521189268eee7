#!/bin/bash
# Rebuilds corpus/lint/chain/: bundles for the chain.* rules (see chain.tsv).
# A root -> intermediate -> leaf hierarchy (EC P-256), a second intermediate
# (pathLenConstraint 0) with the same name but another key, an unrelated
# root, a certificate issued by the leaf, and an issuing CA below the
# intermediate (beyond its path length); the bundles put them in good and
# bad orders.
set -euo pipefail

# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"
lint_begin chain
cd "$tmp"

{
	cnf_ext ca "$BC_CA" "$KU_CA"
	cnf_ext ca0 "$BC_CA0" "$KU_CA"
	cnf_ext leaf "$BC_EE" "$KU_DS" "$EKU_SERVER" "$SAN_WWW"
	cnf_ext sub "$BC_EE" "$KU_DS" "$EKU_CLIENT"
} > x.cnf

# cert NAME CN SECTION [ISSUER]: key NAME.key, certificate NAME.crt, signed
# by ISSUER (NAME itself when absent).
cert() {
	ec_key "$1"
	cn_csr "$1" "$2"
	if [ -z "${4:-}" ]; then
		ossl x509 -req -in "$1.csr" -key "$1.key" -days 7300 \
		    -set_serial "$(rand_serial)" -extfile x.cnf -extensions "$3" \
		    -out "$1.crt"
	else
		ossl x509 -req -in "$1.csr" -CA "$4.crt" -CAkey "$4.key" \
		    -days 3650 -set_serial "$(rand_serial)" -extfile x.cnf \
		    -extensions "$3" -out "$1.crt"
	fi
}
bundle() {
	local name=$1
	shift
	cat "$@" > "$out/$name.pem"
}

cert root "certsmith chain root" ca
cert int "certsmith chain intermediate" ca0 root
cert int2 "certsmith chain intermediate" ca root
cert leaf "www.example.com" leaf int
cert other "certsmith unrelated root" ca
cert sub "client.example.com" sub leaf
cert issuing "certsmith chain issuing CA" ca int
cert leaf3 "www3.example.com" leaf issuing

bundle good leaf.crt int.crt root.crt
bundle good-noroot leaf.crt int.crt
bundle misordered int.crt root.crt leaf.crt
bundle reversed root.crt int.crt leaf.crt
bundle swapped leaf.crt int2.crt root.crt
bundle gap leaf.crt root.crt
bundle unrelated leaf.crt int.crt root.crt other.crt
bundle duplicate leaf.crt int.crt int.crt root.crt
bundle ee-issuer sub.crt leaf.crt int.crt
bundle single leaf.crt
bundle anchors root.crt other.crt
bundle pathlen leaf3.crt issuing.crt int.crt root.crt
