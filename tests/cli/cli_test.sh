#!/usr/bin/env bash
# The CLI as a user meets it: exit codes, and what check and eval print.
set -u
kaohe=$1
fails=0; passes=0
expect() {  # expect NAME ACTUAL EXPECTED
  if [ "$2" == "$3" ]; then passes=$((passes+1)); else echo "FAIL: $1: got [$2], expected [$3]"; fails=$((fails+1)); fi
}
contains() {  # contains NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then passes=$((passes+1)); else echo "FAIL: $1: [$3] not in output:"; echo "$2"; fails=$((fails+1)); fi
}

out=$("$kaohe" check rulesets/seed/seed.kh 2>&1); rc=$?
expect "check of the seed ruleset exits 0" "$rc" 0

out=$("$kaohe" check tests/golden/rules/check_three_errors.kh 2>&1); rc=$?
expect "check with errors exits 1" "$rc" 1
contains "check reports file:line:column" "$out" "tests/golden/rules/check_three_errors.kh:6:19: error[C004]"
contains "check shows a caret" "$out" "|                   ^~~~~~~~~"
contains "check reports all three errors" "$out" "3 errors"

out=$("$kaohe" eval rulesets/seed/seed.kh examples/records/chair.json --format json 2>&1); rc=$?
expect "eval exits 0" "$rc" 0
contains "eval json has the hand-computed total" "$out" '"total":94.5'

out=$("$kaohe" eval rulesets/seed/seed.kh examples/records/chair.json 2>&1); rc=$?
contains "eval text has the total" "$out" "94.5"

tmp=$(mktemp); echo '{"id":"x1","role":"chair","year":2022,"evnts":[]}' > "$tmp"
out=$("$kaohe" eval rulesets/seed/seed.kh "$tmp" 2>&1); rc=$?
expect "eval of a bad record exits 1" "$rc" 1
contains "a bad record names the field and suggests" "$out" "did you mean \`events\`"
rm -f "$tmp"

out=$("$kaohe" eval tests/golden/rules/check_three_errors.kh examples/records/chair.json 2>&1); rc=$?
expect "eval with a broken ruleset exits 2" "$rc" 2

# A 20,000-term chain (a 40 KB file): the limit's error, not a crash.
tmp=$(mktemp --suffix=.kh)
{ printf 'policy "t" year 2022\nsection s "s" 5 { clause c "c" 5 {\n  deduct 0'; printf '+0%.0s' $(seq 19999); printf '\n} }\n'; } > "$tmp"
out=$("$kaohe" check "$tmp" 2>&1); rc=$?
expect "check of a 20,000-term chain exits 1" "$rc" 1
contains "a long chain is refused where it passes the depth limit" "$out" \
  "$tmp:3:521: error[P004]: expression more than 256 levels deep (the limit"
out=$("$kaohe" eval "$tmp" examples/records/chair.json 2>&1); rc=$?
expect "eval with a 20,000-term chain exits 2" "$rc" 2
rm -f "$tmp"

echo "cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
