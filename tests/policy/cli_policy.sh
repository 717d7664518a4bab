#!/usr/bin/env bash
# `kaohe test --coverage/--update`, `kaohe mutate` and `kaohe diff` as a user meets them, on the
# small fixtures of tests/policy/ (tests/policy_test.cpp checks the same results through the API).
set -u
kaohe=$1
. "$(dirname "$0")/../cli/assert.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
weak=tests/policy/weak

# ---- mutate: the weak suite's survivors, the summary, the JSON summary, the gate
out=$("$kaohe" mutate $weak/rules.kh $weak/weak.test.kh --threads 2 2>&1); rc=$?
expect "mutate exits 0" "$rc" 0
expect "mutate lists 40 survivors" "$(grep -c ': survived: ' <<<"$out")" 40
contains "a survivor names its place and both phrases" "$out" \
  "$weak/rules.kh:20:32: survived: \"short of 3000\" -> \"short of 2999\""
contains "a removed cap survives as an empty phrase" "$out" "$weak/rules.kh:20:58: survived: \"at most 2\" -> \"\""
expect "the summary is the last line" "$(tail -n 1 <<<"$out")" "mutants: 51, killed: 11, survived: 40, score: 21.6%"
out=$("$kaohe" mutate $weak/rules.kh $weak/weak.test.kh --format json 2>&1)
expect "the JSON form ends with the summary" "$(tail -n 1 <<<"$out")" '{"summary":{"mutants":51,"killed":11,"survived":40}}'
expect "the JSON form has a line per mutant and per equivalent one" "$(wc -l <<<"$out" | tr -d ' ')" 54
"$kaohe" mutate $weak/rules.kh $weak/weak.test.kh --min-score 50 >/dev/null 2>&1; rc=$?
expect "mutate --min-score fails below the score" "$rc" 1
"$kaohe" mutate $weak/rules.kh tests/policy/update/update.test.kh >/dev/null 2>&1; rc=$?
expect "mutate with failing tests exits 2" "$rc" 2

# ---- test --coverage
out=$("$kaohe" test $weak/weak.test.kh --coverage 2>&1); rc=$?
expect "coverage exits 0 without a gate" "$rc" 0
expect "coverage ends with its summary" "$(tail -n 1 <<<"$out")" "rules covered: 2/5, boundaries covered: 1/11"
contains "coverage lists an uncovered rule" "$out" \
  "$weak/rules.kh:17:5: uncovered: rule \`deduct amount each mistake\`: no test moved a score through it"
contains "coverage lists an uncovered boundary" "$out" \
  "$weak/rules.kh:20:32: uncovered: threshold 3000 of \`deduct 1 per 1000 short of 3000 in notes rounding up at most 2\`: no test with notes below 3000"
"$kaohe" test $weak/weak.test.kh --coverage --min-coverage 8 >/dev/null 2>&1; rc=$?
expect "coverage at least 8%" "$rc" 0
"$kaohe" test $weak/weak.test.kh --coverage --min-coverage 50 >/dev/null 2>&1; rc=$?
expect "coverage below 50% fails the gate" "$rc" 1
out=$("$kaohe" test $weak/weak.test.kh --coverage --format json 2>&1)
contains "coverage as JSON" "$out" '"coverage":{"rules":{"covered":2,"total":5},"boundaries":{"covered":1,"total":11}'

# ---- test --update
mkdir -p "$tmp/weak" "$tmp/update"
cp $weak/rules.kh "$tmp/weak/"
cp tests/policy/update/update.test.kh "$tmp/update/"
out=$("$kaohe" test "$tmp/update/update.test.kh" --update 2>&1); rc=$?
expect "update exits 0 once everything passes" "$rc" 0
contains "update prints each change" "$out" "$tmp/update/update.test.kh:9: expect main.discipline = 7 -> 6"
contains "update prints a grade change" "$out" "$tmp/update/update.test.kh:18: expect grade = \"合格\" -> \"不合格\""
contains "update runs the tests again" "$out" "3 passed, 0 failed"
cmp -s "$tmp/update/update.test.kh" tests/policy/update/update.expected.kh; rc=$?
expect "update changes nothing else, byte for byte" "$rc" 0

