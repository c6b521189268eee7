#!/bin/sh
# Lint benchmark: decode-only against decode + lint over the corpus, per
# object (issue 3's target: linting costs at most 2x decoding).
#
#   bench/run-lint.sh BENCH_LINT_BINARY [-t SECONDS] [-r]
#
# Every file under corpus/good and corpus/lint is used (encrypted keys stay
# locked, as in a run without --passin). CORPUS overrides the corpus.
set -u
[ $# -ge 1 ] || { echo "usage: $0 BENCH_LINT_BINARY [OPTION...]" >&2; exit 2; }
bench=$1
shift
srcdir=$(cd "$(dirname "$0")/.." && pwd) || exit 2
corpus=${CORPUS:-$srcdir/corpus}
list=$(mktemp "${TMPDIR:-/tmp}/cs-bench-lint.XXXXXX") || exit 2
trap 'rm -f "$list"' EXIT
find "$corpus/good" "$corpus/lint" -type f ! -name '*.tsv' ! -name '*.sh' \
    2>/dev/null | sort >"$list"
echo "== lint against decode (bench_lint, default profile) =="
# shellcheck disable=SC2046 # corpus paths hold no blanks
"$bench" "$@" $(cat "$list")
