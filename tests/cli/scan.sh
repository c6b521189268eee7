#!/bin/sh
# certsmith scan and merge: a fleet made by bench/gen-fleet.sh with planted
# mismatches, orphans, reuse, shared primes, weak, expired and locked keys
# and junk, checked against its ground truth by scan-check.py; determinism
# across thread counts; shards joined by merge; links, loops, usage errors,
# exit statuses.
. "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
GEN="$CORPUS/../bench/gen-fleet.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
F="$TMPD/fleet"

jqe() { "$JQ" -e "$@" >/dev/null; }

if ! "$GEN" "$F" -n 12 -s 3 -j 2 >"$TMPD/gen.log" 2>&1; then
	cat "$TMPD/gen.log" >&2
	not_ok "gen-fleet.sh failed"
	finish
	exit 1
fi
AT=$(grep '^# at' "$F/PLANTED.tsv" | cut -f2)
PW=$(grep '^# password' "$F/PLANTED.tsv" | cut -f2)

# scan-check NAME REPORT PREFIX: the report finds every planted problem.
scan_check() {
	if "$PY" "$HERE/scan-check.py" "$F" "$2" "$3" >"$TMPD/check.out"; then
		ok
	else
		cat "$TMPD/check.out" >&2
		not_ok "$1"
	fi
}

cs scan --format json --at "$AT" "$F"
cp "$TMPD/out" "$TMPD/scan.json"
check "fleet: exit 3 (broken PEM files in the fleet)" [ "$rc" = 3 ]
scan_check "fleet: every planted problem, no false pair" "$TMPD/scan.json" "$F/"
check "fleet: broken.pem named on stderr" grep -q 'broken.pem: block 1: truncated PEM block' "$TMPD/err"
check "fleet: motd is not an error" sh -c "! grep -q 'etc/motd' '$TMPD/err'"
check "fleet: schema" jqe '.schema == "certsmith/1"' "$TMPD/scan.json"
check "fleet: contract fields" jqe '.scan | has("roots") and has("files") and has("objects") and has("pairs") and has("mismatches") and has("orphan_keys") and has("locked_keys") and has("reused_keys") and has("shared_factors") and has("expiring")' "$TMPD/scan.json"
check "fleet: pair fields" jqe '.scan.pairs[0] | has("spki_sha256") and has("keys") and has("certificates") and has("csrs")' "$TMPD/scan.json"
check "fleet: mismatch fields" jqe '.scan.mismatches[0] | has("key") and has("certificate") and has("reason")' "$TMPD/scan.json"
check "fleet: errors listed" jqe '[.errors[].path | test("broken.pem$")] | all' "$TMPD/scan.json"

# The same report whatever the number of threads.
cs scan --format json --at "$AT" -j 1 "$F"
check "fleet: -j 1 gives the same report" cmp -s "$TMPD/out" "$TMPD/scan.json"
cs scan --format json --at "$AT" -j 7 "$F"
check "fleet: -j 7 gives the same report" cmp -s "$TMPD/out" "$TMPD/scan.json"

# With the password the encrypted keys open and pair.
cs scan --format json --at "$AT" --passin "pass:$PW" "$F"
check "fleet --passin: no locked key" jqe '.scan.locked_keys == []' "$TMPD/out"
check "fleet --passin: more pairs" [ "$("$JQ" '.scan.pairs | length' "$TMPD/out")" -gt "$("$JQ" '.scan.pairs | length' "$TMPD/scan.json")" ]

# A wrong password: the keys stay locked and each is an error.
cs scan --format json --at "$AT" --passin pass:wrong "$F"
check "fleet wrong --passin: exit 3" [ "$rc" = 3 ]
check "fleet wrong --passin: keys locked" jqe --slurpfile a "$TMPD/scan.json" '.scan.locked_keys == $a[0].scan.locked_keys' "$TMPD/out"
check "fleet wrong --passin: an error per locked key" jqe '([.errors[] | select(.path | test("postfix"))] | length) == (.scan.locked_keys | length)' "$TMPD/out"

# Text: the summary first, then the problems.
cs scan --at "$AT" "$F"
check "text: summary line" sh -c "head -1 '$TMPD/out' | grep -q '^scanned [0-9]* files'"
check "text: mismatch lines" [ "$(grep -c '^MISMATCH' "$TMPD/out")" = "$("$JQ" '.scan.mismatches | length' "$TMPD/scan.json")" ]
check "text: shared factor" grep -q '^SHARED-FACTOR' "$TMPD/out"

