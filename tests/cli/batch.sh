#!/usr/bin/env bash
# `kaohe eval RULES --batch FILE|-`: every good record scored, every bad one reported with its
# line number, output in input order, exit code 1 when any record failed.
set -u
kaohe=$1
rules=rulesets/seed/seed.kh
. "$(dirname "$0")/assert.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Good and bad lines interleaved, a blank line, a CRLF line.
chair=$(tr -d '\n' < examples/records/chair.json)
{
  echo "$chair"                                                                              # 1
  echo '{"id":"bad-json","role":"chair","year":2022,'                                        # 2: bad JSON
  echo ''                                                                                    # 3: blank
  sed -n 2p examples/records/all.jsonl                                                       # 4
  echo '{"id":"bad-type","role":"chair","year":2022,"measures":{"county_target_score":95,"reading_notes_chars":5000,"reflection_essays":3},"events":[{"type":"study_lte"}]}'  # 5
  printf '%s\r\n' "$(sed -n 3p examples/records/all.jsonl)"                                  # 6: CRLF
  echo '{"id":"bad-amount","role":"chair","year":2022,"measures":{"county_target_score":95,"reading_notes_chars":5000,"reflection_essays":3},"events":[{"type":"work_mistake","amount":9}]}'  # 7
  echo "$chair"                                                                              # 8, no newline at the end:
} > "$tmp/in.jsonl"
truncate -s -1 "$tmp/in.jsonl"