# ---- diff: structure
out=$("$kaohe" diff tests/policy/diff/old.kh tests/policy/diff/new.kh 2>&1); rc=$?
expect "diff exits 0" "$rc" 0
contains "diff shows a changed rule with both places" "$out" "changed rule main.learning
    old tests/policy/diff/old.kh:19:5: deduct 1 per 1000 short of 3000 in notes rounding up
    new tests/policy/diff/new.kh:18:5: deduct 1 per 1000 short of 4000 in notes rounding up
    numbers: 3000 -> 4000"
expect "diff counts the changes" "$(tail -n 1 <<<"$out")" "10 changes"

# ---- diff --batch: one number changed, recounted with eval --batch under each ruleset
cp -r rulesets/seed "$tmp/seed"
sed -i 's/deduct 1 each study_late /deduct 2 each study_late /' "$tmp/seed/public.kh"
records="$tmp/records.jsonl"
for i in 1 2 3; do cat examples/records/all.jsonl; done > "$records"
echo '{"id":"bad","role":"nobody","year":2022}' >> "$records"
totals() { "$kaohe" eval "$1" --batch "$records" 2>/dev/null | sed -n 's/^{"id":"\([^"]*\)".*"total":\([-0-9.]*\),.*/\1 \2/p'; }
paste -d' ' <(totals rulesets/seed/seed.kh) <(totals "$tmp/seed/seed.kh") |
  awk '$2 != $4 { printf "%s %s %s\n", $1, $2, $4 }' > "$tmp/recount"
out=$("$kaohe" diff rulesets/seed/seed.kh "$tmp/seed/seed.kh" --batch "$records" --format json 2>"$tmp/err"); rc=$?
expect "diff --batch with a bad record exits 1" "$rc" 1
contains "the bad record is reported with its line" "$(cat "$tmp/err")" "line 31: record bad"
grep '"delta"' <<<"$out" | sed 's/^{"id":"\([^"]*\)","old":\([-0-9.]*\),"new":\([-0-9.]*\),.*/\1 \2 \3/' > "$tmp/reported"
expect "diff reports exactly the records whose totals the recount changes" "$(cat "$tmp/reported")" "$(cat "$tmp/recount")"
expect "some records changed" "$([ -s "$tmp/recount" ] && echo yes)" yes
n=$(wc -l < "$tmp/recount" | tr -d ' ')
expect "the JSON summary" "$(tail -n 1 <<<"$out")" "{\"summary\":{\"records\":31,\"changed\":$n,\"up\":0,\"down\":$n,\"errors\":1}}"
out=$("$kaohe" diff rulesets/seed/seed.kh "$tmp/seed/seed.kh" --batch "$records" 2>/dev/null)
contains "the text report counts the changes" "$out" "changed: $n (total up 0, down $n)"
contains "the text report draws a histogram" "$out" "│"
contains "the text report lists the movers" "$out" "largest movers:"

# ---- diff --batch with a quota: each ruleset's quota over the whole population. 15% of 10 = 1.5,
# round down = 1 keeps p1 alone; 20% of 10 = 2 keeps p1 and, ties all_in, the three tied at 95.
sed 's/quota 15%/quota 20%/' examples/quota/quota.kh > "$tmp/quota20.kh"
out=$("$kaohe" diff examples/quota/quota.kh "$tmp/quota20.kh" --batch examples/quota/ties.jsonl --format json 2>&1); rc=$?
expect "diff --batch between two quotas exits 0" "$rc" 0
expect "diff --batch shows the people whose grade the quota's share changed" "$(grep -o '^{"id":"[^"]*"\|"grade":\[[^]]*\]' <<<"$out" | paste -sd' ' -)" \
  '{"id":"p2" "grade":["称职","优秀"] {"id":"p3" "grade":["称职","优秀"] {"id":"p4" "grade":["称职","优秀"]'
expect "the quota diff's summary" "$(tail -n 1 <<<"$out")" '{"summary":{"records":10,"changed":3,"up":0,"down":0,"errors":0}}'

echo "cli_policy: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
