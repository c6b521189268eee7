#!/bin/sh
# show --format json validates against docs/certsmith-1.schema.json over the
# whole corpus, good and bad inputs together.
. "$(dirname "$0")/lib.sh"

schema="$(dirname "$0")/../../docs/certsmith-1.schema.json"
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
if [ -z "$py" ]; then
	echo "python3 with jsonschema is needed (apt-get install python3-jsonschema)" >&2
	exit 1
fi

validate() {
	"$py" -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
	    "$schema" "$1"
}

cs show --format json --passin pass:certsmith "$CORPUS"/good/* "$CORPUS"/bad/*
check "whole corpus: exit 3 (bad inputs)" [ "$rc" = 3 ]
check "whole corpus: validates" validate "$TMPD/out"
check "whole corpus: every good object" [ "$("$JQ" '.objects | length' "$TMPD/out")" -ge "$(grep -v '^#' "$CORPUS/manifest.tsv" | tail -n +2 | wc -l)" ]
cs show --format json "$CORPUS"/good/rsa2048-enc-p8.key
check "locked key: validates" validate "$TMPD/out"

# lint adds profile, summary and findings; the same schema describes them.
cs lint --format json "$CORPUS"/good
check "lint good: exit 3 (locked keys)" [ "$rc" = 3 ]
check "lint good: validates" validate "$TMPD/out"
check "lint good: profile" [ "$("$JQ" -r .profile "$TMPD/out")" = default ]
check "lint good: summary" [ "$("$JQ" .summary.objects "$TMPD/out")" -gt 0 ]
check "lint good: findings" [ "$("$JQ" '[.objects[].findings[]] | length' "$TMPD/out")" -gt 0 ]
if [ -d "$CORPUS/lint" ]; then
	cs lint --format json --fail-on never "$CORPUS"/lint
	check "lint corpus/lint: validates" validate "$TMPD/out"
fi

# match writes match instead of objects; the same schema describes it.
cs match --format json "$CORPUS"/match/ec.key "$CORPUS"/match/*.crt "$CORPUS"/match/*.csr
check "match: exit 1 (mismatches)" [ "$rc" = 1 ]
check "match: validates" validate "$TMPD/out"
cs match --format json "$CORPUS"/match/ec-enc.key "$CORPUS"/match/ec.crt
check "match locked: validates" validate "$TMPD/out"

finish
