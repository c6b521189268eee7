#!/bin/sh
# Every rule trips on its corpus input and stays silent on the clean ones.
# corpus/lint/*.tsv (file, args, trips, clean) name each input, the extra
# lint arguments it needs, the rule ids it must trip, and the rule ids that
# must run on it without a finding. Every rule of the catalogue must appear
# in some trips column and some clean column. The fleet checks (scan.*)
# are not lint rules: tests/cli/scan.sh trips each and has a clean tree.
. "$(dirname "$0")/lib.sh"

cd "$CORPUS" || exit 1
cs rules --format json
"$JQ" -r '.rules[] | select(.applies != ["fleet"]) | .id' "$TMPD/out" | sort >"$TMPD/catalogue"
: >"$TMPD/tripped"
: >"$TMPD/cleaned"

# in_list ID LIST: LIST is comma-separated.
in_list() { case ",$2," in *",$1,"*) return 0 ;; esac; return 1; }

check_row() {
	file=$1 args=$2 trips=$3 clean=$4
	[ "$args" = - ] && args=
	# shellcheck disable=SC2086
	cs lint --format json --fail-on never $args "$file"
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		not_ok "$file: lint exited $rc: $(cat "$TMPD/err")"
		return
	fi
	"$JQ" -r '.objects[].findings[].rule' "$TMPD/out" | sort -u >"$TMPD/found"
	"$JQ" -r '.objects[] | .checked[]?' "$TMPD/out" | sort -u >"$TMPD/ran"
	for id in $(echo "$trips" | tr ',' ' '); do
		[ "$id" = - ] && continue
		echo "$id" >>"$TMPD/tripped"
		if grep -qxF "$id" "$TMPD/found"; then ok; else
			not_ok "$file ${args:+($args) }should trip $id; found: $(tr '\n' ' ' <"$TMPD/found")"
		fi
	done
	for id in $(echo "$clean" | tr ',' ' '); do
		[ "$id" = - ] && continue
		echo "$id" >>"$TMPD/cleaned"
		if grep -qxF "$id" "$TMPD/found"; then
			not_ok "$file ${args:+($args) }should not trip $id: $("$JQ" -r --arg id "$id" \
			    '.objects[].findings[] | select(.rule == $id) | .message' "$TMPD/out" | head -3)"
		elif ! grep -qxF "$id" "$TMPD/ran"; then
			not_ok "$file ${args:+($args) }: $id did not run on it, so it proves nothing clean"
		else
			ok
		fi
	done
}

for manifest in lint/*.tsv; do
	[ -f "$manifest" ] || continue
	tab=$(printf '\t')
	while IFS=$tab read -r file args trips clean; do
		case $file in '#'* | '') continue ;; esac
		if [ ! -f "$file" ]; then
			not_ok "$manifest: no such input $file"
			continue
		fi
		check_row "$file" "$args" "$trips" "$clean"
	done <"$manifest"
done

sort -u "$TMPD/tripped" -o "$TMPD/tripped"
sort -u "$TMPD/cleaned" -o "$TMPD/cleaned"
for id in $(cat "$TMPD/catalogue"); do
	if grep -qxF "$id" "$TMPD/tripped"; then ok; else
		not_ok "rule $id has no input in corpus/lint/*.tsv that trips it"
	fi
	if grep -qxF "$id" "$TMPD/cleaned"; then ok; else
		not_ok "rule $id has no clean input in corpus/lint/*.tsv"
	fi
done
for id in $(cat "$TMPD/tripped" "$TMPD/cleaned" | sort -u); do
	if grep -qxF "$id" "$TMPD/catalogue"; then ok; else
		not_ok "corpus/lint names $id, which is not in the catalogue"
	fi
done

finish
