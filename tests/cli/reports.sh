#!/bin/sh
# lint's reporters: JUnit validates against the Ant JUnit schema, SARIF
# against the OASIS SARIF 2.1.0 schema (both from the shared/ folder beside
# the repository), and say the same as the findings; text has the summary
# line and colour only when asked; exit codes.
. "$(dirname "$0")/lib.sh"

schemas="$CORPUS/../../shared/schemas"
if [ ! -f "$schemas/junit.xsd" ] || [ ! -f "$schemas/sarif-schema-2.1.0.json" ]; then
	echo "FAIL: the shared schemas are missing: expected junit.xsd and" \
	    "sarif-schema-2.1.0.json in $schemas (the shared/ folder beside" \
	    "the repository)" >&2
	exit 1
fi
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "python3 with jsonschema is needed (apt-get install python3-jsonschema)" >&2
	exit 1
fi
if ! command -v xmllint >/dev/null 2>&1; then
	echo "xmllint is needed (apt-get install libxml2-utils)" >&2
	exit 1
fi

junit_valid() {
	xmllint --noout --schema "$schemas/junit.xsd" "$1" 2>"$TMPD/xmllint"
}
sarif_valid() {
	"$py" -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
	    "$schemas/sarif-schema-2.1.0.json" "$1"
}
# failures FILE: the total of the suites' failures attributes.
failures() {
	xmllint --xpath 'sum(//testsuite/@failures)' "$1"
}

weak="$CORPUS/good/csr-rsa1024.csr"
clean="$CORPUS/good/csr-rsa2048-san.csr"
undecodable="$CORPUS/bad/random.bin"

dirs="$CORPUS/good"
[ -d "$CORPUS/lint" ] && dirs="$dirs $CORPUS/lint"
for d in $dirs; do
	base=${d##*/}
	# shellcheck disable=SC2086
	cs lint --format junit --fail-on never "$d"
	cp "$TMPD/out" "$TMPD/$base.xml"
	check "junit $base: validates" junit_valid "$TMPD/$base.xml"
	cs lint --format sarif --fail-on never "$d"
	cp "$TMPD/out" "$TMPD/$base.sarif"
	check "sarif $base: validates" sarif_valid "$TMPD/$base.sarif"
	cs lint --format json --fail-on never "$d"
	nf=$("$JQ" '[.objects[].findings[]] | length' "$TMPD/out")
	check "sarif $base: one result per finding" \
	    [ "$("$JQ" '.runs[0].results | length' "$TMPD/$base.sarif")" = "$nf" ]
done

# A 1024-bit RSA CSR: a failure in JUnit, a key.rsa.min-bits result in SARIF.
cs lint --format junit "$weak"
check "junit 1024: exit 1" [ "$rc" = 1 ]
check "junit 1024: validates" junit_valid "$TMPD/out"
check "junit 1024: a failure" [ "$(failures "$TMPD/out")" -ge 1 ]
check "junit 1024: on key.rsa.min-bits" quiet xmllint --xpath \
    '//testcase[@name="key.rsa.min-bits"]/failure[@type="error"]' "$TMPD/out"
cs lint --format sarif "$weak"
check "sarif 1024: exit 1" [ "$rc" = 1 ]
check "sarif 1024: validates" sarif_valid "$TMPD/out"
check "sarif 1024: ruleId" "$JQ" -e '.runs[0].results | any(.ruleId ==
    "key.rsa.min-bits" and .level == "error")' "$TMPD/out" >/dev/null
check "sarif 1024: ruleIndex names the rule" "$JQ" -e '.runs[0] as $r |
    $r.results | all(.ruleIndex == null or
    $r.tool.driver.rules[.ruleIndex].id == .ruleId)' "$TMPD/out" >/dev/null
check "sarif 1024: helpUri anchor" "$JQ" -e '.runs[0].tool.driver.rules |
    any(.helpUri | endswith("rules.md#keyrsamin-bits"))' "$TMPD/out" >/dev/null

# --fail-on moves findings between failures and system-out.
cs lint --format junit --fail-on never "$weak"
check "junit never: exit 0" [ "$rc" = 0 ]
check "junit never: no failure" [ "$(failures "$TMPD/out")" = 0 ]
check "junit never: finding in system-out" grep -q 'key.rsa.min-bits' "$TMPD/out"
cs lint --format junit --fail-on never "$CORPUS/good"
f_never=$(failures "$TMPD/out")
cs lint --format junit --fail-on error "$CORPUS/good"
f_error=$(failures "$TMPD/out")
cs lint --format junit --fail-on warning "$CORPUS/good"
f_warning=$(failures "$TMPD/out")
check "junit: --fail-on never, no failures" [ "$f_never" = 0 ]
check "junit: --fail-on error, failures" [ "$f_error" -ge 1 ]
check "junit: --fail-on warning at least as many" [ "$f_warning" -ge "$f_error" ]

