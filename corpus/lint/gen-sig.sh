#!/usr/bin/env bash
# Regenerates corpus/lint/sig/: inputs for the sig.* rules (see sig.tsv).
# Uses only the openssl CLI and python3's standard library; odd signatures
# (wrong outer algorithm, unknown OID, broken self-signature) are made by
# editing the DER of properly signed objects.
set -euo pipefail
# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"

lint_begin sig
D=$out
T=$tmp

write_asn1_py "$T"
cat > "$T/sigtool.py" <<'PY'
import sys
from asn1 import tlv, oid, read_tlv, children, pem, der_in

def alg(dotted, params):
    p = {"null": b"\x05\x00", "absent": b""}[params]
    return tlv(0x30, oid(dotted) + p)

def pem_out(path, label, der):
    with open(path, "w") as f:
        f.write(pem(label, der))

def main():
    cmd, src, dst, label = sys.argv[1:5]
    tag, body, _ = read_tlv(der_in(src), 0)
    parts = children(body)
    if cmd == "outer-alg":		# OID null|absent
        parts[1] = alg(sys.argv[5], sys.argv[6])
    elif cmd == "both-algs":		# OID null|absent: inner and outer
        parts[1] = alg(sys.argv[5], sys.argv[6])
        ttag, tbody, _ = read_tlv(parts[0], 0)
        tparts = children(tbody)
        k = 2 if tparts[0][0] == 0xa0 else 1
        tparts[k] = parts[1]
        parts[0] = tlv(ttag, b"".join(tparts))
    elif cmd == "flip-sig":
        parts[2] = parts[2][:-1] + bytes([parts[2][-1] ^ 1])
    pem_out(dst, label, tlv(tag, b"".join(parts)))

main()
PY

cd "$D"
export OPENSSL_CONF=/dev/null
cat > "$T/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:sig.example.com
EOF
tool() { python3 "$T/sigtool.py" "$@"; }
SHA256RSA=1.2.840.113549.1.1.11
SHA384RSA=1.2.840.113549.1.1.12
ECDSA256=1.2.840.10045.4.3.2

pk -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/root.key"
openssl req -new -x509 -key "$T/root.key" -subj "/CN=Sig Test Root" \
    -days 3650 -sha256 -extensions ca -config "$T/ext.cnf" -out root.crt
tool flip-sig root.crt root-bad-signature.crt CERTIFICATE

pk -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/leaf.key"
openssl req -new -key "$T/leaf.key" -subj "/CN=sig.example.com" -sha256 \
    -out rsa-sha256.csr
openssl req -new -key "$T/leaf.key" -subj "/CN=sig.example.com" -sha1 \
    -out rsa-sha1.csr
openssl x509 -req -in rsa-sha256.csr -CA root.crt -CAkey "$T/root.key" \
    -set_serial 0x1001 -days 365 -sha256 -extfile "$T/ext.cnf" \
    -extensions leaf -out leaf.crt 2>/dev/null
openssl x509 -req -in rsa-sha256.csr -CA root.crt -CAkey "$T/root.key" \
    -set_serial 0x1002 -days 365 -sha256 -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:digest -extfile "$T/ext.cnf" -extensions leaf \
    -out leaf-pss.crt 2>/dev/null
tool outer-alg leaf.crt leaf-outer-alg-mismatch.crt CERTIFICATE "$SHA384RSA" null
tool outer-alg rsa-sha256.csr rsa-as-ecdsa.csr "CERTIFICATE REQUEST" "$ECDSA256" absent
tool outer-alg rsa-sha256.csr rsa-unknown-alg.csr "CERTIFICATE REQUEST" \
    1.3.6.1.4.1.55555.2.1 absent
tool outer-alg rsa-sha256.csr rsa-params-absent.csr "CERTIFICATE REQUEST" "$SHA256RSA" absent
tool both-algs root.crt root-as-ecdsa.crt CERTIFICATE "$ECDSA256" absent

pss() {
	openssl req -new -key "$T/leaf.key" -subj "/CN=sig.example.com" \
	    -sha256 -sigopt rsa_padding_mode:pss "$@"
}
pss -sigopt rsa_pss_saltlen:32 -out pss-sha256-salt32.csr
pss -sigopt rsa_pss_saltlen:20 -out pss-sha256-salt20.csr
pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha1 -out pss-mgf1-sha1.csr
tool outer-alg pss-sha256-salt32.csr pss-no-params.csr "CERTIFICATE REQUEST" \
    1.2.840.113549.1.1.10 absent

pk -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.key"
openssl req -new -key "$T/ec.key" -subj "/CN=sig.example.com" -sha256 \
    -out ec-sha256.csr
openssl req -new -x509 -key "$T/ec.key" -subj "/CN=EC Self Signed" \
    -days 365 -sha256 -extensions ca -config "$T/ext.cnf" -out ec-root.crt
tool outer-alg ec-sha256.csr ec-params-null.csr "CERTIFICATE REQUEST" "$ECDSA256" null
pk -algorithm ED25519 -out "$T/ed.key"
openssl req -new -key "$T/ed.key" -subj "/CN=sig.example.com" -out ed25519.csr
