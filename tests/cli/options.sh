#!/bin/sh
# The command line: help, version, usage errors, formats, -o written
# atomically and never over an input.
. "$(dirname "$0")/lib.sh"

good="$CORPUS/good/leaf-rsa2048.crt"

cs --version
check "--version" grep -q "^certsmith [0-9]" "$TMPD/out"
cs --help
check "--help exit 0" [ "$rc" = 0 ]
check "--help lists show" grep -q "^  show " "$TMPD/out"
cs show --help
check "show --help exit 0" [ "$rc" = 0 ]
check "show --help lists --passin" grep -q -- "--passin SPEC" "$TMPD/out"
cs
check "no command: exit 2" [ "$rc" = 2 ]
cs frobnicate
check "unknown command: exit 2" [ "$rc" = 2 ]
check "unknown command: message" grep -q "unknown command 'frobnicate'" "$TMPD/err"
cs show
check "no operand: exit 2" [ "$rc" = 2 ]
cs show --format yaml "$good"
check "bad format: exit 2" [ "$rc" = 2 ]
check "bad format: message" grep -q "format wants text|json|jsonl, not 'yaml'" "$TMPD/err"
cs show --no-such-option "$good"
check "bad option: exit 2" [ "$rc" = 2 ]
cs show --color sometimes "$good"
check "bad colour: exit 2" [ "$rc" = 2 ]
cs show --max-size -5 "$good"
check "bad max-size: exit 2" [ "$rc" = 2 ]
cs show --passin nonsense "$good"
check "bad passin: exit 2" [ "$rc" = 2 ]

# Options may follow the operands.
cs show "$good" --format json
check "option after operand: exit 0" [ "$rc" = 0 ]
check "option after operand: applied" [ "$("$JQ" -r .schema "$TMPD/out")" = "certsmith/1" ]

# Formats.
cs show --format json "$good"
check "json: exit 0" [ "$rc" = 0 ]
check "json: schema" [ "$("$JQ" -r .schema "$TMPD/out")" = "certsmith/1" ]
check "json: tool name" [ "$("$JQ" -r .tool.name "$TMPD/out")" = "certsmith" ]
check "json: no errors" [ "$("$JQ" '.errors | length' "$TMPD/out")" = 0 ]
check "json: findings array" [ "$("$JQ" '.objects[0].findings | length' "$TMPD/out")" = 0 ]
check "json: CSR self-signature valid" [ "$( "$CERTSMITH" show --format json "$CORPUS/good/csr-rsa2048-san.csr" | "$JQ" .objects[0].signature.valid)" = true ]
check "json: root self-signature valid" [ "$( "$CERTSMITH" show --format json "$CORPUS/good/root-ca.crt" | "$JQ" .objects[0].signature.valid)" = true ]
check "json: leaf signature not judged" [ "$("$JQ" .objects[0].signature.valid "$TMPD/out")" = null ]
cs show --format jsonl "$CORPUS/good/chain.pem" "$CORPUS/bad/empty.pem"
check "jsonl: exit 3" [ "$rc" = 3 ]
check "jsonl: one line per record" [ "$(wc -l <"$TMPD/out")" = 4 ]
check "jsonl: each line parses" quiet "$JQ" -e 'select(.schema == "certsmith/1") | .type' "$TMPD/out"
check "jsonl: error record" [ "$("$JQ" -r 'select(.type == "error") | .error.message' "$TMPD/out")" = "empty file" ]

# Text output: never key material, colour only when asked.
cs show "$CORPUS/good/rsa2048.key"
check "text: private key shown" grep -q "private-key" "$TMPD/out"
check "text: no key material" sh -c "! grep -q 'PRIVATE KEY\|MII' '$TMPD/out'"
cs show --color always "$good"
check "colour always" grep -q "$(printf '\033')" "$TMPD/out"
NO_COLOR=1 cs show --color auto "$good"
check "colour auto off a terminal" sh -c "! grep -q '$(printf '\033')' '$TMPD/out'"

# -o: written atomically, never over an input.
out="$TMPD/report.json"
cs show --format json -o "$out" "$good"
check "-o: exit 0" [ "$rc" = 0 ]
check "-o: nothing on stdout" [ ! -s "$TMPD/out" ]
check "-o: report written" [ "$("$JQ" -r .schema "$out")" = "certsmith/1" ]
check "-o: no temporary left" [ "$(ls "$TMPD" | grep -c 'report.json.tmp')" = 0 ]
cp "$good" "$TMPD/input.crt"
cs show -o "$TMPD/input.crt" "$TMPD/input.crt"
check "-o over input: exit 2" [ "$rc" = 2 ]
check "-o over input: input intact" cmp -s "$good" "$TMPD/input.crt"
cs show -o "$TMPD/no/such/dir/r.txt" "$good"
check "-o in a missing directory: exit 4" [ "$rc" = 4 ]
check "-o in a missing directory: message" grep -q "cannot create" "$TMPD/err"

finish
