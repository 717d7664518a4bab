#!/usr/bin/env bash
# `kaohe verify RULES RECORD RESULT`: a stored result against what the rules give today; a
# one-character change in a rule file, an included file or the record is found, a move is not.
set -u
kaohe=$1
kaohe_abs=$(realpath "$kaohe")
. "$(dirname "$0")/assert.sh"

tmp=$(mktemp -d)
cp -r rulesets/seed "$tmp/a"
cp examples/records/chair.json "$tmp/chair.json"
"$kaohe" eval "$tmp/a/seed.kh" "$tmp/chair.json" --format json > "$tmp/result.json"

out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/chair.json" "$tmp/result.json" 2>&1); rc=$?
expect "verify of an unchanged result exits 0" "$rc" 0
expect "verify says the result is what the rules give" "$out" "the result is what these rules give for this record"

mkdir "$tmp/elsewhere"; mv "$tmp/a" "$tmp/elsewhere/moved"
out=$("$kaohe" verify "$tmp/elsewhere/moved/seed.kh" "$tmp/chair.json" "$tmp/result.json" 2>&1); rc=$?
expect "rule files moved to another folder still verify" "$rc" 0
mv "$tmp/elsewhere/moved" "$tmp/a"
out=$(cd "$tmp" && "$kaohe_abs" verify a/seed.kh chair.json result.json 2>&1); rc=$?
expect "verify from another working folder (the lines' rule paths as given differ)" "$rc" 0

cp -r "$tmp/a" "$tmp/b"
sed -i 's/deduct 1 each study_late /deduct 2 each study_late /' "$tmp/b/public.kh"
out=$("$kaohe" verify "$tmp/b/seed.kh" "$tmp/chair.json" "$tmp/result.json" 2>&1); rc=$?
expect "a one-character change in an included file fails verify" "$rc" 1
contains "verify says it is not what the rules give" "$out" "the result is not what these rules give for this record:"
contains "verify names the ruleset hash" "$out" "  the ruleset hash: the result has \"sha256:"
contains "verify names the total" "$out" '  the total: the result has 94.5, these rules give 92.5'
contains "verify names the clause score" "$out" '  the score of public.study.collective: the result has 4, these rules give 2'
lacks "the record hash is the same" "$out" "the record hash"

cp -r "$tmp/a" "$tmp/c"
sed -i 's/^# This root file/# this root file/' "$tmp/c/seed.kh"
out=$("$kaohe" verify "$tmp/c/seed.kh" "$tmp/chair.json" "$tmp/result.json" 2>&1); rc=$?
expect "a one-character change in a comment of the main file fails verify" "$rc" 1
contains "only the ruleset hash differs" "$out" "  the ruleset hash: "
lacks "the total is the same" "$out" "the total"

sed 's/大中心组学习迟到/大中心组学习迟了/' "$tmp/chair.json" > "$tmp/changed.json"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/changed.json" "$tmp/result.json" 2>&1); rc=$?
expect "a one-character change in the record fails verify" "$rc" 1
contains "verify names the record hash" "$out" "  the record hash: the result has \"sha256:"
contains "verify names the changed note" "$out" '  `lines` differs'

# The same record in another JSON spelling (one line, no spaces) verifies.
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), ensure_ascii=True, separators=(",", ":")))' \
  "$tmp/chair.json" > "$tmp/oneline.json"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/oneline.json" "$tmp/result.json" 2>&1); rc=$?
expect "another spelling of the same record verifies" "$rc" 0

sed 's/,"receipt":{[^}]*}}$/}/' "$tmp/result.json" > "$tmp/old.json"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/chair.json" "$tmp/old.json" 2>&1); rc=$?
expect "a result without a receipt fails verify" "$rc" 1
contains "verify says the result has no receipt" "$out" "the result has no receipt (it was written before results carried one)"

head -c 40 "$tmp/result.json" > "$tmp/cut.json"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/chair.json" "$tmp/cut.json" 2>&1); rc=$?
expect "a stored result that is not JSON exits 1" "$rc" 1
contains "verify says the result is not a JSON object" "$out" "cut.json: the stored result is not a JSON object"

echo '{"id":"x1","role":"chair","year":2022,"evnts":[]}' > "$tmp/bad.json"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/bad.json" "$tmp/result.json" 2>&1); rc=$?
expect "a bad record exits 1" "$rc" 1
contains "a bad record is reported as eval reports it" "$out" "did you mean \`events\`"

out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/chair.json" "$tmp/missing.json" 2>&1); rc=$?
expect "an unreadable result exits 2" "$rc" 2
contains "verify says the result cannot be read" "$out" "kaohe: cannot read result"
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/missing.json" "$tmp/result.json" 2>&1); rc=$?
expect "an unreadable record exits 2" "$rc" 2
out=$("$kaohe" verify tests/golden/rules/check_three_errors.kh "$tmp/chair.json" "$tmp/result.json" 2>&1); rc=$?
expect "verify with a broken ruleset exits 2" "$rc" 2
out=$("$kaohe" verify "$tmp/a/seed.kh" "$tmp/chair.json" 2>&1); rc=$?
expect "verify without a result is a usage error" "$rc" 2

