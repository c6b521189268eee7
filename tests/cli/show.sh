#!/bin/sh
# show --format json agrees with the corpus manifest (made with the openssl
# CLI) on kind, algorithm, bits, curve, SPKI SHA-256 and container for every
# object of every good file; PKCS#12 objects are compared as a set.
. "$(dirname "$0")/lib.sh"

manifest="$CORPUS/manifest.tsv"
grep -v '^#' "$manifest" | tail -n +2 | cut -f1 | sort -u >"$TMPD/files"

while read -r rel; do
	pass_arg=
	if awk -F'\t' -v p="$rel" '$1 == p && $9 != "-"' "$manifest" | grep -q .; then
		pass_arg=--passin=pass:certsmith
	fi
	cd "$CORPUS" && cs show --format json $pass_arg "$rel"
	if [ "$rc" != 0 ]; then
		not_ok "$rel: exit $rc: $(cat "$TMPD/err")"
		continue
	fi
	container=$(awk -F'\t' -v p="$rel" '$1 == p {print $8; exit}' "$manifest")
	# Index is compared except inside PKCS#12, whose order is the bags'.
	idx='(.source.index|tostring)'
	[ "$container" = pkcs12 ] && idx='"*"'
	"$JQ" -r ".objects[] | [.source.path, $idx, .kind,
	    (.key.algorithm // \"-\"), (.key.bits // \"-\" | tostring),
	    (.key.curve // \"-\"), (.key.spki_sha256 // \"-\"),
	    (.source.container // \"-\")] | @tsv" "$TMPD/out" | sort >"$TMPD/got"
	awk -F'\t' -v p="$rel" -v c="$container" 'BEGIN{OFS="\t"}
	    $1 == p { if (c == "pkcs12") $2 = "*"; print $1,$2,$3,$4,$5,$6,$7,$8 }' \
	    "$manifest" | sort >"$TMPD/want"
	if diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff"; then
		ok
	else
		not_ok "$rel differs from the manifest (< manifest, > certsmith):
$(cat "$TMPD/diff")"
	fi
done <"$TMPD/files"

finish