# JSONL: one JSON record per line, objects first.
cs scan --format jsonl --at "$AT" "$F"
check "jsonl: every line a record" "$JQ" -e -s 'all(.schema == "certsmith/1" and has("type"))' "$TMPD/out"
check "jsonl: first the scan record" sh -c "head -1 '$TMPD/out' | '$JQ' -e '.type == \"scan\"' >/dev/null"
check "jsonl: objects and mismatches" "$JQ" -e -s '(map(select(.type == "object")) | length) > 0 and (map(select(.type == "mismatch")) | length) > 0' "$TMPD/out"
check "jsonl: last the summary" sh -c "tail -1 '$TMPD/out' | '$JQ' -e '.type == \"summary\"' >/dev/null"
# Every record but the shared factors and the summary is written while
# batch GCD runs; the shared factors it finds follow them all, and -j 1
# writes the same.
check "jsonl: shared factors after the objects" "$JQ" -e -s '(map(.type) | index("shared_factor")) > (map(.type) | rindex("object"))' "$TMPD/out"
check "jsonl: shared factors after the weak keys" "$JQ" -e -s '(map(.type) | index("shared_factor")) > (map(.type) | rindex("weak_key"))' "$TMPD/out"
# The object records, written member by member, carry each member their
# kind has (a conditional member left out would still be JSON).
check "jsonl: certificate records whole" "$JQ" -e -s '[.[] | select(.type == "object" and .object.kind == "certificate") | .object | has("path") and has("spki_sha256") and has("ca") and has("not_after") and has("file") and has("index") and has("top") and has("self_issued") and has("not_after_epoch") and has("subject_hash")] | length > 0 and all' "$TMPD/out"
check "jsonl: key records whole" "$JQ" -e -s '[.[] | select(.type == "object" and .object.kind == "private-key") | .object | has("locked") and (has("ca") | not) and (has("not_after") | not) and has("self_issued")] | length > 0 and all' "$TMPD/out"
check "jsonl: each key's SPKI once" "$JQ" -e -s '[.[] | select(.type == "object" and (.object | has("spki"))) | .object.spki_sha256] | length > 0 and length == (unique | length)' "$TMPD/out"
cp "$TMPD/out" "$TMPD/scan.jsonl"
cs scan --format jsonl --at "$AT" -j 1 "$F"
check "jsonl: -j 1 gives the same records" cmp -s "$TMPD/out" "$TMPD/scan.jsonl"
# An output that cannot be made is said before the analysis, and no
# temporary file is left behind.
cs scan --format jsonl --at "$AT" -o "$TMPD/no/such/dir/out.jsonl" "$F"
check "jsonl: unwritable output: exit 4" [ "$rc" = 4 ]
check "jsonl: unwritable output named" grep -q 'no/such/dir' "$TMPD/err"

# Shards of one tree, joined by merge, find what one scan finds.
cs scan --format jsonl --at "$AT" --shard 0/3 --origin fleet -o "$TMPD/s0.jsonl" "$F"
cs scan --format jsonl --at "$AT" --shard 1/3 --origin fleet -o "$TMPD/s1.jsonl" "$F"
cs scan --format jsonl --at "$AT" --shard 2/3 --origin fleet -o "$TMPD/s2.jsonl" "$F"
n0=$("$JQ" -s 'map(select(.type == "object")) | length' "$TMPD/s0.jsonl")
n1=$("$JQ" -s 'map(select(.type == "object")) | length' "$TMPD/s1.jsonl")
n2=$("$JQ" -s 'map(select(.type == "object")) | length' "$TMPD/s2.jsonl")
check "shards: split the objects" [ "$((n0 + n1 + n2))" = "$("$JQ" '.scan.objects' "$TMPD/scan.json")" ]
check "shards: none empty" [ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ]
cs merge --format json --at "$AT" "$TMPD/s0.jsonl" "$TMPD/s1.jsonl" "$TMPD/s2.jsonl"
check "merge: exit 3 (the shards' errors)" [ "$rc" = 3 ]
cp "$TMPD/out" "$TMPD/merge.json"
scan_check "merge: every planted problem across shards" "$TMPD/merge.json" "fleet:$F/"
for k in pairs orphan_keys reused_keys shared_factors duplicate_moduli expiring weak_keys; do
	check "merge: as many $k as one scan" [ "$("$JQ" ".scan.$k | length" "$TMPD/merge.json")" = "$("$JQ" ".scan.$k | length" "$TMPD/scan.json")" ]