# A batch result the quota lowered (examples/quota: 15% of 10 = 1.5, round down = 1; p2 reached
# 优秀 with 95 and is lowered to 称职): verify checks all but the population's part, exits 0 and
# says what it took from the result.
"$kaohe" eval examples/quota/quota.kh --batch examples/quota/ties.jsonl > "$tmp/quota.jsonl"
sed -n 2p "$tmp/quota.jsonl" > "$tmp/p2.result.json"
sed -n 2p examples/quota/ties.jsonl > "$tmp/p2.json"
out=$("$kaohe" verify examples/quota/quota.kh "$tmp/p2.json" "$tmp/p2.result.json" 2>&1); rc=$?
expect "a result the quota lowered verifies" "$rc" 0
contains "verify says the result is what the rules give, the quota's place aside" "$out" "the result is what these rules give for this record"
contains "verify says the quota's outcome was not re-checked" "$out" \
  "not checked: the quota's outcome (优秀: 15% of 10 = 1.5, round down = 1, ties all_in, rank 2, lowered to 称职) depends on the unit's population and was taken from the result, not re-checked"
sed -n 5p examples/quota/ties.jsonl > "$tmp/p5.json"
out=$("$kaohe" verify examples/quota/quota.kh "$tmp/p5.json" "$tmp/p2.result.json" 2>&1); rc=$?
expect "a lowered result against a record that never reached the quota's grade fails" "$rc" 1
contains "verify names the grade before the quota" "$out" "  the grade before the quota: the result's quota is on 优秀, these rules give 称职"

# The same quota in a scheme's versions: 2022's version has it, 2023's (the latest) has none. A
# 2022 result the quota lowered is verified against 2022's version, the one that scored it.
mkdir -p "$tmp/versions/2023"
sed -e 's/^policy "优秀比例" year 2022/policy "优秀比例" version "2022" year 2022/' examples/quota/quota.kh > "$tmp/versions/2022.kh"
sed -e 's/^policy "优秀比例" year 2022/policy "优秀比例" version "2023" year 2023/' -e 's/ quota 15% round down ties all_in//' \
  examples/quota/quota.kh > "$tmp/versions/2023/quota.kh"
printf 'versions of "优秀比例"\nversion "2022" year 2022 file "2022.kh"\nversion "2023" year 2023 file "2023/quota.kh"\n' > "$tmp/versions/versions.kh"
"$kaohe" eval "$tmp/versions/versions.kh" --batch examples/quota/ties.jsonl > "$tmp/vquota.jsonl"
sed -n 2p "$tmp/vquota.jsonl" > "$tmp/vp2.result.json"
out=$("$kaohe" verify "$tmp/versions/versions.kh" "$tmp/p2.json" "$tmp/vp2.result.json" 2>&1); rc=$?
expect "a 2022 result the quota lowered verifies against a scheme whose 2023 version has no quota" "$rc" 0
contains "verify reads the quota of the version that scored the record" "$out" \
  "not checked: the quota's outcome (优秀: 15% of 10 = 1.5, round down = 1, ties all_in, rank 2, lowered to 称职)"

# A batch result whose grade the unit's figures decided (tests/language/unit_stats.test.kh's rules):
# six people of 一科 at 100, 100, 94.33, 90, 90, 91.67, whose mean total is 566/6 = 283/3 =
# 94.333…, written 94.33; p3 at 94.33 is below the exact mean (but not below the written one) and
# so capped at 称职. Verify takes the unit's figures from the result, the exact mean from
# `mean_total_exact`, decides the grade again with them and compares the rest.
sed -n '/^policy/,/^flag/p' tests/language/unit_stats.test.kh > "$tmp/unit.kh"
n=0
for lost in 0 0 5.67 10 10 8.33; do
  n=$((n + 1))
  echo "{\"id\":\"p$n\",\"year\":2022,\"unit\":\"一科\",\"measures\":{\"attendance\":90},\"events\":[{\"type\":\"mistake\",\"amount\":$lost}]}"
done > "$tmp/unit.jsonl"
"$kaohe" eval "$tmp/unit.kh" --batch "$tmp/unit.jsonl" > "$tmp/unit.results.jsonl"
sed -n 3p "$tmp/unit.jsonl" > "$tmp/u3.json"
sed -n 3p "$tmp/unit.results.jsonl" > "$tmp/u3.result.json"
contains "the batch writes the exact mean beside the rounded one" "$(cat "$tmp/u3.result.json")" '"mean_total":94.33,"mean_total_exact":"283/3"'
out=$("$kaohe" verify "$tmp/unit.kh" "$tmp/u3.json" "$tmp/u3.result.json" 2>&1); rc=$?
expect "a result the unit's figures capped verifies" "$rc" 0
contains "verify says the result is what the rules give, the unit's figures aside" "$out" "the result is what these rules give for this record"
contains "verify says the unit's figures were taken from the result" "$out" \
  "not checked: the unit's figures (一科: 6 people, rank 3, mean total 94.33, mean attendance 90) depend on the unit's population and were taken from the result, not re-checked"
sed 's/,"mean_total_exact":"283\/3"//' "$tmp/u3.result.json" > "$tmp/u3.rounded.json"
out=$("$kaohe" verify "$tmp/unit.kh" "$tmp/u3.json" "$tmp/u3.rounded.json" 2>&1); rc=$?
expect "without the exact mean, the written 94.33 does not cap 94.33" "$rc" 1
contains "verify names the grade decided with the written mean" "$out" '  the grade: the result has "称职", these rules give "优秀"'
sed 's/"amount":5.67/"amount":5.66/' "$tmp/u3.json" > "$tmp/u3.changed.json"
out=$("$kaohe" verify "$tmp/unit.kh" "$tmp/u3.changed.json" "$tmp/u3.result.json" 2>&1); rc=$?
expect "a changed record under the unit's figures fails verify" "$rc" 1
contains "verify names the total" "$out" "  the total: the result has 94.33, these rules give 94.34"

rm -rf "$tmp"
echo "cli_verify: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
