#!/bin/bash
# Fleet generator for the scan benchmark (issue 4): a tree shaped like the
# /etc of many servers, with keys, certificates, CSRs (PEM and DER),
# encrypted keys, web server configs, junk files and planted problems.
#
#   bench/gen-fleet.sh OUT_DIR [-n HOSTS] [-s SEED] [-j JOBS]
#
# OUT_DIR/hostNNNN/... is the fleet; OUT_DIR/PLANTED.tsv the ground truth
# (kind<TAB>paths...), OUT_DIR/OBJECTS.tsv every key, certificate and CSR
# written with the id of its key. See bench/README.md. Needs only bash,
# coreutils, openssl (3.0 or later) and /usr/bin/python3 (standard library).
# The plan (names, layout, which host gets which problem) depends only on
# HOSTS and SEED; the keys themselves are new at each run.
set -eu

usage() {
    echo "usage: $0 OUT_DIR [-n HOSTS] [-s SEED] [-j JOBS]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
out=$1
shift
hosts=20
seed=1
jobs=2
while getopts n:s:j: opt; do
    case $opt in
        n) hosts=$OPTARG ;;
        s) seed=$OPTARG ;;
        j) jobs=$OPTARG ;;
        *) usage ;;
    esac
done
case $hosts$seed$jobs in
    *[!0-9]*) usage ;;
esac
if [ "$hosts" -lt 1 ] || [ "$jobs" -lt 1 ]; then usage; fi
command -v openssl >/dev/null || { echo "$0: openssl not found" >&2; exit 2; }
python=/usr/bin/python3
[ -x "$python" ] || python=python3

if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
    echo "$0: $out exists and is not empty" >&2
    exit 2
fi
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/cs-fleet.XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$(date +%s.%N)
"$python" - "$out" "$hosts" "$seed" "$jobs" "$work" <<'PY'
import base64, datetime, math, os, random, secrets, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

out, nhosts, seed, jobs, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
PASS = "certsmith"
EXPIRING_DAYS = 30
AT = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)

def run(*args, stdin=None):
    r = subprocess.run(args, input=stdin, capture_output=True)
    if r.returncode != 0:
        sys.exit("openssl failed: %s\n%s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout

def pmap(fn, items):
    with ThreadPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(fn, items))

# ---------------------------------------------------------------- config
CNF = os.path.join(work, "openssl.cnf")
os.makedirs(os.path.join(work, "ca", "new"))
open(os.path.join(work, "ca", "index.txt"), "w").close()
with open(CNF, "w") as f:
    f.write("""[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf_rsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca]
default_ca = fleet
[fleet]
dir = %s
database = $dir/index.txt
new_certs_dir = $dir/new
certificate = %s
private_key = %s
rand_serial = yes
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[any]
commonName = supplied
organizationName = optional
""" % (os.path.join(work, "ca"), os.path.join(work, "inter.crt"), os.path.join(work, "inter.key")))

def w(name):
    return os.path.join(work, name)

# ---------------------------------------------------------------- CA
ecargs = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-pkeyopt", "ec_param_enc:named_curve"]
run("openssl", "genpkey", *ecargs, "-out", w("root.key"))
run("openssl", "genpkey", *ecargs, "-out", w("inter.key"))
run("openssl", "req", "-new", "-x509", "-config", CNF, "-key", w("root.key"), "-days", "7300",
    "-subj", "/O=Fleet Example/CN=Fleet Example Root CA", "-extensions", "ca_ext", "-out", w("root.crt"))
run("openssl", "req", "-new", "-x509", "-config", CNF, "-key", w("inter.key"), "-CA", w("root.crt"),
    "-CAkey", w("root.key"), "-days", "3650", "-subj", "/O=Fleet Example/CN=Fleet Example Issuing CA 1",
    "-extensions", "ca_ext", "-out", w("inter.crt"))
ROOT = open(w("root.crt")).read()
INTER = open(w("inter.crt")).read()