done
printf 'not json\n' >"$TMPD/bad.jsonl"
cs merge "$TMPD/bad.jsonl"
check "merge: garbage exit 3" [ "$rc" = 3 ]
check "merge: garbage named with its line" grep -q 'bad.jsonl: line 1: not JSON' "$TMPD/err"
: >"$TMPD/empty.jsonl"
cs merge "$TMPD/empty.jsonl"
check "merge: empty exit 3" [ "$rc" = 3 ]
cs merge "$TMPD/missing.jsonl"
check "merge: missing file exit 3" [ "$rc" = 3 ]
cs merge --format json --at "$AT" "$TMPD/bad.jsonl" "$TMPD/s0.jsonl" "$TMPD/s1.jsonl" "$TMPD/s2.jsonl"
check "merge: a bad file among good ones exit 3" [ "$rc" = 3 ]
check "merge: the good ones still merged" [ "$("$JQ" '.scan.pairs | length' "$TMPD/out")" = "$("$JQ" '.scan.pairs | length' "$TMPD/merge.json")" ]
head -1 "$TMPD/s0.jsonl" >"$TMPD/b64.jsonl"
printf '%s\n' '{"schema":"certsmith/1","type":"object","object":{"file":"x.pem","index":0,"kind":"certificate","spki_sha256":"00000000000000000000000000000000000000000000000000000000000000aa","spki":"@@@@"}}' >>"$TMPD/b64.jsonl"
cs merge "$TMPD/b64.jsonl"
check "merge: bad spki exit 3" [ "$rc" = 3 ]
check "merge: bad spki named with its line" grep -q 'b64.jsonl: line 2: an object record whose spki is not base64' "$TMPD/err"

# A small tree: a mismatch by name stem, a pair, an orphan; exit statuses.
T="$TMPD/tree"
mkdir -p "$T/a" "$T/b"
cp "$CORPUS/match/rsa.key" "$T/a/server.key"
cp "$CORPUS/match/rsa-other.crt" "$T/a/server.crt"
cp "$CORPUS/match/ec.key" "$T/b/web.key"
cp "$CORPUS/match/ec-compressed.crt" "$T/b/web.crt"
cp "$CORPUS/match/ed25519.key" "$T/b/spare.key"
cs scan --format json "$T"
check "tree: mismatch exit 1" [ "$rc" = 1 ]
check "tree: same-stem mismatch" jqe --arg k "$T/a/server.key" --arg c "$T/a/server.crt" '.scan.mismatches == [{"key": $k, "certificate": $c, "reason": "same-stem"}]' "$TMPD/out"
check "tree: compressed EC point pairs with its key" jqe --arg k "$T/b/web.key" '[.scan.pairs[].keys[]] | index($k) != null' "$TMPD/out"
check "tree: second key in b is an orphan, not a mismatch" jqe --arg k "$T/b/spare.key" '.scan.orphan_keys | index($k) != null' "$TMPD/out"
# Several stems in one directory: mismatches listed in walk order (names
# sorted), whatever the stems' hashes.
O="$TMPD/order"
mkdir -p "$O"
for n in zeta alpha mid beta; do
	cp "$CORPUS/match/rsa.key" "$O/$n.key"
	cp "$CORPUS/match/rsa-other.crt" "$O/$n.crt"
done
cs scan --format json "$O"
check "tree: same-stem mismatches in walk order" jqe '[.scan.mismatches[] | select(.reason == "same-stem") | .key | split("/") | last] == ["alpha.key", "beta.key", "mid.key", "zeta.key"]' "$TMPD/out"
cs scan --fail-on never "$T"
check "tree: --fail-on never exit 0" [ "$rc" = 0 ]
rm "$T/a/server.crt"
cs scan "$T"
check "tree: without the mismatch exit 0" [ "$rc" = 0 ]
cs scan --fail-on notice "$T"
check "tree: orphan keys are notices (exit 1 at --fail-on notice)" [ "$rc" = 1 ]

# Links: not followed by default; -L follows them, reports loops, and
# reads each file once.
ln -s ../b "$T/a/link-to-b"
ln -s .. "$T/b/loop"
ln -s web.crt "$T/b/web-link.crt"
cs scan --format json "$T"
check "links: not followed, exit 0" [ "$rc" = 0 ]
check "links: not followed, b read once" jqe '[.objects[].path | select(test("link"))] == []' "$TMPD/out"
cs scan --format json -L "$T"
check "-L: loop is an error, exit 3" [ "$rc" = 3 ]
check "-L: loop named" grep -q 'directory loop' "$TMPD/err"
check "-L: each file once" jqe '(.objects | length) == 4' "$TMPD/out"

# Junk: a large binary is skipped unread, a FIFO is not opened, a large
# PEM bundle (text) is read whole.
J="$TMPD/junk"
mkdir -p "$J"
head -c 200000 "$CERTSMITH" >"$J/program"
mkfifo "$J/fifo"
for i in $(seq 120); do cat "$CORPUS/match/int.crt"; done >"$J/bundle.pem"
cs scan --format json "$J"
check "junk: exit 0" [ "$rc" = 0 ]
check "junk: the bundle read whole" jqe '.scan.objects == 120' "$TMPD/out"
check "junk: binary and FIFO skipped" jqe '.scan.skipped_files == 1 and .errors == []' "$TMPD/out"

