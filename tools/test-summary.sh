#!/bin/sh
# Sum the cases of every test log under tests/ (CLI scripts print
# "N passed, N failed"; cmocka prints "[  PASSED  ] N test(s)." and
# "[  FAILED  ] N test(s)") into one closing line.
set -e
cd "${1:-.}"
find tests -name '*.log' ! -name test-suite.log -print0 | xargs -0 cat 2>/dev/null | awk '
	/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 }
	/^\[  PASSED  \] [0-9]+ test/ { p += $4 }
	/^\[  FAILED  \] [0-9]+ test/ { f += $4 }
	END { printf "%s: %d passed, %d failed\n", label, p, f }' label="${2:-tests}"
