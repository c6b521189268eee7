#!/usr/bin/env bash
# Regenerates corpus/lint/key/: inputs for the key.* rules (see key.tsv).
# Uses only the openssl CLI and python3's standard library. Keys are fresh on
# every run. `gen-key.sh --c-tables` prints the static tables of
# src/rules/key.c (ROCA residue masks, product of the primes below 10000).
set -euo pipefail
# shellcheck source=corpus/lint/lib.sh
. "$(dirname "$0")/lib.sh"

LINT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
D="$LINT/key"
GOOD="$LINT/../good"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

write_asn1_py "$T"
cat > "$T/keytool.py" <<'PY'
import random, sys
from asn1 import tlv, pem

def primes_below(n):
    s = bytearray([1]) * n
    s[0:2] = b'\0\0'
    for i in range(2, int(n ** 0.5) + 1):
        if s[i]:
            s[i * i::i] = bytearray(len(s[i * i::i]))
    return [i for i in range(n) if s[i]]

SMALL = primes_below(2000)

def is_prime(n):
    for p in SMALL:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):
        x = pow(random.randrange(2, n - 1), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True

def der_int(v):
    return tlv(0x02, v.to_bytes(v.bit_length() // 8 + 1, "big"))

def seq(*items):
    return tlv(0x30, b"".join(items))

RSA_ALG = seq(bytes.fromhex("06092a864886f70d010101"), b"\x05\x00")

def spki_rsa(n, e):
    return seq(RSA_ALG, tlv(0x03, b"\0" + seq(der_int(n), der_int(e))))

def rsa_private(p, q, e=65537):
    n, phi = p * q, (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    return seq(*(der_int(v) for v in
        (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p))))

def prime_from(start):
    p = start | 1
    while not is_prime(p):
        p += 2
    return p

def fermat_primes(bits):
    p = prime_from(random.getrandbits(bits) | 3 << (bits - 2))
    q = prime_from(p + (random.getrandbits(bits // 4) | 1 << (bits // 4)))
    return p, q

ROCA_PRIMES = [p for p in primes_below(168)[1:]]

def roca_prime(bits):
    m = 1
    for p in ROCA_PRIMES:
        m *= p
    while True:
        k = random.randrange((3 << (bits - 2)) // m + 1, (1 << bits) // m)
        p = k * m + pow(65537, random.randrange(1, 1 << 40), m)
        if is_prime(p):
            return p

def c_tables():
    print("static const struct roca_prime roca_primes[] = {")
    for p in ROCA_PRIMES:
        sub, x = set(), 1
        while True:
            x = x * 65537 % p
            if x in sub:
                break
            sub.add(x)
        if len(sub) == p - 1:
            continue
        w = [0] * 6
        for r in sub:
            w[r // 32] |= 1 << (r % 32)
        print("\t{ %d, { %s } }," % (p, ", ".join("0x%08x" % x for x in w)))
    print("};")
    prod, ps = 1, primes_below(10000)
    for p in ps:
        prod *= p
    b = prod.to_bytes((prod.bit_length() + 7) // 8, "big")
    print("/* The product of the %d primes below 10000, big-endian. */" % len(ps))
    print("static const unsigned char small_primes_product[] = {")
    for i in range(0, len(b), 12):
        print("\t" + " ".join("0x%02x," % c for c in b[i:i + 12]))
    print("};")

def out(path, data):
    with open(path, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)

def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "tables":
        c_tables()
    elif cmd == "spki":		# out n_hex e
        out(args[0], pem("PUBLIC KEY", spki_rsa(int(args[1], 16), int(args[2]))))
    elif cmd == "random-spki":	# out bits
        n = random.getrandbits(int(args[1])) | 1 | 1 << (int(args[1]) - 1)
        out(args[0], pem("PUBLIC KEY", spki_rsa(n, 65537)))
    elif cmd == "times-small":	# out n_hex prime
        out(args[0], pem("PUBLIC KEY", spki_rsa(int(args[1], 16) * int(args[2]), 65537)))
    elif cmd == "fermat":		# out
        out(args[0], pem("RSA PRIVATE KEY", rsa_private(*fermat_primes(1024))))
    elif cmd == "roca":		# out
        p, q = 0, 0
        while (p * q).bit_length() != 2048:
            p, q = roca_prime(1024), roca_prime(1024)
        out(args[0], pem("RSA PRIVATE KEY", rsa_private(p, q)))
    elif cmd == "off-curve":	# in.der out: flip the point's last bit
        der = bytearray(open(args[0], "rb").read())
        der[-1] ^= 1
        out(args[1], pem("PUBLIC KEY", bytes(der)))

main()
PY

if [ "${1:-}" = "--c-tables" ]; then
	python3 "$T/keytool.py" tables
	exit 0
fi

rm -rf "$D"
mkdir -p "$D"
cd "$D"
export OPENSSL_CONF=/dev/null
req() { openssl req -new -key "$1" -subj "/CN=key.example.com" -out "$2"; }
crt() {
	openssl req -new -x509 -key "$1" -subj "/CN=key.example.com" -days 365 \
	    -out "$2"
}

pk -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.key
req rsa2048.key rsa2048.csr
crt rsa2048.key rsa2048.crt
pk -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.key
req rsa1024.key rsa1024.csr
N="$(openssl rsa -in rsa2048.key -noout -modulus | sed 's/^Modulus=//')"
python3 "$T/keytool.py" spki rsa-e3.pub "$N" 3
python3 "$T/keytool.py" spki rsa-e1.pub "$N" 1
python3 "$T/keytool.py" spki rsa-e65536.pub "$N" 65536
python3 "$T/keytool.py" spki rsa-e65539.pub "$N" 65539
python3 "$T/keytool.py" spki rsa-e-2p256.pub "$N" \
    "$(python3 -c 'print(2 ** 256 + 1)')"
python3 "$T/keytool.py" random-spki rsa16400.pub 16400
python3 "$T/keytool.py" times-small rsa-small-factor.pub "$N" 9973
python3 "$T/keytool.py" fermat rsa-fermat.key
req rsa-fermat.key rsa-fermat.csr
crt rsa-fermat.key rsa-fermat.crt
python3 "$T/keytool.py" roca rsa-roca.key
req rsa-roca.key rsa-roca.csr
crt rsa-roca.key rsa-roca.crt

pk -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-p256.key
req ec-p256.key ec-p256.csr
crt ec-p256.key ec-p256.crt
openssl pkey -in ec-p256.key -pubout -out ec-p256.pub
openssl pkey -in ec-p256.key -pubout -outform DER -out "$T/p256.der"
python3 "$T/keytool.py" off-curve "$T/p256.der" ec-p256-off-curve.pub
pk -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ec-p384.key
pk -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out ec-secp256k1.key
crt ec-secp256k1.key ec-secp256k1.crt
pk -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1 -out "$T/bp.key"
req "$T/bp.key" ec-brainpoolP256r1.csr
pk -algorithm EC -pkeyopt ec_paramgen_curve:P-192 -out ec-p192.key
pk -algorithm EC -pkeyopt ec_paramgen_curve:P-224 -out "$T/p224.key"
req "$T/p224.key" ec-p224.csr
crt "$T/p224.key" ec-p224.crt
pk -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -pkeyopt ec_param_enc:explicit -out ec-explicit.key
req ec-explicit.key ec-explicit.csr
pk -algorithm ED25519 -out ed25519.key

pk -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$T/dsa.param"
pk -paramfile "$T/dsa.param" -out dsa2048.key
req dsa2048.key dsa2048.csr
crt dsa2048.key dsa2048.crt
cp "$GOOD/unknown-alg.pub" unknown-alg.pub
cp "$GOOD/unknown-alg.crt" unknown-alg.crt
cp "$GOOD/leaf-ec-explicit.crt" ec-explicit.crt
