#!/usr/bin/env bash
# The CLI as a user meets it: exit codes, and what check and eval print.
set -u
kaohe=$1
. "$(dirname "$0")/assert.sh"

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

# Test blocks are checked like rules: every wrong name in one run, each at its own place.
tmp=$(mktemp --suffix=.kh)
cat > "$tmp" <<'KH'
policy "p" year 2022
group leadership "领导"
event late "迟到"
event mistake "失误" amount 3..5
role r "r" { section s "s" 10 { clause c "c" 10 { deduct 1 each late  deduct amount each mistake } } }
test "typos" {
  role rr groups leadershp
  events { lat, mistake amount 9 }
  expect s.cc = 9
}
test "another error than the one expected" {
  role r
  events { late, mistake amount 9 }
  expect error "unknown role"
}
KH
for cmd in check test; do
  out=$("$kaohe" $cmd "$tmp" 2>&1); rc=$?
  expect "$cmd of a test block with typos exits 1" "$rc" 1
  contains "$cmd names the unknown role where it is written" "$out" "$tmp:7:8: error[C004]: unknown role \`rr\` (did you mean \`r\`?)"
  contains "$cmd names the unknown group" "$out" "$tmp:7:18: error[C004]: unknown group \`leadershp\` (did you mean \`leadership\`?)"
  contains "$cmd names the unknown event" "$out" "$tmp:8:12: error[C004]: unknown event \`lat\` (did you mean \`late\`?)"
  contains "$cmd names the amount out of range" "$out" "$tmp:8:32: error[C015]: amount 9 is outside the range 3..5"
  contains "$cmd names the unknown path" "$out" "$tmp:9:10: error[C004]: no role has a clause or section \`s.cc\`"
done
# Once the typos are fixed, a rejected record is shown where the block wrote its cause.
sed -i '6,10d' "$tmp"
out=$("$kaohe" test "$tmp" 2>&1); rc=$?
expect "a test whose record gets another error fails" "$rc" 1
contains "the rejection points at the amount in the block" "$out" \
  "$tmp:8:33: expect error \"unknown role\": the error was: amount 9 is outside the range 3..5"
rm -f "$tmp"

# One card for everyone: a scheme that declares no role scores records that name none.
card=tests/language/one_card.test.kh
tmp=$(mktemp -d)
echo '{"id":"v1","name":"张三","year":2022,"groups":["cadre"],"measures":{"meetings":3},"events":[{"type":"absent","count":3},{"type":"award"}]}' > "$tmp/v1.json"
echo '{"id":"v2","role":"cadre","year":2022,"measures":{"meetings":4}}' > "$tmp/v2.json"
out=$("$kaohe" eval "$card" "$tmp/v1.json" 2>&1); rc=$?
expect "eval of a role-less record exits 0" "$rc" 0
contains "the scorecard's header names no role" "$out" "v1 张三 · 2022"
contains "the scorecard shows the total" "$out" "Total 总分"
out=$("$kaohe" eval "$card" "$tmp/v1.json" --format json 2>&1); rc=$?
contains "a role-less result's role is null" "$out" '{"id":"v1","name":"张三","role":null,"total":44,'
out=$("$kaohe" eval "$card" "$tmp/v2.json" 2>&1); rc=$?
expect "a record naming a role in a role-less scheme exits 1" "$rc" 1
contains "the error says the scheme has no roles" "$out" "field \`role\` given, but the scheme declares no roles"
out=$(cat "$tmp/v1.json" "$tmp/v2.json" | "$kaohe" eval "$card" --batch - 2>&1); rc=$?
expect "a role-less batch with one bad record exits 1" "$rc" 1
contains "the batch scores the role-less record" "$out" '{"id":"v1","name":"张三","role":null,"total":44,'
contains "the batch rejects the record naming a role" "$out" '"code":"R003"'
contains "the batch names the line" "$out" '"where":"line 2: role"'
sed 's/deduct 2 each absent at most 10/deduct 3 each absent at most 10/' "$card" > "$tmp/new.kh"
out=$("$kaohe" diff "$card" "$tmp/new.kh" 2>&1); rc=$?
expect "diff of two role-less schemes exits 0" "$rc" 0
contains "diff lists the changed rule" "$out" "changed rule work.conduct"
lacks "diff lists no role" "$out" "role"
rm -rf "$tmp"

echo "cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