"$kaohe" eval "$rules" --batch "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
expect "a batch with bad records exits 1" "$rc" 1
expect "one result line per record (blank line skipped)" "$(wc -l < "$tmp/out.jsonl")" 7
contains "stderr counts the failures" "$(cat "$tmp/err")" "3 of 7 records could not be scored"
mapfile -t out < "$tmp/out.jsonl"
single=$("$kaohe" eval "$rules" examples/records/chair.json --format json)
expect "line 1: the same result as eval of one record" "${out[0]}" "$single"
contains "line 2: bad JSON, with its line number" "${out[1]}" '"message":"not valid JSON'
contains "line 2: where names the line" "${out[1]}" '"where":"line 2"'
contains "line 4 is scored, in order" "${out[2]}" "\"id\":\"$(sed -n 2p examples/records/all.jsonl | sed 's/.*"id":"\([^"]*\)".*/\1/')\""
contains "line 5: unknown event, line and field" "${out[3]}" '"where":"line 5: events[0].type"'
contains "line 5: keeps the record's id" "${out[3]}" '"id":"bad-type"'
contains "line 5: suggests the name" "${out[3]}" 'did you mean `study_late`'
contains "line 6 (CRLF) is scored" "${out[4]}" '"total":'
contains "line 7: amount out of range" "${out[5]}" '"where":"line 7: events[0].amount"'
expect "line 8 (no final newline) is scored" "${out[6]}" "$single"

# Standard input, and any thread count: the same bytes.
"$kaohe" eval "$rules" --batch - < "$tmp/in.jsonl" > "$tmp/stdin.jsonl" 2>/dev/null; rc=$?
expect "--batch - exits 1 too" "$rc" 1
expect "--batch - gives the same output" "$(cmp -s "$tmp/out.jsonl" "$tmp/stdin.jsonl" && echo same)" same

# Many chunks: the example records 400 times over, scored by 1 and by 3 threads.
for i in $(seq 400); do cat examples/records/all.jsonl; done > "$tmp/many.jsonl"
n=$(wc -l < "$tmp/many.jsonl")
"$kaohe" eval "$rules" --batch "$tmp/many.jsonl" --threads 1 > "$tmp/t1.jsonl"; rc=$?
expect "an all-good batch exits 0" "$rc" 0
expect "every record of a long batch has its line" "$(wc -l < "$tmp/t1.jsonl")" "$n"
"$kaohe" eval "$rules" --batch "$tmp/many.jsonl" --threads 3 > "$tmp/t3.jsonl"; rc=$?
expect "3 threads: exit 0" "$rc" 0
expect "3 threads: the same output, in input order" "$(cmp -s "$tmp/t1.jsonl" "$tmp/t3.jsonl" && echo same)" same
ids_in=$(sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/many.jsonl" | md5sum)
ids_out=$(sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/t3.jsonl" | md5sum)
expect "3 threads: ids in input order" "$ids_out" "$ids_in"

# --unit applies to every record.
"$kaohe" eval "$rules" --batch "$tmp/many.jsonl" --unit examples/records/unit.json --threads 2 > "$tmp/unit.jsonl"; rc=$?
expect "--unit: exit 0" "$rc" 0
single_unit=$("$kaohe" eval "$rules" examples/records/chair.json --unit examples/records/unit.json --format json)
expect "--unit: the same as eval of one record with the unit" "$(head -1 "$tmp/unit.jsonl")" "$single_unit"

# Usage errors.
"$kaohe" eval "$rules" --batch "$tmp/in.jsonl" --format text > /dev/null 2>&1; rc=$?
expect "--batch with --format text is refused" "$([ "$rc" -ne 0 ] && echo refused)" refused
"$kaohe" eval "$rules" > /dev/null 2>&1; rc=$?
expect "eval without a record or --batch is refused" "$([ "$rc" -ne 0 ] && echo refused)" refused
"$kaohe" eval "$rules" --batch "$tmp/missing.jsonl" > /dev/null 2>&1; rc=$?
expect "a missing input file exits 2" "$rc" 2

# A grade's quota (examples/quota/quota.kh: 优秀 at most 15% of each unit, round down, ties
# all_in): 2,000 records with totals all different give exactly 300 优秀.
awk 'BEGIN { for (i = 0; i < 2000; i++) { h = (i * 7919) % 2000; printf "{\"id\":\"q%d\",\"year\":2022,\"events\":[{\"type\":\"mistake\",\"amount\":%d.%02d}]}\n", i, h / 100, h % 100 } }' > "$tmp/quota.jsonl"
"$kaohe" eval examples/quota/quota.kh --batch "$tmp/quota.jsonl" --threads 2 > "$tmp/quota_out.jsonl"; rc=$?
expect "quota: exit 0" "$rc" 0
expect "quota: 15% of 2,000 keep 优秀" "$(grep -c '"grade":"优秀","outcome"' "$tmp/quota_out.jsonl")" 300
expect "quota: the others who reached it are past the quota" "$(grep -c '"by":"quota"' "$tmp/quota_out.jsonl")" 701
# Ties at the boundary: 99, then three at 95; 15% of 10 = 1.5 rounds to 2 places with `nearest`.
sed 's/round down ties all_in/round nearest ties all_in/' examples/quota/quota.kh > "$tmp/in.kh"
sed 's/round down ties all_in/round nearest ties all_out/' examples/quota/quota.kh > "$tmp/out.kh"
expect "quota: ties all_in keeps the three tied at 95" "$("$kaohe" eval "$tmp/in.kh" --batch examples/quota/ties.jsonl | grep -c '"grade":"优秀","outcome"')" 4
expect "quota: ties all_out keeps none of them" "$("$kaohe" eval "$tmp/out.kh" --batch examples/quota/ties.jsonl | grep -c '"grade":"优秀","outcome"')" 1
contains "quota: the outcome names the quota, the rank and the rule" "$("$kaohe" eval "$tmp/out.kh" --batch examples/quota/ties.jsonl | sed -n 2p)" \
  '"outcome":{"grade":"称职","by":"quota","band":"优秀 >= 90","rule":"'"$tmp"'/out.kh:6","quota":"优秀: 15% of 10 = 1.5, round nearest = 2, ties all_out","rank":2}'
head -1 examples/quota/ties.jsonl > "$tmp/one.json"
contains "quota: one record's grade is before the quota" "$("$kaohe" eval examples/quota/quota.kh "$tmp/one.json" --format json)" '"quota":"before"'
# `ties by highest attendance then all_in` (tests/language/quota_ties.test.kh, 20% round down):
# two tied at 95, the one with more days keeps 优秀.
printf '%s\n' \
  '{"id":"a","year":2022,"measures":{"attendance":249},"events":[{"type":"mistake","amount":5}]}' \
  '{"id":"b","year":2022,"measures":{"attendance":250},"events":[{"type":"mistake","amount":5}]}' \
  '{"id":"c","year":2022,"measures":{"attendance":0},"events":[{"type":"mistake","amount":40}]}' \
  '{"id":"d","year":2022,"measures":{"attendance":0},"events":[{"type":"mistake","amount":40}]}' \
  '{"id":"e","year":2022,"measures":{"attendance":0},"events":[{"type":"mistake","amount":40}]}' > "$tmp/days.jsonl"
out=$("$kaohe" eval tests/language/quota_ties.test.kh --batch "$tmp/days.jsonl")
contains "quota: ties by a measure ranks the one with more days first" "$(sed -n 2p <<<"$out")" '"grade":"优秀","outcome"'
contains "quota: the one with fewer days is past the quota, rank 2" "$(sed -n 1p <<<"$out")" \
  '"quota":"优秀: 20% of 5 = 1, round down, ties by highest attendance then all_in","rank":2}'
# The person's unit (tests/language/unit_stats.test.kh): 100, 92, 91, 91 have the mean 93.5, so
# 92, ranked 2 of 4, is held to 称职 by `total < unit_mean(total)`; each result says the unit's figures.
printf '%s\n' \
  '{"id":"a","year":2022,"measures":{"attendance":100},"events":[]}' \
  '{"id":"b","year":2022,"measures":{"attendance":90},"events":[{"type":"mistake","amount":8}]}' \
  '{"id":"c","year":2022,"measures":{"attendance":95},"events":[{"type":"mistake","amount":9}]}' \
  '{"id":"d","year":2022,"measures":{"attendance":85},"events":[{"type":"mistake","amount":9}]}' > "$tmp/unit.jsonl"
out=$("$kaohe" eval tests/language/unit_stats.test.kh --batch "$tmp/unit.jsonl" --threads 2)
contains "unit: below the unit's mean, 92 is held to 称职" "$(sed -n 2p <<<"$out")" '"grade":"称职","outcome"'
contains "unit: the result gives the unit's size, the rank and the means" "$(sed -n 2p <<<"$out")" \
  '"population":{"decided":true,"unit":"","people":4,"rank":2,"mean_total":93.5,"means":{"attendance":92.5}}'
head -2 "$tmp/unit.jsonl" | tail -1 > "$tmp/one_unit.json"
contains "unit: one record alone says the unit is not known" \
  "$("$kaohe" eval tests/language/unit_stats.test.kh "$tmp/one_unit.json" --format json)" '"population":{"decided":false,"unit":""}'

echo "cli batch: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
