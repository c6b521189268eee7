#!/usr/bin/env bash
# Regenerates the certsmith test corpus:
#   corpus/good/  corpus/bad/  corpus/manifest.tsv  corpus/bad.tsv
# Uses only the openssl CLI (written against OpenSSL 3.0), coreutils, sed, awk.
# Every fact in the manifests is computed with the openssl CLI at generation time.
# Keys are freshly generated on every run, so hashes change between runs.
set -euo pipefail

CORPUS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
G="$CORPUS/good"
B="$CORPUS/bad"
PASS=certsmith
DAYS=3650

T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

die() { echo "generate.sh: $*" >&2; exit 1; }

# Isolate from the system openssl.cnf; our own config drives req/x509.
CNF="$T/openssl.cnf"
cat > "$CNF" <<'EOF'
[req]
distinguished_name = dn
[dn]

[v3_root]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[v3_int]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[leaf_rsa]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth, clientAuth
subjectAltName         = $ENV::CS_SAN
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[leaf_sig]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth, clientAuth, emailProtection
subjectAltName         = $ENV::CS_SAN
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[leaf_kex]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, keyAgreement
extendedKeyUsage       = clientAuth
subjectAltName         = $ENV::CS_SAN
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
EOF
export OPENSSL_CONF="$CNF"
export CS_SAN="DNS:placeholder.example.test"

rm -rf "$G" "$B"
mkdir -p "$G" "$B"

O=(openssl)

###########################################################################
# Keys
###########################################################################
echo "== keys" >&2
for b in 1024 2048 3072 4096; do
  "${O[@]}" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$b -out "$G/rsa$b.key" 2>/dev/null
  "${O[@]}" pkey -in "$G/rsa$b.key" -traditional -out "$G/rsa$b-trad.key"
done
# NB: in 3.0 "pkey -outform DER" writes the traditional form, so use pkcs8 / rsa / ec.
"${O[@]}" pkcs8 -topk8 -nocrypt -in "$G/rsa2048.key" -outform DER -out "$G/rsa2048-p8.der"
"${O[@]}" rsa -in "$G/rsa2048.key" -traditional -outform DER -out "$G/rsa2048-trad.der" 2>/dev/null

