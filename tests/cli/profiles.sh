#!/bin/sh
# Profiles: every shipped profile loads and lints; `--profile default` is
# plain `lint`; a broken profile exits 2 naming FILE:LINE and the reason;
# a profile's field rules trip where they should.
. "$(dirname "$0")/lib.sh"

: "${CERTSMITH_PROFILE_DIR:?run through make check}"
P="$CORPUS/profiles"
csr="$CORPUS/good/csr-rsa2048-san.csr"

# The findings of one run, one "rule severity field" line each, sorted.
findings() {
	"$JQ" -r '.objects[] | .source.path as $p | .findings[] |
	    "\($p) \(.rule) \(.severity) \(.field)"' "$TMPD/out" | sort
}

for xml in "$CERTSMITH_PROFILE_DIR"/*.xml; do
	name=$(basename "$xml" .xml)
	cs lint --format json --fail-on never --profile "$name" "$csr"
	if [ "$rc" != 0 ]; then
		not_ok "--profile $name: exit $rc: $(cat "$TMPD/err")"
	else
		ok
	fi
done

# default.xml is the built-in table, nothing more: the same report.
cs lint --format json --fail-on never "$CORPUS/good"
cp "$TMPD/out" "$TMPD/builtin"
findings >"$TMPD/builtin.findings"
cs lint --format json --fail-on never --profile default "$CORPUS/good"
check "default == builtin on corpus/good" cmp -s "$TMPD/builtin" "$TMPD/out"
check "corpus/good has findings to compare" [ -s "$TMPD/builtin.findings" ]

# A profile by path, extending a shipped one from elsewhere.
cs lint --format json --fail-on never --profile "$P/child.xml" "$csr"
check "--profile PATH extending cabf-br" [ "$rc" = 0 ]

# Broken profiles: exit 2, "FILE:LINE: reason" (loops and depth name the
# chain instead of a line).
while read -r file want; do
	cs lint --profile "$P/$file" "$csr"
	if [ "$rc" != 2 ]; then
		not_ok "$file: exit $rc, want 2"
	elif ! grep -q "$P/$file$want" "$TMPD/err"; then
		not_ok "$file: stderr lacks '$file$want': $(cat "$TMPD/err")"
	else
		ok
	fi
done <<EOT
unknown-rule.xml :4: no rule 'no.such-rule'
bad-param.xml :4: max-validity-days: 'forever'
bad-curve.xml :3: allowed-curves: unknown curve 'P-999'
bad-pattern.xml :4: pattern: missing closing parenthesis at offset 9
schema-error.xml :4: Element .*param.*no-such-param
not-xml.xml :3: .*mismatch
doctype.xml :[0-9]*: 
external-entity.xml :5: a DOCTYPE (DTD or entities) is not allowed
missing-parent.xml :2: extends: no profile 'no-such-profile'
loop-a.xml : extends loops: .*loop-b.xml -> .*loop-a.xml
deep1.xml : extends chain deeper than 8: 
EOT

cs lint --profile no-such-profile "$csr"
check "unknown NAME: exit 2" [ "$rc" = 2 ]
check "unknown NAME lists the shipped ones" \
    grep -q "no profile 'no-such-profile'.*shipped: .*cabf-br.*x-road-sign" \
    "$TMPD/err"

# Field rules: what trips, at the profile's severity, and what stays quiet.
cs lint --format json --fail-on never --profile "$P/org-rules.xml" "$csr"
findings >"$TMPD/org"
cat >"$TMPD/org.want" <<EOT
$csr field.pattern error subject.serialNumber
$csr field.pattern notice sans[0]
$csr field.pattern notice sans[1]
$csr field.pattern warning subject.O
EOT
check "org-rules findings" cmp -s "$TMPD/org" "$TMPD/org.want" ||
	diff "$TMPD/org.want" "$TMPD/org" >&2
cs lint --fail-on warning --profile "$P/org-rules.xml" "$csr"
check "field rule findings set the exit status" [ "$rc" = 1 ]

# Shipped profiles' own field rules.
cs lint --format json --fail-on never --profile x-road-auth "$csr"
check "x-road-auth: C is required" [ "$("$JQ" '[.objects[].findings[] |
    select(.rule == "field.pattern" and .field == "subject.C")] | length' \
    "$TMPD/out")" = 1 ]
cs lint --format json --fail-on never --profile smime "$csr"
check "smime: the email SAN is fine, DNS SANs are not" [ "$("$JQ" -c \
    '[.objects[].findings[] | select(.rule == "field.pattern") | .field]' \
    "$TMPD/out")" = '["sans[0]","sans[1]"]' ]

finish
