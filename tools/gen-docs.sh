#!/bin/sh
# gen-docs.sh CERTSMITH SRCDIR OUTDIR: write OUTDIR/rules.md (the rule
# catalogue) and OUTDIR/certsmith.1 (SRCDIR/docs/certsmith.1 with the
# RULES list between its markers regenerated) from the binary's table.
# `make docs` runs it with OUTDIR = SRCDIR/docs; tests/cli/rules-doc.sh
# runs it into a temporary directory and compares.
set -eu
bin=$1 src=$2 out=$3
begin='.\" BEGIN GENERATED RULES'
end='.\" END GENERATED RULES'

"$bin" rules --format md -o "$out/rules.md.tmp"
mv "$out/rules.md.tmp" "$out/rules.md"

"$bin" rules --format man -o "$out/rules.man.tmp"
B=$begin E=$end LIST="$out/rules.man.tmp" awk '
	BEGIN { b = ENVIRON["B"]; e = ENVIRON["E"]; list = ENVIRON["LIST"] }
	$0 == b { print; while ((getline l < list) > 0) print l; skip = 1; next }
	$0 == e { skip = 0 }
	!skip { print }
' "$src/docs/certsmith.1" >"$out/certsmith.1.tmp"
rm -f "$out/rules.man.tmp"
grep -qF "$begin" "$out/certsmith.1.tmp" && grep -qF "$end" "$out/certsmith.1.tmp" || {
	echo "gen-docs.sh: markers missing in $src/docs/certsmith.1" >&2
	rm -f "$out/certsmith.1.tmp"
	exit 1
}
mv "$out/certsmith.1.tmp" "$out/certsmith.1"