# The walk stats nothing: sizes and inodes come from the opened files.
# An empty file and one over --max-size are skipped unread, a hard link
# is read once, in every thread count, and only once across shards.
H="$TMPD/hard"
mkdir -p "$H/a" "$H/b"
cp "$CORPUS/match/int.crt" "$H/a/int.crt"
ln "$H/a/int.crt" "$H/b/int.crt"
: >"$H/b/empty.pem"
for i in $(seq 40); do cat "$CORPUS/match/int.crt"; done >"$H/b/big.pem"
for j in 1 3; do
	cs scan --format json -j "$j" --max-size 20000 "$H"
	check "hard link -j $j: read once" jqe '.scan.objects == 1 and .scan.files == 1' "$TMPD/out"
	check "hard link -j $j: empty and big skipped" jqe '.scan.skipped_files == 2' "$TMPD/out"
done
n=0
for k in 0 1 2 3; do
	cs scan --format json --shard "$k/4" "$H"
	n=$((n + $("$JQ" '[.objects[] | select(.path | test("int.crt$"))] | length' "$TMPD/out")))
done
check "hard link: read once across shards" [ "$n" = 1 ]

# Usage errors.
for bad in "--shard 2/2" "--shard 1" "--shard x/3" "-j 0" "--origin a:b"; do
	# shellcheck disable=SC2086
	cs scan $bad "$T"
	check "usage: $bad exit 2" [ "$rc" = 2 ]
done
switch_messages scan "$T"
cs scan -o "$T/b/web.key" "$T/b/web.key"
check "usage: -o over an input exit 2" [ "$rc" = 2 ]
check "usage: the input is kept" cmp -s "$T/b/web.key" "$CORPUS/match/ec.key"
cs scan "$TMPD/does-not-exist"
check "missing root exit 3" [ "$rc" = 3 ]

# JUnit and SARIF: valid against the shared schemas, every fleet check
# of the fleet among the results.
schemas="$CORPUS/../../shared/schemas"
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
if [ -f "$schemas/junit.xsd" ] && [ -n "$py" ] && command -v xmllint >/dev/null 2>&1; then
	cs scan --format junit --at "$AT" "$F"
	check "junit: exit 3" [ "$rc" = 3 ]
	check "junit: valid" xmllint --noout --schema "$schemas/junit.xsd" "$TMPD/out"
	check "junit: mismatch failures" [ "$(xmllint --xpath 'count(//testcase[@name="scan.mismatch"]/failure)' "$TMPD/out")" = "$("$JQ" '.scan.mismatches | length' "$TMPD/scan.json")" ]
	cs scan --format sarif --at "$AT" "$F"
	cp "$TMPD/out" "$TMPD/scan.sarif"
	check "sarif: valid" "$py" -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' "$schemas/sarif-schema-2.1.0.json" "$TMPD/scan.sarif"
	for id in scan.mismatch scan.shared-factor scan.duplicate-modulus scan.key-reuse scan.orphan-key scan.locked-key scan.keyless-certificate scan.expired scan.expiring key.rsa.min-bits; do
		check "sarif: $id tripped by the fleet" jqe --arg id "$id" '[.runs[0].results[].ruleId] | index($id) != null' "$TMPD/scan.sarif"
		check "sarif: $id described" jqe --arg id "$id" '[.runs[0].tool.driver.rules[].id] | index($id) != null' "$TMPD/scan.sarif"
	done
	cs scan --format sarif "$T"
	check "sarif: clean tree, no fleet check but orphan/keyless" jqe '[.runs[0].results[].ruleId | select(. != "scan.orphan-key" and . != "scan.keyless-certificate")] == []' "$TMPD/out"
	# corpus/match pairs every key and certificate: the checks that trip
	# on the fleet stay silent there (a clean input for each).
	cs scan --format sarif "$CORPUS/match"
	for id in scan.mismatch scan.shared-factor scan.duplicate-modulus scan.orphan-key scan.keyless-certificate scan.expired scan.expiring; do
		check "sarif: $id silent on corpus/match" jqe --arg id "$id" '[.runs[0].results[].ruleId] | index($id) == null' "$TMPD/out"
	done
else
	not_ok "junit/sarif: shared schemas, xmllint or python3-jsonschema missing"
fi

# --lint runs the catalogue on every object.
cs scan --format json --lint "$CORPUS/match"
check "--lint: objects carry findings" jqe '[.objects[] | has("findings")] | all' "$TMPD/out"
check "--lint: the DSA keys found by key.dsa" jqe '[.objects[] | select(.path | test("dsa.key$")) | .findings[].rule] | index("key.dsa") != null' "$TMPD/out"
cs scan --format json "$CORPUS/match"
check "without --lint: no findings per object" jqe '[.objects[] | has("findings")] | any | not' "$TMPD/out"
check "without --lint: DSA still a weak key" jqe '[.scan.weak_keys[].findings[].rule] | index("key.dsa") != null' "$TMPD/out"

finish