for c in P-256:ec-p256 P-384:ec-p384 P-521:ec-p521 secp256k1:ec-secp256k1; do
  curve=${c%%:*}; n=${c#*:}
  "${O[@]}" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve \
      -pkeyopt ec_param_enc:named_curve -out "$G/$n.key"
  "${O[@]}" pkey -in "$G/$n.key" -traditional -out "$G/$n-trad.key"
done
"${O[@]}" pkcs8 -topk8 -nocrypt -in "$G/ec-p256.key" -outform DER -out "$G/ec-p256-p8.der"
"${O[@]}" ec -in "$G/ec-p256.key" -outform DER -out "$G/ec-p256-sec1.der" 2>/dev/null

# ecparam -genkey output: an "EC PARAMETERS" block followed by "EC PRIVATE KEY".
"${O[@]}" ecparam -name prime256v1 -genkey -out "$G/ec-p256-ecparam.key"
# Explicit parameters (also starts with an explicit EC PARAMETERS block).
"${O[@]}" ecparam -name prime256v1 -param_enc explicit -genkey -out "$G/ec-explicit-ecparam.key"
"${O[@]}" pkey -in "$G/ec-explicit-ecparam.key" -out "$G/ec-explicit.key"
"${O[@]}" pkey -in "$G/ec-explicit-ecparam.key" -traditional -out "$G/ec-explicit-trad.key"

"${O[@]}" genpkey -algorithm ED25519 -out "$G/ed25519.key"
"${O[@]}" pkcs8 -topk8 -nocrypt -in "$G/ed25519.key" -outform DER -out "$G/ed25519-p8.der"
"${O[@]}" genpkey -algorithm ED448 -out "$G/ed448.key"
"${O[@]}" genpkey -algorithm X25519 -out "$G/x25519.key"
"${O[@]}" genpkey -algorithm X448 -out "$G/x448.key"

"${O[@]}" genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
    -pkeyopt dsa_paramgen_q_bits:256 -out "$T/dsa.param" 2>/dev/null
"${O[@]}" genpkey -paramfile "$T/dsa.param" -out "$G/dsa2048.key"
"${O[@]}" pkey -in "$G/dsa2048.key" -traditional -out "$G/dsa2048-trad.key"

"${O[@]}" genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$G/rsa-pss.key" 2>/dev/null
# (RSA-PSS has no traditional PEM form: "unsupported public key type".)

###########################################################################
# Public keys
###########################################################################
echo "== public keys" >&2
"${O[@]}" pkey -in "$G/rsa2048.key" -pubout -out "$G/rsa2048.pub"
"${O[@]}" pkey -in "$G/rsa2048.key" -pubout -outform DER -out "$G/rsa2048-pub.der"
"${O[@]}" pkey -in "$G/ec-p256.key" -pubout -out "$G/ec-p256.pub"
"${O[@]}" pkey -in "$G/ec-p256.key" -pubout -outform DER -out "$G/ec-p256-pub.der"
"${O[@]}" pkey -in "$G/ed25519.key" -pubout -out "$G/ed25519.pub"
"${O[@]}" pkey -in "$G/ed25519.key" -pubout -outform DER -out "$G/ed25519-pub.der"
"${O[@]}" rsa -in "$G/rsa2048.key" -RSAPublicKey_out -out "$G/rsa2048-pkcs1.pub" 2>/dev/null
"${O[@]}" rsa -in "$G/rsa2048.key" -RSAPublicKey_out -outform DER -out "$G/rsa2048-pkcs1-pub.der" 2>/dev/null
"${O[@]}" pkey -in "$G/x25519.key" -pubout -out "$T/x25519.pub"
"${O[@]}" pkey -in "$G/x448.key" -pubout -out "$T/x448.pub"

###########################################################################
# Encrypted keys (password: certsmith)
###########################################################################
echo "== encrypted keys" >&2
for n in rsa2048 ec-p256; do
  "${O[@]}" pkcs8 -topk8 -v2 aes-256-cbc -in "$G/$n.key" -passout pass:$PASS -out "$G/$n-enc-p8.key"
  "${O[@]}" pkcs8 -topk8 -v2 aes-256-cbc -in "$G/$n.key" -passout pass:$PASS -outform DER -out "$G/$n-enc-p8.der"
done
"${O[@]}" rsa -in "$G/rsa2048.key" -des3 -traditional -passout pass:$PASS -out "$G/rsa2048-enc-trad.key" 2>/dev/null
"${O[@]}" ec -in "$G/ec-p256.key" -des3 -passout pass:$PASS -out "$G/ec-p256-enc-trad.key" 2>/dev/null

###########################################################################
# Certificates and CSRs
###########################################################################
echo "== certificates" >&2
SUBJ_O="/O=Certsmith Test/OU=Corpus"
"${O[@]}" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$G/root-ca.key" 2>/dev/null
"${O[@]}" req -x509 -new -key "$G/root-ca.key" -sha256 -days $DAYS -set_serial 0x1001 \
    -subj "$SUBJ_O/CN=Certsmith Test Root CA" -config "$CNF" -extensions v3_root \
    -out "$G/root-ca.crt"
"${O[@]}" x509 -in "$G/root-ca.crt" -outform DER -out "$G/root-ca.der"

"${O[@]}" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$G/int-ca.key"
"${O[@]}" req -new -key "$G/int-ca.key" -subj "$SUBJ_O/CN=Certsmith Test Intermediate CA" \
    -config "$CNF" -out "$T/int-ca.csr"
"${O[@]}" x509 -req -in "$T/int-ca.csr" -CA "$G/root-ca.crt" -CAkey "$G/root-ca.key" -sha256 \
    -days $DAYS -set_serial 0x2001 -extfile "$CNF" -extensions v3_int -out "$G/int-ca.crt" 2>/dev/null

serial=0x3000
# sign_leaf NAME KEYFILE EXTSECTION SAN [CSR-OUT]
sign_leaf() {
  local name=$1 key=$2 ext=$3 san=$4 csr=${5:-$T/$1.csr}
  serial=$((serial + 1))
  "${O[@]}" req -new -key "$key" -subj "$SUBJ_O/CN=$name.example.test" -config "$CNF" -out "$csr"
  CS_SAN="$san" "${O[@]}" x509 -req -in "$csr" -CA "$G/int-ca.crt" -CAkey "$G/int-ca.key" \
      -days $DAYS -set_serial $serial -extfile "$CNF" -extensions "$ext" \
      -out "$G/leaf-$name.crt" 2>/dev/null
}
san() { echo "DNS:$1.example.test,DNS:www.$1.example.test,IP:192.0.2.${2},email:admin@$1.example.test"; }

CS_SAN_RSA="$(san rsa2048 10)"
# CSR for rsa2048 carries SANs itself.
"${O[@]}" req -new -key "$G/rsa2048.key" -subj "$SUBJ_O/CN=rsa2048.example.test" -config "$CNF" \
    -addext "subjectAltName=$CS_SAN_RSA" -out "$G/csr-rsa2048-san.csr"
serial=$((serial + 1))
CS_SAN="$CS_SAN_RSA" "${O[@]}" x509 -req -in "$G/csr-rsa2048-san.csr" -CA "$G/int-ca.crt" \
    -CAkey "$G/int-ca.key" -days $DAYS -set_serial $serial -extfile "$CNF" -extensions leaf_rsa \
    -out "$G/leaf-rsa2048.crt" 2>/dev/null
"${O[@]}" req -in "$G/csr-rsa2048-san.csr" -outform DER -out "$G/csr-rsa2048-san.der"

sign_leaf ec-p256       "$G/ec-p256.key"       leaf_sig "$(san ec-p256 11)"       "$G/csr-ec-p256.csr"
sign_leaf ed25519       "$G/ed25519.key"       leaf_sig "$(san ed25519 12)"       "$G/csr-ed25519.csr"
sign_leaf ed448         "$G/ed448.key"         leaf_sig "$(san ed448 13)"         "$G/csr-ed448.csr"
sign_leaf dsa2048       "$G/dsa2048.key"       leaf_sig "$(san dsa2048 14)"       "$G/csr-dsa2048.csr"
sign_leaf rsa-pss       "$G/rsa-pss.key"       leaf_rsa "$(san rsa-pss 15)"       "$G/csr-rsa-pss.csr"
sign_leaf ec-explicit   "$G/ec-explicit.key"   leaf_sig "$(san ec-explicit 16)"
sign_leaf ec-secp256k1  "$G/ec-secp256k1.key"  leaf_sig "$(san ec-secp256k1 17)"
"${O[@]}" req -in "$G/csr-ec-p256.csr" -outform DER -out "$G/csr-ec-p256.der"

# X25519 / X448: CSR made (and self-signed) by a throwaway Ed25519 key, public key forced.
"${O[@]}" genpkey -algorithm ED25519 -out "$T/throwaway.key"
for x in x25519:18 x448:19; do
  n=${x%%:*}; ip=${x#*:}
  serial=$((serial + 1))
  "${O[@]}" req -new -key "$T/throwaway.key" -subj "$SUBJ_O/CN=$n.example.test" -config "$CNF" -out "$T/$n.csr"
  CS_SAN="$(san $n $ip)" "${O[@]}" x509 -req -in "$T/$n.csr" -CA "$G/int-ca.crt" -CAkey "$G/int-ca.key" \
      -days $DAYS -set_serial $serial -force_pubkey "$T/$n.pub" -extfile "$CNF" -extensions leaf_kex \
      -out "$G/leaf-$n.crt" 2>/dev/null
done

for n in rsa2048 ec-p256 ed25519; do
  "${O[@]}" x509 -in "$G/leaf-$n.crt" -outform DER -out "$G/leaf-$n.der"
done

# CSRs that are not used for leafs.
"${O[@]}" req -new -key "$G/rsa1024.key" -subj "$SUBJ_O/CN=rsa1024.example.test" -config "$CNF" \
    -out "$G/csr-rsa1024.csr"
sed -e 's/CERTIFICATE REQUEST-----$/NEW &/' "$G/csr-ec-p256.csr" > "$G/csr-new-label.csr"
grep -q '^-----BEGIN NEW CERTIFICATE REQUEST-----$' "$G/csr-new-label.csr" || die "relabel failed"

# v1 certificate: x509 -req without -extfile yields version 1 in OpenSSL 3.0.
"${O[@]}" x509 -req -in "$G/csr-rsa1024.csr" -CA "$G/root-ca.crt" -CAkey "$G/root-ca.key" -sha256 \
    -days $DAYS -set_serial 0x4001 -out "$G/v1-rsa1024.crt" 2>/dev/null
"${O[@]}" x509 -in "$G/v1-rsa1024.crt" -noout -text | grep -q 'Version: 1 (0x0)' || die "v1 cert is not v1"

# TRUSTED CERTIFICATE
"${O[@]}" x509 -in "$G/root-ca.crt" -trustout -addtrust serverAuth -out "$G/root-ca-trusted.crt"
grep -q '^-----BEGIN TRUSTED CERTIFICATE-----$' "$G/root-ca-trusted.crt" || die "no TRUSTED CERTIFICATE"

###########################################################################
# Bundles
###########################################################################
echo "== bundles" >&2
cat "$G/leaf-rsa2048.crt" "$G/int-ca.crt" "$G/root-ca.crt" > "$G/chain.pem"
{
  echo "# certsmith test bundle: PEM blocks with text between them"
  echo "# (the style of ca-certificates bundles and 'openssl x509 -subject -issuer' output)"
  echo
  for c in leaf-ec-p256 int-ca root-ca; do
    echo "Certificate: $c"
    "${O[@]}" x509 -in "$G/$c.crt" -subject -issuer
    echo "Some free text after the block; it is not base64 and must be skipped."
    echo
  done
} > "$G/chain-text.pem"
# CRLF line endings and trailing blanks on every line (openssl accepts both).
sed -e 's/$/ \t /' -e 's/$/\r/' "$G/chain.pem" > "$G/chain-crlf.pem"
cat "$G/ec-p256.key" "$G/leaf-ec-p256.crt" > "$G/key-and-cert.pem"

###########################################################################
# PKCS#7
###########################################################################
echo "== pkcs7" >&2
"${O[@]}" crl2pkcs7 -nocrl -certfile "$G/chain.pem" -out "$G/chain.p7b"
"${O[@]}" crl2pkcs7 -nocrl -certfile "$G/chain.pem" -outform DER -out "$G/chain.p7c"

###########################################################################
# PKCS#12
###########################################################################
echo "== pkcs12" >&2
cat "$G/int-ca.crt" "$G/root-ca.crt" > "$T/cas.pem"
"${O[@]}" pkcs12 -export -inkey "$G/rsa2048.key" -in "$G/leaf-rsa2048.crt" -certfile "$T/cas.pem" \
    -name "rsa2048 leaf" -passout pass:$PASS -out "$G/leaf-rsa2048.p12"
"${O[@]}" pkcs12 -export -inkey "$G/ec-p256.key" -in "$G/leaf-ec-p256.crt" -certfile "$T/cas.pem" \
    -name "ec-p256 leaf" -passout pass: -out "$G/leaf-ec-p256-emptypass.p12"
"${O[@]}" pkcs12 -export -inkey "$G/ed25519.key" -in "$G/leaf-ed25519.crt" -certfile "$T/cas.pem" \
    -name "ed25519 leaf" -keypbe NONE -certpbe NONE -nomac -passout pass: -out "$G/leaf-ed25519-noenc.p12"
# what OpenSSL 1.x and many Windows exports write: RC2-40 certificates, 3DES key
"${O[@]}" pkcs12 -export -legacy -inkey "$G/rsa2048.key" -in "$G/leaf-rsa2048.crt" -certfile "$T/cas.pem" \
    -name "rsa2048 leaf legacy" -passout pass:$PASS -out "$G/leaf-rsa2048-legacy.p12"

###########################################################################
# Unknown public-key algorithm (built with asn1parse -genconf)
###########################################################################
echo "== unknown algorithm" >&2
UNK_OID=1.3.6.1.4.1.55555.1.1
UNK_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
cat > "$T/unk-spki.cnf" <<EOF
asn1 = SEQUENCE:spki
[spki]
alg = SEQUENCE:unk_alg
key = FORMAT:HEX,BITSTRING:$UNK_KEY
[unk_alg]
oid = OID:$UNK_OID
EOF
"${O[@]}" asn1parse -genconf "$T/unk-spki.cnf" -noout -out "$G/unknown-alg-pub.der"
{ echo "-----BEGIN PUBLIC KEY-----"; "${O[@]}" base64 -in "$G/unknown-alg-pub.der"; echo "-----END PUBLIC KEY-----"; } \
    > "$G/unknown-alg.pub"

SIG=$(head -c 64 /dev/zero | "${O[@]}" enc -aes-128-ctr -K 0f0e0d0c0b0a09080706050403020100 \
      -iv 00000000000000000000000000000000 -nosalt | od -An -tx1 -v | tr -d ' \n')
cat > "$T/unk-cert.cnf" <<EOF
asn1 = SEQUENCE:cert
[cert]
tbs    = SEQUENCE:tbs
sigalg = SEQUENCE:sigalg
sig    = FORMAT:HEX,BITSTRING:$SIG
[tbs]
version  = EXPLICIT:0,INTEGER:2
serial   = INTEGER:0x5001
sigalg   = SEQUENCE:sigalg
issuer   = SEQUENCE:issuer
validity = SEQUENCE:validity
subject  = SEQUENCE:subject
spki     = SEQUENCE:spki
exts     = EXPLICIT:3,SEQUENCE:exts
[sigalg]
oid  = OID:sha256WithRSAEncryption
null = NULL
[issuer]
o  = SET:issuer_o
cn = SET:issuer_cn
[issuer_o]
a = SEQUENCE:attr_o
[issuer_cn]
a = SEQUENCE:attr_issuer_cn
[subject]
o  = SET:issuer_o
cn = SET:subject_cn
[subject_cn]
a = SEQUENCE:attr_subject_cn
[attr_o]
oid = OID:organizationName
val = UTF8:Certsmith Test
[attr_issuer_cn]
oid = OID:commonName
val = UTF8:Certsmith Test Bogus CA
[attr_subject_cn]
oid = OID:commonName
val = UTF8:unknown-alg.example.test
[validity]
nb = UTCTIME:250101000000Z
na = UTCTIME:350101000000Z
[spki]
alg = SEQUENCE:unk_alg
key = FORMAT:HEX,BITSTRING:$UNK_KEY
[unk_alg]
oid = OID:$UNK_OID
[exts]
san = SEQUENCE:ext_san
[ext_san]
oid = OID:subjectAltName
val = OCTWRAP,SEQUENCE:san
[san]
dns = IMPLICIT:2,IA5STRING:unknown-alg.example.test
EOF
"${O[@]}" asn1parse -genconf "$T/unk-cert.cnf" -noout -out "$G/unknown-alg-crt.der"
{ echo "-----BEGIN CERTIFICATE-----"; "${O[@]}" base64 -in "$G/unknown-alg-crt.der"; echo "-----END CERTIFICATE-----"; } \
    > "$G/unknown-alg.crt"
"${O[@]}" x509 -inform DER -in "$G/unknown-alg-crt.der" -noout -subject >/dev/null \
    || die "openssl x509 cannot decode the unknown-algorithm certificate"

###########################################################################
# Manifest
###########################################################################
echo "== manifest.tsv" >&2
M="$CORPUS/manifest.tsv"
{
  echo "# certsmith corpus manifest, generated by corpus/generate.sh with $(openssl version | cut -d' ' -f1-2)."
  echo "# One row per object; index = 0-based position among the objects of the file."
  echo "# PKCS#12 rows list the private key first, then the certificates in the order"
  echo "# 'openssl pkcs12 -info -nokeys' shows them; tests may compare PKCS#12 objects as a set."
  echo "# bits for ed25519/ed448/x25519/x448 are EVP_PKEY_get_bits constants (256/456/253/448);"
  echo "# the openssl CLI does not print them."
  printf 'path\tindex\tkind\talgorithm\tbits\tcurve\tspki_sha256\tcontainer\tpassin\n'
} > "$M"

# spki_from_cert_der CERT.DER OUT.DER: cut the SubjectPublicKeyInfo out of the TBSCertificate
# using asn1parse offsets (works for any key algorithm).
spki_from_cert_der() {
  local line off hl len
  line=$("${O[@]}" asn1parse -inform DER -in "$1" | awk '
      /:d=2 / { n++; if (n == 1 && $0 !~ /cont \[ 0 \]/) n++; if (n == 7) { print; exit } }')
  [ -n "$line" ] || return 1
  off=$(echo "$line" | sed -E 's/^ *([0-9]+):.*/\1/')
  hl=$(echo "$line" | sed -E 's/.*hl= *([0-9]+).*/\1/')
  len=$(echo "$line" | sed -E 's/.* l= *([0-9]+).*/\1/')
  tail -c +$((off + 1)) "$1" | head -c $((hl + len)) > "$2"
}

# facts SPKI.DER -> prints "algorithm<TAB>bits<TAB>curve<TAB>sha256"
facts() {
  local spki=$1 parsed oid alg bits=- curve=- p2 sha
  parsed=$("${O[@]}" asn1parse -inform DER -in "$spki")
  oid=$(echo "$parsed" | sed -n 3p | sed -nE 's/.*prim: OBJECT +:(.*)$/\1/p')
  case "$oid" in
    rsaEncryption) alg=rsa ;;
    rsassaPss)     alg=rsa-pss ;;
    id-ecPublicKey) alg=ec ;;
    dsaEncryption) alg=dsa ;;
    ED25519) alg=ed25519; bits=256 ;;
    ED448)   alg=ed448;   bits=456 ;;
    X25519)  alg=x25519;  bits=253 ;;
    X448)    alg=x448;    bits=448 ;;
    [0-9]*.*) alg=$oid ;;
    *) die "unexpected key algorithm '$oid' in $spki" ;;
  esac
  case $alg in
    rsa|rsa-pss|ec|dsa)
      bits=$("${O[@]}" pkey -pubin -inform DER -in "$spki" -text_pub -noout \
             | sed -nE 's/.*\(([0-9]+) bit\).*/\1/p' | head -n1)
      [ -n "$bits" ] || die "no bit size for $spki" ;;
  esac
  if [ "$alg" = ec ]; then
    p2=$(echo "$parsed" | sed -n 4p)
    case "$p2" in
      *"OBJECT"*":prime256v1") curve=P-256 ;;
      *"OBJECT"*":secp384r1")  curve=P-384 ;;
      *"OBJECT"*":secp521r1")  curve=P-521 ;;
      *"OBJECT"*":secp256k1")  curve=secp256k1 ;;
      *"d=2"*"SEQUENCE"*)      curve=explicit ;;
      *) die "unexpected EC parameters: $p2" ;;
    esac
  fi
  sha=$(sha256sum < "$spki" | cut -d' ' -f1)
  printf '%s\t%s\t%s\t%s' "$alg" "$bits" "$curve" "$sha"
}

