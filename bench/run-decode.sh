#!/bin/sh
# Decode benchmark over corpus/good, with the openssl CLI for comparison.
#
#   bench/run-decode.sh BENCH_BINARY [BENCH_OPTION...]
#
# BENCH_BINARY is bench/bench_decode (make bench builds it and runs this).
# BENCH_OPTIONs go to it (-t SECONDS, -n ROUNDS). Files whose manifest rows
# need the password are kept out of the main figures and timed on their
# own with -p. CLI_SECONDS (default 2) is how long each openssl loop runs;
# CORPUS overrides the corpus directory.
set -u
set -f

usage() {
	echo "usage: $0 BENCH_BINARY [BENCH_OPTION...]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
bench=$1
shift
[ -x "$bench" ] || { echo "$0: $bench: not executable" >&2; exit 2; }

srcdir=$(cd "$(dirname "$0")/.." && pwd) || exit 2
corpus=${CORPUS:-$srcdir/corpus}
cli_secs=${CLI_SECONDS:-2}
password=certsmith
tab=$(printf '\t')
nl='
'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cs-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# One line per file: path, kind ("mixed" when it holds several kinds),
# container, 1 when a row needs the password.
awk -F'\t' -v pw="$password" '
	/^#/ || $1 == "path" || NF < 9 { next }
	!($1 in kind) { order[n++] = $1; kind[$1] = $3; cont[$1] = $8 }
	kind[$1] != $3 { kind[$1] = "mixed" }
	$9 == pw { enc[$1] = 1 }
	END {
		for (i = 0; i < n; i++) {
			p = order[i]
			printf "%s\t%s\t%s\t%d\n", p, kind[p], cont[p], enc[p] + 0
		}
	}' "$corpus/manifest.tsv" >"$tmp/files" || exit 2

plain=
locked=
while IFS=$tab read -r path kind cont enc; do
	f=$corpus/$path
	[ -f "$f" ] || continue
	if [ "$enc" = 1 ]; then
		locked=$locked$f$nl
	else
		plain=$plain$f$nl
		echo "$f$tab$kind$tab$cont" >>"$tmp/plain"
	fi
done <"$tmp/files"
[ -n "$plain" ] || { echo "$0: no files in $corpus/manifest.tsv" >&2; exit 2; }

echo "== certsmith decoder (bench_decode, one reused cs_decoder) =="
IFS=$nl
# shellcheck disable=SC2086 # one file per line, globbing is off
"$bench" "$@" $plain || exit 1
if [ -n "$locked" ]; then
	echo
	echo "== encrypted files, opened with the password (-p) =="
	# shellcheck disable=SC2086
	"$bench" "$@" -p "$password" $locked || exit 1
fi
unset IFS

# --- the openssl CLI over the same files ------------------------------

now() {
	t=$(date +%s.%N)
	case $t in
	*N) date +%s ;;
	*) echo "$t" ;;
	esac
}

# The openssl command that reads one file of a kind; nothing for
# containers and files of mixed kinds, which have no single command.
cli_line() {
	case $3 in
	pkcs7|pkcs12) return ;;
	esac
	case $2 in
	certificate) cmd=x509 ;;
	csr) cmd=req ;;
	private-key) cmd=pkey ;;
	public-key) cmd="pkey -pubin" ;;
	*) return ;;
	esac
	if grep -q -e '-----BEGIN' "$1"; then
		echo "$cmd -noout -in $1"
	else
		echo "$cmd -inform DER -noout -in $1"
	fi
}

# Write the command lines of kind $1 (all: every kind) to $2, keeping only
# those openssl runs cleanly.
cli_list() {
	: >"$2"
	while IFS=$tab read -r f kind cont; do
		[ "$1" = all ] || [ "$1" = "$kind" ] || continue
		line=$(cli_line "$f" "$kind" "$cont")
		if [ -z "$line" ]; then
			[ "$1" = all ] && echo "  skipped: $f ($kind${cont:+, $cont})"
			continue
		fi
		# shellcheck disable=SC2086
		if openssl $line >/dev/null 2>&1; then
			echo "$line" >>"$2"
		else
			echo "  openssl cannot read it, skipped: $f"
		fi
	done <"$tmp/plain"
}

cli_round() {
	while read -r line; do
		# shellcheck disable=SC2086
		openssl $line >/dev/null 2>&1
	done <"$1"
}

cli_time() {
	n=$(wc -l <"$2" | tr -d ' ')
	[ "$n" -gt 0 ] || return 0
	rounds=0
	start=$(now)
	while :; do
		cli_round "$2"
		rounds=$((rounds + 1))
		end=$(now)
		awk -v s="$start" -v e="$end" -v m="$cli_secs" \
		    'BEGIN { exit !(e - s < m) }' || break
	done
	awk -v g="$1" -v n="$n" -v r="$rounds" -v s="$start" -v e="$end" \
	    'BEGIN { printf "%-12s %6d %7d %9.3f %10.1f\n", g, n, r, e - s,
	    n * r / (e - s) }'
}

echo
echo "== openssl CLI loop: one 'openssl x509|req|pkey -noout' per file =="
openssl version
for g in all certificate csr private-key public-key; do
	cli_list "$g" "$tmp/cli-$g" >"$tmp/notes-$g"
done
cat "$tmp/notes-all"
printf '%-12s %6s %7s %9s %10s\n' group files rounds seconds files/s
for g in all certificate csr private-key public-key; do
	cli_time "$g" "$tmp/cli-$g"
done
