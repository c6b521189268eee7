#!/bin/sh
# docs/rules.md and the RULES list of docs/certsmith.1 are generated from
# the rule table: fail when the committed files differ from what the binary
# writes now; `certsmith rules` itself in its four formats.
. "$(dirname "$0")/lib.sh"

top="$(dirname "$0")/../.."
stale() {
	if cmp -s "$TMPD/gen/$1" "$top/docs/$1"; then return 0; fi
	echo "docs/$1 is stale: run make docs (and commit the result)" >&2
	diff -u "$top/docs/$1" "$TMPD/gen/$1" | head -20 >&2
	return 1
}

mkdir "$TMPD/gen"
check "generate" sh "$top/tools/gen-docs.sh" "$CERTSMITH" "$top" "$TMPD/gen"
check "docs/rules.md up to date" stale rules.md
check "docs/certsmith.1 up to date" stale certsmith.1

n=$("$CERTSMITH" rules --format json | "$JQ" '.rules | length')
cs rules
check "text: exit 0" [ "$rc" = 0 ]
check "text: header and one line per rule" [ "$(wc -l <"$TMPD/out")" -eq $((n + 1)) ]
check "text: key.rsa.min-bits" grep -q '^key\.rsa\.min-bits  *error ' "$TMPD/out"
cs rules --format json
check "json: schema" [ "$("$JQ" -r .schema "$TMPD/out")" = certsmith/1 ]
check "json: fields" "$JQ" -e '.rules | all(has("id") and has("severity") and
    has("applies") and has("summary") and has("citation") and has("params")
    and has("enabled_by_default"))' "$TMPD/out" >/dev/null
cs rules --format md
check "md: one heading per rule" [ "$(grep -c '^### `' "$TMPD/out")" -eq "$n" ]
check "md: anchor" grep -q '(#keyrsamin-bits)' "$TMPD/out"
cs rules --format man
check "man: one entry per rule" [ "$(grep -c '^\.TP' "$TMPD/out")" -eq "$n" ]
cs rules --format md -o "$TMPD/r.md"
check "-o: written" cmp -s "$TMPD/r.md" "$top/docs/rules.md"
cs rules --format sarif
check "rules --format sarif: usage error" [ "$rc" = 2 ]
if command -v man >/dev/null 2>&1; then
	check "man page renders" sh -c "MANWIDTH=80 man -l '$top/docs/certsmith.1' 2>&1 | grep -q 'key.rsa.min-bits'"
fi

finish