# object_spki FILE LABEL FORM PASS OUT -> prints kind, writes SPKI DER to OUT, or prints "skip".
object_spki() {
  local f=$1 label=$2 form=$3 pass=$4 out=$5
  local pin=(); [ "$pass" = - ] || pin=(-passin "pass:$pass")
  case "$label" in
    "CERTIFICATE"|"TRUSTED CERTIFICATE")
      if "${O[@]}" x509 -inform "$form" -in "$f" -pubkey -noout 2>/dev/null > "$T/pub.pem" \
         && "${O[@]}" pkey -pubin -in "$T/pub.pem" -outform DER -out "$out" 2>/dev/null; then
        :
      else # key algorithm unknown to openssl: cut the SPKI out of the DER
        "${O[@]}" x509 -inform "$form" -in "$f" -outform DER -out "$T/cert.der" \
          || "${O[@]}" asn1parse -inform "$form" -in "$f" -noout -out "$T/cert.der"
        spki_from_cert_der "$T/cert.der" "$out" || die "cannot get SPKI of $f"
      fi
      # cross-check the CLI result against the raw SPKI bytes of the certificate
      if [ "$label" = CERTIFICATE ]; then
        "${O[@]}" asn1parse -inform "$form" -in "$f" -noout -out "$T/cert2.der"
        spki_from_cert_der "$T/cert2.der" "$T/spki2.der"
        cmp -s "$out" "$T/spki2.der" || die "SPKI mismatch (x509 -pubkey vs raw) for $f"
      fi
      echo certificate ;;
    "CERTIFICATE REQUEST"|"NEW CERTIFICATE REQUEST")
      "${O[@]}" req -inform "$form" -in "$f" -pubkey -noout \
        | "${O[@]}" pkey -pubin -outform DER -out "$out"
      echo csr ;;
    "PRIVATE KEY"|"RSA PRIVATE KEY"|"EC PRIVATE KEY"|"DSA PRIVATE KEY"|"ENCRYPTED PRIVATE KEY")
      "${O[@]}" pkey -inform "$form" -in "$f" "${pin[@]}" -pubout -outform DER -out "$out"
      echo private-key ;;
    "PUBLIC KEY")
      "${O[@]}" pkey -pubin -inform "$form" -in "$f" -outform DER -out "$out" 2>/dev/null \
        || "${O[@]}" asn1parse -inform "$form" -in "$f" -noout -out "$out"
      echo public-key ;;
    "RSA PUBLIC KEY")
      "${O[@]}" rsa -RSAPublicKey_in -inform "$form" -in "$f" -pubout -outform DER -out "$out" 2>/dev/null
      echo public-key ;;
    "EC PARAMETERS"|"DSA PARAMETERS")
      echo skip ;;
    *) die "unexpected PEM label '$label' in $f" ;;
  esac
}