# Undecodable input: an error test case, a notification, exit 3.
cs lint --format junit "$undecodable"
check "junit undecodable: exit 3" [ "$rc" = 3 ]
check "junit undecodable: validates" junit_valid "$TMPD/out"
check "junit undecodable: error case" [ "$(xmllint --xpath 'sum(//testsuite/@errors)' "$TMPD/out")" = 1 ]
cs lint --format sarif "$undecodable" "$clean"
check "sarif undecodable: exit 3" [ "$rc" = 3 ]
check "sarif undecodable: validates" sarif_valid "$TMPD/out"
check "sarif undecodable: notification" "$JQ" -e '.runs[0].invocations[0] |
    .executionSuccessful == false and
    (.toolExecutionNotifications | length) >= 1' "$TMPD/out" >/dev/null

# Hostile bytes in a path: control characters and XML specials.
hostile=$(printf '%s/we\001ak <&"\033[31m.csr' "$TMPD")
cp "$weak" "$hostile"
cs lint --format junit "$hostile"
check "junit hostile path: validates" junit_valid "$TMPD/out"
check "junit hostile path: escaped" grep -q 'we\\x01ak' "$TMPD/out"
cs lint --format sarif "$hostile"
check "sarif hostile path: validates" sarif_valid "$TMPD/out"
check "sarif hostile path: percent-encoded" grep -q 'we%01ak%20%3C%26%22%1B' "$TMPD/out"
cs lint --color always "$hostile"
check "text hostile path: no raw ESC from the name" grep -q 'x1b\[31m' "$TMPD/out"

# Text: a summary line, colour only when asked.
cs lint "$weak" "$clean"
check "text: exit 1" [ "$rc" = 1 ]
check "text: summary" grep -q '^2 objects in 2 files: 1 error, 0 warnings, 0 notices$' "$TMPD/out"
check "text: the finding" grep -q '^  error   key\.rsa\.min-bits \[key\] ' "$TMPD/out"
check "text: header" grep -q 'csr-rsa1024.csr \[0\] csr CN=' "$TMPD/out"
check "text: quiet on clean objects" [ "$(grep -c 'csr-rsa2048-san' "$TMPD/out")" = 0 ]
check "text: no escapes off a terminal" [ "$(grep -c "$(printf '\033')" "$TMPD/out")" = 0 ]
cs lint --color always "$weak"
check "text --color always: escapes" grep -q "$(printf '\033')\[31merror" "$TMPD/out"
NO_COLOR=1 cs lint "$weak"
check "text NO_COLOR: no escapes" [ "$(grep -c "$(printf '\033')" "$TMPD/out")" = 0 ]
cs lint --color never "$weak"
check "text --color never: no escapes" [ "$(grep -c "$(printf '\033')" "$TMPD/out")" = 0 ]
if command -v script >/dev/null 2>&1 && [ -z "$CS_WRAP" ]; then
	# On a terminal: colour, unless NO_COLOR says otherwise.
	script -qec "'$CERTSMITH' lint '$weak'" /dev/null >"$TMPD/tty" 2>&1
	check "tty: colour" grep -q "$(printf '\033')\[31m" "$TMPD/tty"
	NO_COLOR=1 script -qec "'$CERTSMITH' lint '$weak'" /dev/null >"$TMPD/tty" 2>&1
	check "tty NO_COLOR: no colour" [ "$(grep -c "$(printf '\033')\[31m" "$TMPD/tty")" = 0 ]
fi
cs lint "$undecodable" "$weak"
check "text undecodable: exit 3" [ "$rc" = 3 ]
check "text undecodable: summary" grep -q '; 1 input could not be read$' "$TMPD/out"

# Exit codes.
cs lint "$clean"
check "clean CSR: exit 0" [ "$rc" = 0 ]
check "clean CSR: summary only" [ "$(wc -l <"$TMPD/out")" = 1 ]
cs lint "$weak"
check "1024-bit CSR: exit 1" [ "$rc" = 1 ]
cs lint "$undecodable"
check "undecodable: exit 3" [ "$rc" = 3 ]

finish
