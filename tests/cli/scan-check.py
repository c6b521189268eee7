#!/usr/bin/python3
"""Checks a `certsmith scan --format json` report against the ground truth
bench/gen-fleet.sh wrote (PLANTED.tsv, OBJECTS.tsv): every planted problem
found, no pair joining objects of different keys, no mismatch that was not
planted. Prints one line per failed check and the counts; exit 1 on any
failure.

    scan-check.py FLEET_DIR REPORT.json PREFIX
PREFIX is how the report's paths start (the root given to scan, with '/').
"""
import json
import sys

fleet, report, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
doc = json.load(open(report))
scan = doc["scan"]
ok = 0
bad = []


def check(name, cond):
    global ok
    if cond:
        ok += 1
    else:
        bad.append(name)


def rel(p):
    return p[len(prefix):] if p.startswith(prefix) else p


planted = []
for line in open(fleet + "/PLANTED.tsv"):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    planted.append((f[0], f[1:]))
keyid = {}
for line in open(fleet + "/OBJECTS.tsv"):
    if line.startswith("#"):
        continue
    f = line.rstrip("\n").split("\t")
    keyid[f[0]] = f[2]

mism = {(rel(m["key"]), rel(m["certificate"])): m["reason"] for m in scan["mismatches"]}
orphans = {rel(p) for p in scan["orphan_keys"]}
locked = {rel(p) for p in scan["locked_keys"]}
reused = [{rel(p) for p in r["certificates"]} for r in scan["reused_keys"]]
shared = [{rel(p) for p in f["paths"]} for f in scan["shared_factors"]]
dups = [{rel(p) for p in f["paths"]} for f in scan["duplicate_moduli"]]
weak = [{rel(p) for p in w["paths"]} for w in scan["weak_keys"]]
expiring = {rel(e["path"]): e["expired"] for e in scan["expiring"]}
objects = {rel(o["path"]) for o in doc["objects"]}
reasons = {"mismatch-same-stem": "same-stem", "mismatch-combined-pem": "combined-pem",
           "mismatch-letsencrypt": "letsencrypt", "mismatch-nginx": "nginx",
           "mismatch-apache": "apache", "mismatch-haproxy": "haproxy"}
want_mismatches = set()
for kind, paths in planted:
    if kind in reasons:
        for cert in paths[1:]:
            want_mismatches.add((paths[0], cert))
            check("%s %s %s" % (kind, paths[0], cert),
                  mism.get((paths[0], cert)) == reasons[kind])
    elif kind == "orphan-key":
        check("orphan %s" % paths[0], paths[0] in orphans)
    elif kind == "locked-key":
        check("locked %s" % paths[0], paths[0] in locked)
    elif kind == "key-reuse":
        check("reuse %s" % paths, any(set(paths) <= r for r in reused))
    elif kind == "shared-prime":
        check("shared prime %s" % paths, any(set(paths) <= s for s in shared))
    elif kind == "duplicate-modulus":
        check("duplicate modulus %s" % paths, any(set(paths) <= d for d in dups))
    elif kind == "weak-key":
        # the key; the certificate too unless it was also planted as a
        # mismatch (small fleets give one host both problems)
        check("weak %s" % paths[0], any(paths[0] in w for w in weak))
    elif kind in ("expired", "expiring"):
        check("%s %s" % (kind, paths[0]), expiring.get(paths[0]) == (kind == "expired"))
    elif kind == "junk":
        for p in paths:
            check("junk %s not an object" % p, p not in objects)
for pair in mism:
    check("mismatch %s %s was planted" % pair, pair in want_mismatches)
for p in scan["pairs"]:
    ids = {keyid.get(rel(x)) for x in p["keys"] + p["certificates"] + p["csrs"]}
    check("pair of one key %s" % p["spki_sha256"], len(ids) == 1 and None not in ids)
for o in orphans:
    check("orphan %s is planted" % o, ("orphan-key", [o]) in planted)
check("some pairs", len(scan["pairs"]) > 0)
for b in bad:
    print("FAIL: scan-check: " + b)
print("%d passed, %d failed" % (ok, len(bad)))
sys.exit(1 if bad else 0)