row() { # path index kind container passin spki
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$(facts "$6")" "$4" "$5" >> "$M"
}

# split_pem FILE DIR: DIR/NNN.pem + DIR/NNN.label per PEM block (CR and trailing blanks removed)
split_pem() {
  rm -rf "$2"; mkdir -p "$2"
  tr -d '\r' < "$1" | sed -E 's/[[:space:]]+$//' | awk -v d="$2" '
    /^-----BEGIN [A-Z0-9 ]+-----$/ {
      n++; f = sprintf("%s/%03d.pem", d, n)
      lab = $0; sub(/^-----BEGIN /, "", lab); sub(/-----$/, "", lab)
      print lab > sprintf("%s/%03d.label", d, n); close(sprintf("%s/%03d.label", d, n))
      inb = 1
    }
    inb { print > f }
    /^-----END / && inb { inb = 0; close(f) }'
}

# add_pem RELPATH [PASS] [CONTAINER] [SOURCE-PEM] [START-INDEX] [MANIFEST-PASS]
add_pem() {
  local rel=$1 pass=${2:--} cont=${3:--} src=${4:-$CORPUS/$1} idx=${5:-0} mpass=${6:-${2:--}}
  local blk kind n=0
  split_pem "$src" "$T/blocks"
  for blk in "$T"/blocks/*.pem; do
    [ -e "$blk" ] || die "no PEM blocks in $src"
    kind=$(object_spki "$blk" "$(cat "${blk%.pem}.label")" PEM "$pass" "$T/spki.der")
    [ "$kind" = skip ] && continue
    row "$rel" $((idx + n)) "$kind" "$cont" "$mpass" "$T/spki.der"
    n=$((n + 1))
  done
  [ $n -gt 0 ] || die "no objects in $rel"
}

# add_der RELPATH LABEL [PASS]
add_der() {
  local kind
  kind=$(object_spki "$CORPUS/$1" "$2" DER "${3:--}" "$T/spki.der")
  row "$1" 0 "$kind" - "${3:--}" "$T/spki.der"
}

add_p7() { # RELPATH FORM
  "${O[@]}" pkcs7 -inform "$2" -in "$CORPUS/$1" -print_certs -out "$T/p7.pem"
  add_pem "$1" - pkcs7 "$T/p7.pem"
}

add_p12() { # RELPATH REAL-PASS MANIFEST-PASS
  local f="$CORPUS/$1" ncerts
  "${O[@]}" pkcs12 -in "$f" -passin "pass:$2" -nocerts -nodes -out "$T/p12key.pem" 2>/dev/null
  "${O[@]}" pkcs12 -in "$f" -passin "pass:$2" -info -nokeys -out "$T/p12certs.pem" 2>/dev/null
  add_pem "$1" - pkcs12 "$T/p12key.pem" 0 "$3"
  ncerts=$(grep -c '^-----BEGIN CERTIFICATE-----' "$T/p12certs.pem")
  add_pem "$1" - pkcs12 "$T/p12certs.pem" 1 "$3"
  [ "$ncerts" -ge 1 ] || die "no certificates in $1"
}

cd "$CORPUS"
# keys
for n in rsa1024 rsa2048 rsa3072 rsa4096 ec-p256 ec-p384 ec-p521 ec-secp256k1 ec-explicit dsa2048; do
  add_pem good/$n.key; add_pem good/$n-trad.key
done
for n in ed25519 ed448 x25519 x448 rsa-pss root-ca int-ca ec-p256-ecparam ec-explicit-ecparam; do
  add_pem good/$n.key
done
add_der good/rsa2048-p8.der "PRIVATE KEY"
add_der good/rsa2048-trad.der "RSA PRIVATE KEY"
add_der good/ec-p256-p8.der "PRIVATE KEY"
add_der good/ec-p256-sec1.der "EC PRIVATE KEY"
add_der good/ed25519-p8.der "PRIVATE KEY"
# public keys
for n in rsa2048 ec-p256 ed25519; do
  add_pem good/$n.pub; add_der good/$n-pub.der "PUBLIC KEY"
done
add_pem good/rsa2048-pkcs1.pub
add_der good/rsa2048-pkcs1-pub.der "RSA PUBLIC KEY"
# encrypted keys
for n in rsa2048 ec-p256; do
  add_pem good/$n-enc-p8.key $PASS
  add_der good/$n-enc-p8.der "ENCRYPTED PRIVATE KEY" $PASS
  add_pem good/$n-enc-trad.key $PASS
done
# certificates
add_pem good/root-ca.crt
add_der good/root-ca.der CERTIFICATE
add_pem good/root-ca-trusted.crt
add_pem good/int-ca.crt
for n in rsa2048 ec-p256 ed25519 ed448 dsa2048 rsa-pss ec-explicit ec-secp256k1 x25519 x448; do
  add_pem good/leaf-$n.crt
done
for n in rsa2048 ec-p256 ed25519; do add_der good/leaf-$n.der CERTIFICATE; done
add_pem good/v1-rsa1024.crt
# bundles
for n in chain.pem chain-text.pem chain-crlf.pem key-and-cert.pem; do add_pem good/$n; done
# PKCS#7 / PKCS#12
add_p7 good/chain.p7b PEM
add_p7 good/chain.p7c DER
add_p12 good/leaf-rsa2048.p12 $PASS $PASS
add_p12 good/leaf-rsa2048-legacy.p12 $PASS $PASS
add_p12 good/leaf-ec-p256-emptypass.p12 "" -
add_p12 good/leaf-ed25519-noenc.p12 "" -
# CSRs
for n in rsa2048-san rsa1024 ec-p256 ed25519 ed448 dsa2048 rsa-pss new-label; do add_pem good/csr-$n.csr; done
add_der good/csr-rsa2048-san.der "CERTIFICATE REQUEST"
add_der good/csr-ec-p256.der "CERTIFICATE REQUEST"
# unknown algorithm
add_pem good/unknown-alg.pub
add_der good/unknown-alg-pub.der "PUBLIC KEY"
add_pem good/unknown-alg.crt
add_der good/unknown-alg-crt.der CERTIFICATE

# every file in good/ must appear in the manifest
for f in good/*; do
  grep -q "^$f	" "$M" || die "$f is not in the manifest"
done

###########################################################################
# Consistency checks
###########################################################################
echo "== checks" >&2
sha_of() { # RELPATH INDEX -> spki_sha256 column
  awk -F'\t' -v p="$1" -v i="$2" '$1 == p && $2 == i { print $7 }' "$M"
}
same() { # RELPATH:INDEX ...  all must have the same spki_sha256
  local first="" s a
  for a in "$@"; do
    s=$(sha_of "${a%:*}" "${a##*:}")
    [ -n "$s" ] || die "no manifest row for $a"
    [ -z "$first" ] && first=$s
    [ "$s" = "$first" ] || die "spki_sha256 differs: $1 vs $a"
  done
}
same good/rsa2048.key:0 good/rsa2048-trad.key:0 good/rsa2048-p8.der:0 good/rsa2048-trad.der:0 \
     good/rsa2048.pub:0 good/rsa2048-pub.der:0 good/rsa2048-pkcs1.pub:0 good/rsa2048-pkcs1-pub.der:0 \
     good/rsa2048-enc-p8.key:0 good/rsa2048-enc-p8.der:0 good/rsa2048-enc-trad.key:0 \
     good/leaf-rsa2048.crt:0 good/leaf-rsa2048.der:0 good/csr-rsa2048-san.csr:0 good/csr-rsa2048-san.der:0 \
     good/chain.pem:0 good/chain-crlf.pem:0 good/leaf-rsa2048.p12:0 good/leaf-rsa2048.p12:1
same good/ec-p256.key:0 good/ec-p256-trad.key:0 good/ec-p256-p8.der:0 good/ec-p256-sec1.der:0 \
     good/ec-p256.pub:0 good/ec-p256-pub.der:0 good/ec-p256-enc-p8.key:0 good/ec-p256-enc-p8.der:0 \
     good/ec-p256-enc-trad.key:0 good/leaf-ec-p256.crt:0 good/leaf-ec-p256.der:0 \
     good/csr-ec-p256.csr:0 good/csr-ec-p256.der:0 good/csr-new-label.csr:0 \
     good/key-and-cert.pem:0 good/key-and-cert.pem:1 good/chain-text.pem:0 \
     good/leaf-ec-p256-emptypass.p12:0 good/leaf-ec-p256-emptypass.p12:1
same good/ed25519.key:0 good/ed25519-p8.der:0 good/ed25519.pub:0 good/ed25519-pub.der:0 \
     good/leaf-ed25519.crt:0 good/leaf-ed25519.der:0 good/csr-ed25519.csr:0 \
     good/leaf-ed25519-noenc.p12:0 good/leaf-ed25519-noenc.p12:1
for n in ed448 dsa2048 rsa-pss; do same good/$n.key:0 good/leaf-$n.crt:0 good/csr-$n.csr:0; done
same good/dsa2048.key:0 good/dsa2048-trad.key:0
same good/rsa1024.key:0 good/rsa1024-trad.key:0 good/csr-rsa1024.csr:0 good/v1-rsa1024.crt:0
for n in ec-explicit ec-secp256k1 x25519 x448; do same good/$n.key:0 good/leaf-$n.crt:0; done
same good/ec-explicit.key:0 good/ec-explicit-trad.key:0 good/ec-explicit-ecparam.key:0
same good/root-ca.key:0 good/root-ca.crt:0 good/root-ca.der:0 good/root-ca-trusted.crt:0
same good/int-ca.key:0 good/int-ca.crt:0
same good/unknown-alg.pub:0 good/unknown-alg-pub.der:0 good/unknown-alg.crt:0 good/unknown-alg-crt.der:0
awk -F'\t' '$1 == "good/leaf-ec-explicit.crt" && $6 != "explicit" { exit 1 }' "$M" \
  || die "leaf-ec-explicit.crt lost its explicit parameters"

# every leaf verifies against root + intermediate (except the explicit-parameters one:
# OpenSSL 3.0 verify always rejects explicit EC parameters, error 94)
for f in good/leaf-*.crt; do
  [ "$f" = good/leaf-ec-explicit.crt ] && continue
  "${O[@]}" verify -CAfile good/root-ca.crt -untrusted good/int-ca.crt "$f" >/dev/null \
    || die "$f does not verify"
done
"${O[@]}" verify -CAfile good/root-ca.crt good/v1-rsa1024.crt >/dev/null || die "v1 cert does not verify"

# PEM labels and DER structures are what their names promise
labels() { tr -d '\r' < "$1" | sed -nE 's/^-----BEGIN (.*)-----[[:space:]]*$/\1/p' | paste -sd'|'; }
expect() { [ "$(labels "$1")" = "$2" ] || die "$1: labels '$(labels "$1")', expected '$2'"; }
for n in rsa1024 rsa2048 rsa3072 rsa4096 ec-p256 ec-p384 ec-p521 ec-secp256k1 ec-explicit dsa2048 \
         ed25519 ed448 x25519 x448 rsa-pss root-ca int-ca; do
  expect good/$n.key "PRIVATE KEY"
done
for n in rsa1024 rsa2048 rsa3072 rsa4096; do expect good/$n-trad.key "RSA PRIVATE KEY"; done
for n in ec-p256 ec-p384 ec-p521 ec-secp256k1 ec-explicit; do expect good/$n-trad.key "EC PRIVATE KEY"; done
expect good/dsa2048-trad.key "DSA PRIVATE KEY"
expect good/ec-p256-ecparam.key "EC PARAMETERS|EC PRIVATE KEY"
expect good/ec-explicit-ecparam.key "EC PARAMETERS|EC PRIVATE KEY"
for n in rsa2048 ec-p256 ed25519 unknown-alg; do expect good/$n.pub "PUBLIC KEY"; done
expect good/rsa2048-pkcs1.pub "RSA PUBLIC KEY"
expect good/rsa2048-enc-p8.key "ENCRYPTED PRIVATE KEY"
expect good/ec-p256-enc-p8.key "ENCRYPTED PRIVATE KEY"
expect good/rsa2048-enc-trad.key "RSA PRIVATE KEY"
expect good/ec-p256-enc-trad.key "EC PRIVATE KEY"
for f in good/rsa2048-enc-trad.key good/ec-p256-enc-trad.key; do
  grep -q '^Proc-Type: 4,ENCRYPTED$' "$f" || die "$f has no Proc-Type header"
done
expect good/root-ca-trusted.crt "TRUSTED CERTIFICATE"
expect good/chain.pem "CERTIFICATE|CERTIFICATE|CERTIFICATE"
expect good/chain-crlf.pem "CERTIFICATE|CERTIFICATE|CERTIFICATE"
expect good/chain-text.pem "CERTIFICATE|CERTIFICATE|CERTIFICATE"
expect good/key-and-cert.pem "PRIVATE KEY|CERTIFICATE"
expect good/csr-new-label.csr "NEW CERTIFICATE REQUEST"
expect good/chain.p7b "PKCS7"
der3() { "${O[@]}" asn1parse -inform DER -in "$1" | sed -n 3p; }
for f in good/rsa2048-p8.der good/ec-p256-p8.der good/ed25519-p8.der; do
  der3 "$f" | grep -q 'd=1 .*cons: SEQUENCE' || die "$f is not PKCS#8"
done
der3 good/rsa2048-trad.der | grep -q 'd=1 .*prim: INTEGER' || die "rsa2048-trad.der is not PKCS#1"
"${O[@]}" asn1parse -inform DER -in good/ec-p256-sec1.der | sed -n 2p | grep -q 'INTEGER *:01' \
  || die "ec-p256-sec1.der is not SEC1"
for f in good/rsa2048-enc-p8.der good/ec-p256-enc-p8.der; do
  der3 "$f" | grep -q 'OBJECT *:PBES2' || die "$f is not an encrypted PKCS#8"
done
"${O[@]}" asn1parse -inform DER -in good/rsa2048-pkcs1-pub.der | sed -n 2p | grep -q 'd=1 .*INTEGER' \
  || die "rsa2048-pkcs1-pub.der is not PKCS#1"
grep -q $'\r$' good/chain-crlf.pem || die "chain-crlf.pem has no CRLF"
"${O[@]}" x509 -in good/v1-rsa1024.crt -noout -text | grep -q 'Version: 1 (0x0)' || die "v1 cert"
p12info=$("${O[@]}" pkcs12 -in good/leaf-ed25519-noenc.p12 -passin pass: -info -noout 2>&1)
grep -q 'MAC is absent' <<<"$p12info" || die "leaf-ed25519-noenc.p12 has a MAC"
if grep -q 'Encrypted data' <<<"$p12info"; then die "leaf-ed25519-noenc.p12 has encrypted data"; fi

###########################################################################
# Bad inputs
###########################################################################
echo "== bad" >&2
BT="$CORPUS/bad.tsv"
printf 'path\treason\n' > "$BT"
bad() { printf '%s\t%s\n' "$1" "$2" >> "$BT"; }
# stream BYTES KEYHEX: reproducible pseudo-random bytes (AES-128-CTR keystream)
stream() {
  head -c "$1" /dev/zero | "${O[@]}" enc -aes-128-ctr -K "$2" \
    -iv 00000000000000000000000000000000 -nosalt
}
LEAF_PEM="$G/leaf-ec-p256.crt"
LEAF_DER="$G/leaf-ec-p256.der"

: > "$B/empty.pem";                         bad bad/empty.pem empty
printf '\n\n   \n\t\n\r\n  ' > "$B/whitespace.pem"; bad bad/whitespace.pem empty

sed '$d' "$LEAF_PEM" > "$B/truncated-noend.pem";  bad bad/truncated-noend.pem truncated
{ head -n 6 "$LEAF_PEM"; sed -n 7p "$LEAF_PEM" | cut -c1-30; } > "$B/truncated-mid.pem"
bad bad/truncated-mid.pem truncated

# invalid characters in the middle of the base64 body
sed -e '5s/^\(.\{10\}\).\{8\}/\1!*%$#@~?/' "$LEAF_PEM" > "$B/base64-invalid.pem"
bad bad/base64-invalid.pem base64
# one good certificate block followed by a block with bad base64; the good one must be reported
{ cat "$LEAF_PEM"; sed -e '4s/^\(.\{20\}\).\{6\}/\1^^!!**/' "$G/int-ca.crt"; } > "$B/mixed-base64.pem"
bad bad/mixed-base64.pem base64

{ printf '\x30\x82\x04\x00'; stream 60 00112233445566778899aabbccddeeff; } > "$B/malformed-short.der"
bad bad/malformed-short.der malformed
{ printf '\x30\x20'; head -c 32 /dev/zero | tr '\0' '\377'; } > "$B/malformed-garbage.der"
bad bad/malformed-garbage.der malformed
{ echo "-----BEGIN CERTIFICATE-----"; stream 300 0123456789abcdef0123456789abcdef | "${O[@]}" base64
  echo "-----END CERTIFICATE-----"; } > "$B/malformed-garbage.pem"
bad bad/malformed-garbage.pem malformed
head -c -20 "$LEAF_DER" > "$B/malformed-cut.der";  bad bad/malformed-cut.der malformed

{ cat "$LEAF_DER"; printf 'TRAILING-JUNK\x00\x01\x02\xff'; } > "$B/trailing.der"
bad bad/trailing.der trailing

stream 4096 00000000000000000000000000000000 > "$B/random.bin"; bad bad/random.bin not-x509
cat > "$B/plain.txt" <<'EOF'
This is a plain text file.
It mentions CERTIFICATE and BEGIN but holds no PEM block at all.
EOF
bad bad/plain.txt not-x509
{ printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89'
  printf '\x00\x00\x00\x00IEND\xaeB`\x82'; } > "$B/png-like.png"
bad bad/png-like.png not-x509

# encrypted with "certsmith"; the test opens them with --passin pass:wrong
"${O[@]}" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/pw.key"
"${O[@]}" pkcs8 -topk8 -v2 aes-256-cbc -in "$T/pw.key" -passout pass:$PASS -out "$B/password-p8.key"
bad bad/password-p8.key password
"${O[@]}" pkcs8 -topk8 -v2 aes-256-cbc -in "$T/pw.key" -passout pass:$PASS -outform DER -out "$B/password-p8.der"
bad bad/password-p8.der password
"${O[@]}" ec -in "$T/pw.key" -des3 -passout pass:$PASS -out "$B/password-proctype.key" 2>/dev/null
bad bad/password-proctype.key password

# more PEM shapes that must be rejected
printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' > "$B/empty-block.pem"
bad bad/empty-block.pem empty
printf -- '-----BEGIN CERTIFICATE-----\n' > "$B/begin-only.pem"
bad bad/begin-only.pem truncated
printf -- '-----BEGIN FROBNICATED THING-----\nAAECAwQF\n-----END FROBNICATED THING-----\n' > "$B/unknown-label.pem"
bad bad/unknown-label.pem unsupported
{ echo '-----BEGIN OPENSSH PRIVATE KEY-----'
  "${O[@]}" enc -aes-128-ctr -K 01010101010101010101010101010101 -iv 00000000000000000000000000000000 -nosalt < /dev/zero 2>/dev/null | head -c 96 | "${O[@]}" base64
  echo '-----END OPENSSH PRIVATE KEY-----'; } > "$B/openssh.key"
bad bad/openssh.key unsupported

# a TRUSTED CERTIFICATE whose trust data is not X509_CERT_AUX (the fuzzer
# found a leak on this shape)
{ echo '-----BEGIN TRUSTED CERTIFICATE-----'
  { cat "$G/unknown-alg-crt.der"; printf '\x05\x00'; } | "${O[@]}" base64
  echo '-----END TRUSTED CERTIFICATE-----'; } > "$B/trusted-bad-aux.pem"
bad bad/trusted-bad-aux.pem malformed

# sanity: openssl must reject every bad file the way we expect
rejects() { ! "$@" >/dev/null 2>&1; }
for f in truncated-noend truncated-mid base64-invalid malformed-garbage; do
  rejects "${O[@]}" x509 -in "$B/$f.pem" -noout || die "openssl accepts bad/$f.pem"
done
for f in malformed-short malformed-garbage malformed-cut; do
  rejects "${O[@]}" x509 -inform DER -in "$B/$f.der" -noout || die "openssl accepts bad/$f.der"
done
rejects "${O[@]}" asn1parse -inform DER -in "$B/trailing.der" || die "asn1parse accepts bad/trailing.der"
"${O[@]}" x509 -in "$B/mixed-base64.pem" -noout || die "first block of mixed-base64.pem is not readable"
for f in password-p8.key password-p8.der password-proctype.key; do
  rejects "${O[@]}" pkey -in "$B/$f" -passin pass:wrong -noout || die "bad/$f opens with a wrong password"
  "${O[@]}" pkey -in "$B/$f" -passin pass:$PASS -noout || die "bad/$f does not open with $PASS"
done

for f in random.bin plain.txt png-like.png empty.pem whitespace.pem; do
  rejects "${O[@]}" x509 -in "$B/$f" -noout || die "openssl x509 accepts bad/$f"
  rejects "${O[@]}" x509 -inform DER -in "$B/$f" -noout || die "openssl x509 -inform DER accepts bad/$f"
done

# readable by everyone (genpkey creates 0600 files), no stale executables
chmod 0644 "$G"/* "$B"/* "$M" "$BT"
echo "== done: $(($(grep -vc "^#" "$M") - 1)) objects in manifest.tsv, $(($(wc -l < "$BT") - 1)) bad files" >&2