# ---------------------------------------------------------------- plan
rng = random.Random(seed)
keys = []      # key id -> {"type": ..., "src": ...}
certs = []     # cert id -> {"key", "cn", "host", "mode"}
csrs = []      # csr id -> {"key", "cn"}
files = []     # (path, [parts]); part = ("key", kid, fmt) | ("cert", cid, fmt) | ("csr", sid, fmt) | ("raw", bytes|str)
planted = []   # (kind, [paths])

def newkey(t):
    keys.append({"type": t})
    return len(keys) - 1

def keytype(r):
    x = r.random()
    return "rsa" if x < 0.55 else ("ec" if x < 0.9 else "ed25519")

def newcert(kid, cn, host, mode="ok"):
    certs.append({"key": kid, "cn": cn, "host": host, "mode": mode})
    return len(certs) - 1

def newcsr(kid, cn):
    csrs.append({"key": kid, "cn": cn})
    return len(csrs) - 1

def add(path, *parts):
    files.append((path, list(parts)))
    return path

hostnames = ["host%04d" % i for i in range(1, nhosts + 1)]
k = max(1, nhosts // 25)   # planted problems of each kind

def pick(pool, n):
    return set(rng.sample(pool, min(n, len(pool))))

# which hosts get which problem (disjoint where they touch the same files)
hl = list(hostnames)
rng.shuffle(hl)
slots = {}
order = ["mm-stem", "mm-combined", "mm-le", "mm-nginx", "mm-apache", "mm-haproxy",
         "shared-prime", "dup-mod", "expired", "expiring", "weak", "reuse"]
need = {"shared-prime": 2 * k, "dup-mod": 2, "reuse": 2 * k}
i = 0
for o in order:
    n = need.get(o, k)
    slots[o] = hl[i:i + n] if i + n <= len(hl) else [hl[j % len(hl)] for j in range(i, i + n)]
    i += n

def has(h, o):
    return h in slots[o]

SVC = ["www", "api", "shop", "mail", "vpn", "git", "app", "portal", "cdn", "db"]
reuse_src = {}   # reuse host -> key id taken from another host
server_key_of = {}

for hi, h in enumerate(hostnames):
    r = random.Random("%d-%s" % (seed, h))
    dom = "%s.fleet.example" % h
    # ---- etc/ssl server pair
    variant = "combined" if has(h, "mm-combined") else ("pem" if (has(h, "mm-stem") or has(h, "shared-prime") or has(h, "dup-mod") or has(h, "weak")) else r.choice(["pem", "pem", "der", "combined"]))
    t = keytype(r)
    if has(h, "shared-prime"):
        t = "rsa-sharedprime"
    elif has(h, "dup-mod"):
        t = "rsa-dupmod"
    elif has(h, "weak"):
        t = "rsa1024"
    kid = newkey(t)
    server_key_of[h] = kid
    mode = "expired" if has(h, "expired") else ("expiring" if has(h, "expiring") else "ok")
    ckid = newkey(keytype(r)) if (has(h, "mm-stem") or has(h, "mm-combined")) else kid
    cid = newcert(ckid, dom, h, mode)
    kfmt = r.choice(["pkcs8", "trad"])
    if variant == "combined":
        p = add(h + "/etc/ssl/server.pem", ("key", kid, kfmt), ("cert", cid, "pem"))
        if has(h, "mm-combined"):
            planted.append(("mismatch-combined-pem", [p + "#0", p + "#1"]))
    else:
        kp = add(h + "/etc/ssl/server.key", ("key", kid, kfmt))
        cp = add(h + ("/etc/ssl/server.crt.der" if variant == "der" else "/etc/ssl/server.crt"),
                 ("cert", cid, "der" if variant == "der" else "pem"))
        if has(h, "mm-stem"):
            planted.append(("mismatch-same-stem", [kp, cp]))
        if has(h, "weak"):
            planted.append(("weak-key", [kp, cp]))
    if mode != "ok":
        planted.append((mode, [files[-1][0] + ("#1" if variant == "combined" else "")]))
    if has(h, "shared-prime") or has(h, "dup-mod"):
        keys[kid]["path"] = files[-1][0] + "#0" if variant == "combined" else files[-2][0]
    # CSR of the server key, PEM or DER
    if r.random() < 0.7:
        der = r.random() < 0.4
        add(h + "/etc/ssl/csr/server.csr" + (".der" if der else ""), ("csr", newcsr(kid, dom), "der" if der else "pem"))
    # CA bundle copy and junk
    add(h + "/etc/ssl/certs/fleet-ca.pem", ("raw", INTER + ROOT))
    add(h + "/etc/ssl/broken.pem", ("raw", INTER[: len(INTER) // 2 + r.randrange(40)]))
    add(h + "/etc/motd", ("raw", "Welcome to %s.\nAuthorised use only. -----BEGIN CERTIFICATE----- is not here.\n" % h))
    add(h + "/usr/local/bin/agent", ("raw", b"\x7fELF\x02\x01\x01\x00" + bytes(r.getrandbits(8) for _ in range(4096 + r.randrange(8192)))))
    add(h + "/var/lib/certsmith/empty.dat", ("raw", b""))
    planted.append(("junk", [h + "/etc/ssl/broken.pem", h + "/etc/motd", h + "/usr/local/bin/agent", h + "/var/lib/certsmith/empty.dat"]))
    # second key in the directory (orphan, not mismatch) or an old key
    if r.random() < 0.25:
        add(h + "/etc/ssl/server-old.key", ("key", newkey(keytype(r)), "pkcs8"))
    if r.random() < 0.15:
        add(h + "/etc/ssl/private/backup-2019.key", ("key", newkey(keytype(r)), "trad"))
    # ---- Let's Encrypt
    le = has(h, "mm-le") or r.random() < 0.6
    lename = None
    if le:
        lename = "%s.%s" % (r.choice(SVC), dom)
        lk = newkey(r.choice(["rsa", "ec", "ec"]))
        lc = newcert(newkey("ec") if has(h, "mm-le") else lk, lename, h)
        d = "%s/etc/letsencrypt/live/%s/" % (h, lename)
        add(d + "privkey.pem", ("key", lk, "pkcs8"))
        add(d + "cert.pem", ("cert", lc, "pem"))
        add(d + "chain.pem", ("raw", INTER))
        add(d + "fullchain.pem", ("cert", lc, "pem"), ("raw", INTER))
        add("%s/etc/letsencrypt/csr/0000_csr-certbot.pem" % h, ("csr", newcsr(lk, lename), "pem"))
        if has(h, "mm-le"):
            planted.append(("mismatch-letsencrypt", [d + "privkey.pem", d + "cert.pem", d + "fullchain.pem#0"]))
    # ---- nginx
    if has(h, "mm-nginx") or has(h, "reuse") or r.random() < 0.5:
        name = "%s.%s" % (r.choice(SVC), dom)
        if lename and not has(h, "mm-nginx") and not has(h, "reuse") and r.random() < 0.5:
            crt = "/etc/letsencrypt/live/%s/fullchain.pem" % lename
            key = "/etc/letsencrypt/live/%s/privkey.pem" % lename
        else:
            if has(h, "reuse"):
                # the key of another host's etc/ssl server pair, copied here
                # (filled in once every host has its server key)
                nk = None
            else:
                nk = newkey(keytype(r))
            nc = newcert(newkey(keytype(r)) if has(h, "mm-nginx") else nk, name, h)
            crt = "/etc/nginx/ssl/%s.crt" % name
            key = "/etc/nginx/ssl/private/%s.key" % name
            add(h + crt, ("cert", nc, "pem"), ("raw", INTER))
            add(h + key, ("key", nk, r.choice(["pkcs8", "trad"])))
            if nk is None:
                reuse_src[h] = (nc, len(files) - 1)
            if has(h, "mm-nginx"):
                planted.append(("mismatch-nginx", [h + key, h + crt + "#0"]))
        add("%s/etc/nginx/sites-enabled/%s.conf" % (h, name), ("raw",
            "server {\n    listen 443 ssl;\n    server_name %s;\n    ssl_certificate %s;\n    ssl_certificate_key %s;\n    root /var/www/html;\n}\n" % (name, crt, key)))
    # ---- Apache
    if has(h, "mm-apache") or r.random() < 0.3:
        name = "portal.%s" % dom
        ak = newkey(keytype(r))
        ac = newcert(newkey(keytype(r)) if has(h, "mm-apache") else ak, name, h)
        crt = "/etc/apache2/ssl/%s.crt" % name
        key = "/etc/apache2/ssl/private/%s.key" % name
        add(h + crt, ("cert", ac, "pem"))
        add(h + key, ("key", ak, "pkcs8"))
        add("%s/etc/apache2/sites-enabled/default-ssl.conf" % h, ("raw",
            "<VirtualHost *:443>\n    ServerName %s\n    SSLEngine on\n    SSLCertificateFile %s\n    SSLCertificateKeyFile %s\n    SSLCertificateChainFile /etc/ssl/certs/fleet-ca.pem\n</VirtualHost>\n" % (name, crt, key)))
        if has(h, "mm-apache"):
            planted.append(("mismatch-apache", [h + key, h + crt]))
    # ---- HAProxy
    if has(h, "mm-haproxy") or r.random() < 0.2:
        name = "lb.%s" % dom
        hk = newkey(keytype(r))
        hc = newcert(newkey(keytype(r)) if has(h, "mm-haproxy") else hk, name, h)
        b = "/etc/haproxy/certs/%s.pem" % name
        add(h + b, ("cert", hc, "pem"), ("raw", INTER), ("key", hk, "pkcs8"))
        add(h + "/etc/haproxy/haproxy.cfg", ("raw",
            "frontend https\n    bind :443 ssl crt %s\n    default_backend app\n\nbackend app\n    server app1 127.0.0.1:8080\n" % b))
        if has(h, "mm-haproxy"):
            planted.append(("mismatch-haproxy", [h + b + "#2", h + b + "#0"]))
    # ---- pending key + CSR (no certificate yet: not an orphan)
    if r.random() < 0.25:
        name = "%s.%s" % (r.choice(SVC), dom)
        pk = newkey(keytype(r))
        add("%s/etc/ssl/pending/%s.key" % (h, name), ("key", pk, "pkcs8"))
        der = r.random() < 0.5
        add("%s/etc/ssl/pending/%s.csr%s" % (h, name, ".der" if der else ""), ("csr", newcsr(pk, name), "der" if der else "pem"))
    # ---- encrypted key with its certificate (password certsmith)
    if r.random() < 0.3:
        name = "mail.%s" % dom
        ek = newkey(r.choice(["rsa", "ec"]))
        add("%s/etc/postfix/tls/%s.key" % (h, name), ("key", ek, "enc"))
        add("%s/etc/postfix/tls/%s.crt" % (h, name), ("cert", newcert(ek, name, h), "pem"))
        planted.append(("locked-key", ["%s/etc/postfix/tls/%s.key" % (h, name)]))

busy = {x for o in order for x in slots[o]}
donors = [x for x in hostnames if x not in busy and keys[server_key_of[x]]["type"] in ("rsa", "ec")]
donors = donors or [x for x in hostnames if x not in busy] or hostnames
for j, (h, (nc, fi)) in enumerate(sorted(reuse_src.items())):
    src = donors[j % len(donors)]
    if src == h:
        src = hostnames[(hostnames.index(h) + 1) % len(hostnames)]
    if not has(h, "mm-nginx"):
        certs[nc]["key"] = server_key_of[src]
    path, parts = files[fi]
    files[fi] = (path, [("key", server_key_of[src], parts[0][2])])

# ---------------------------------------------------------------- keys
def int_der(x):
    b = x.to_bytes((x.bit_length() + 8) // 8 or 1, "big")
    return b"\x02" + der_len(len(b)) + b

def der_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b

def is_prime(n):
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for _ in range(40):
        a = secrets.randbelow(n - 3) + 2
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True

def prime(bits, e):
    while True:
        c = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        if c % e != 1 and is_prime(c):
            return c

def rsa_pem(p, q, e):
    n, phi = p * q, (p - 1) * (q - 1)
    d = pow(e, -1, phi)
    body = b"".join(int_der(x) for x in (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)))
    der = b"\x30" + der_len(len(body)) + body
    b64 = base64.encodebytes(der).decode().replace("\n", "")
    return "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64)) + "\n-----END RSA PRIVATE KEY-----\n"

special = {}
sp = [i for i, x in enumerate(keys) if x["type"] == "rsa-sharedprime"]
for a, b in zip(sp[0::2], sp[1::2]):
    p = prime(1024, 65537)
    special[a] = rsa_pem(p, prime(1024, 65537), 65537)
    special[b] = rsa_pem(p, prime(1024, 65537), 65537)
    planted.append(("shared-prime", [keys[a]["path"], keys[b]["path"]]))
dm = [i for i, x in enumerate(keys) if x["type"] == "rsa-dupmod"]
for a, b in zip(dm[0::2], dm[1::2]):
    p, q = prime(1024, 65537), prime(1024, 65537)
    e2 = 17
    while math.gcd(e2, (p - 1) * (q - 1)) != 1:
        e2 += 2
    special[a] = rsa_pem(p, q, 65537)
    special[b] = rsa_pem(p, q, e2)
    planted.append(("duplicate-modulus", [keys[a]["path"], keys[b]["path"]]))

GEN = {"rsa": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
       "rsa1024": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
       "ec": ecargs, "ed25519": ["-algorithm", "ed25519"]}

def genkey(i):
    f = w("k%d.pem" % i)
    if i in special:
        run("openssl", "pkey", "-out", f, stdin=special[i].encode())
    else:
        # an unpaired special key (tiny fleets, where plans overlap) is plain RSA
        run("openssl", "genpkey", *GEN.get(keys[i]["type"], GEN["rsa"]), "-out", f)
    return f

used_fmt = {}
for path, parts in files:
    for pt in parts:
        if pt[0] == "key":
            used_fmt.setdefault(pt[1], set()).add(pt[2])
pmap(genkey, range(len(keys)))

def keytext(i, fmt):
    f = w("k%d.pem" % i)
    if fmt == "trad" and keys[i]["type"] != "ed25519":
        if i in special:
            return special[i]
        return run("openssl", "pkey", "-in", f, "-traditional").decode()
    if fmt == "enc":
        return run("openssl", "pkey", "-in", f, "-aes256", "-passout", "pass:" + PASS).decode()
    return open(f).read()

# ---------------------------------------------------------------- certificates and CSRs
PAST_START, PAST_END = "20230101000000Z", "20240101000000Z"

def ext(kid):
    return "leaf" if keys[kid]["type"] in ("ec", "ed25519") else "leaf_rsa"

def sign(i):
    c = certs[i]
    subj = "/O=Fleet Example/CN=%s" % c["cn"]
    san = "subjectAltName=DNS:%s" % c["cn"]
    kf = w("k%d.pem" % c["key"])
    if c["mode"] == "expired":
        return None
    days = "10" if c["mode"] == "expiring" else "397"
    run("openssl", "req", "-new", "-x509", "-config", CNF, "-key", kf, "-CA", w("inter.crt"),
        "-CAkey", w("inter.key"), "-days", days, "-subj", subj, "-addext", san,
        "-extensions", ext(c["key"]), "-out", w("c%d.pem" % i))

def mkcsr(i, name=None):
    s = csrs[i] if name is None else certs[i]
    run("openssl", "req", "-new", "-config", CNF, "-key", w("k%d.pem" % s["key"]),
        "-subj", "/O=Fleet Example/CN=%s" % s["cn"], "-addext", "subjectAltName=DNS:%s" % s["cn"],
        "-out", name or w("r%d.pem" % i))

pmap(sign, range(len(certs)))
pmap(mkcsr, range(len(csrs)))
for i, c in enumerate(certs):   # expired: openssl ca with fixed past dates, one at a time
    if c["mode"] == "expired":
        mkcsr(i, w("x%d.csr" % i))
        run("openssl", "ca", "-batch", "-config", CNF, "-notext", "-in", w("x%d.csr" % i),
            "-startdate", PAST_START, "-enddate", PAST_END, "-extensions", ext(c["key"]),
            "-out", w("c%d.pem" % i))

def pem_der(text):
    body = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
    return base64.b64decode(body)

# ---------------------------------------------------------------- write the tree
objects = []
keycache = {}
for path, parts in files:
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    data = b""
    idx = 0
    for pt in parts:
        if pt[0] == "raw":
            data += pt[1] if isinstance(pt[1], bytes) else pt[1].encode()
            if isinstance(pt[1], str) and "-----BEGIN" in pt[1] and "broken" not in path:
                idx += pt[1].count("-----BEGIN CERTIFICATE-----")
            continue
        kind, n, fmt = pt
        if kind == "key":
            ck = (n, fmt)
            if ck not in keycache:
                keycache[ck] = keytext(n, fmt)
            text = keycache[ck]
            kid = n
            what = "private-key" + ("-encrypted" if fmt == "enc" else "")
        else:
            text = open(w(("c%d.pem" if kind == "cert" else "r%d.pem") % n)).read()
            kid = (certs if kind == "cert" else csrs)[n]["key"]
            what = "certificate" if kind == "cert" else "csr"
        data += pem_der(text) if fmt == "der" else text.encode()
        ref = path if len(parts) == 1 else "%s#%d" % (path, idx)
        extra = ""
        if kind == "cert":
            extra = "cert%d\t%s\t%s" % (n, certs[n]["cn"], certs[n]["host"])
        objects.append((ref, what, "key%d" % kid, keys[kid]["type"], extra))
        idx += 1
    with open(full, "wb") as f:
        f.write(data)

# computed ground truth: orphans and reuse
with_cert = {o[2] for o in objects if o[1] in ("certificate", "csr")}
for o in objects:
    if o[1].startswith("private-key") and o[2] not in with_cert:
        planted.append(("orphan-key", [o[0]]))
bykey = {}
for o in objects:
    if o[1] == "certificate":
        bykey.setdefault(o[2], {}).setdefault(o[4].split("\t")[0], []).append(o)
for kid, cs in sorted(bykey.items()):
    if len(cs) < 2:
        continue
    subjects = {v[0][4].split("\t")[1] for v in cs.values()}
    hostset = {v[0][4].split("\t")[2] for v in cs.values()}
    if len(subjects) > 1 or len(hostset) > 1:
        planted.append(("key-reuse", sorted(o[0] for v in cs.values() for o in v)))

order_k = ["mismatch-same-stem", "mismatch-combined-pem", "mismatch-letsencrypt", "mismatch-nginx",
           "mismatch-apache", "mismatch-haproxy", "orphan-key", "key-reuse", "shared-prime",
           "duplicate-modulus", "weak-key", "expired", "expiring", "locked-key", "junk"]
planted.sort(key=lambda x: (order_k.index(x[0]), x[1]))
with open(os.path.join(out, "PLANTED.tsv"), "w") as f:
    f.write("# certsmith fleet ground truth: kind<TAB>paths... (paths relative to this directory)\n")
    f.write("# at\t%s\n" % AT.strftime("%Y-%m-%dT%H:%M:%SZ"))
    f.write("# expiring-days\t%d\n# password\t%s\n# hosts\t%d\n# seed\t%d\n" % (EXPIRING_DAYS, PASS, nhosts, seed))
    for kind, paths in planted:
        f.write(kind + "\t" + "\t".join(paths) + "\n")
with open(os.path.join(out, "OBJECTS.tsv"), "w") as f:
    f.write("# path[#index]\tkind\tkey-id\tkey-type\t[cert-id\tsubject-cn\thost]\n")
    for o in sorted(objects):
        f.write("\t".join(x for x in o if x) + "\n")
counts = {}
for kind, _ in planted:
    counts[kind] = counts.get(kind, 0) + 1
print("keys %d, certificates %d, CSRs %d, objects written %d" % (len(keys), len(certs), len(csrs), len(objects)))
print("planted: " + ", ".join("%s %d" % (k_, counts[k_]) for k_ in order_k if k_ in counts))
PY
end=$(date +%s.%N)
nfiles=$(find "$out" -type f ! -name PLANTED.tsv ! -name OBJECTS.tsv | wc -l)
echo "$nfiles files in $hosts hosts under $out, $(echo "$start $end" | awk '{printf "%.1f", $2 - $1}') s"
