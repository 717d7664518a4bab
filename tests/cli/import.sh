#!/usr/bin/env bash
# `kaohe import RULES FILE... -o records.jsonl`: CSV sheets in (UTF-8 and GB18030), records out
# that score as the JSON examples do; problems one a line on standard error; exit 0, 1 and 2.
set -u
kaohe=$1
. "$(dirname "$0")/assert.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=tests/sheets/seed

out=$("$kaohe" import rulesets/seed/seed.kh $seed/登记表-人员名单.csv $seed/登记表-事件登记.csv $seed/登记表-单位事件.csv \
      -o "$tmp/records.jsonl" --unit-output "$tmp/unit.json" 2>&1); rc=$?
expect "import of good CSV sheets exits 0" "$rc" 0
expect "import of good CSV sheets says nothing" "$out" ""
expect "one record a person" "$(wc -l < "$tmp/records.jsonl")" 10
"$kaohe" eval rulesets/seed/seed.kh --batch "$tmp/records.jsonl" --unit "$tmp/unit.json" > "$tmp/from_sheets.jsonl"; rc=$?
expect "the imported records score" "$rc" 0
"$kaohe" eval rulesets/seed/seed.kh --batch examples/records/all.jsonl --unit examples/records/unit.json > "$tmp/from_json.jsonl"
expect "and score exactly as the same records written as JSON" "$(cmp "$tmp/from_sheets.jsonl" "$tmp/from_json.jsonl" && echo same)" same

bad=tests/bad-input/sheets/unknown_event_type
out=$("$kaohe" import rulesets/seed/seed.kh $bad/人员名单.csv $bad/事件登记.csv -o "$tmp/bad.jsonl" 2>&1); rc=$?
expect "a bad cell exits 1" "$rc" 1
contains "the problem at its cell, with the nearest" "$out" "事件登记.csv: 事件登记!C2: [S003] 未知的事件类型 \`集体学习迟道\`，是否为 \`集体学习迟到\`？"
contains "and a count" "$out" "kaohe: 1 problem; 0 of 2 people written"
expect "nothing is written" "$(test -e "$tmp/bad.jsonl" && echo written)" ""

out=$("$kaohe" import rulesets/seed/seed.kh $bad/人员名单.csv $bad/事件登记.csv -o "$tmp/kept.jsonl" --skip-bad 2>&1); rc=$?
expect "--skip-bad still exits 1" "$rc" 1
expect "--skip-bad writes the people without problems" "$(cut -c1-20 "$tmp/kept.jsonl")" '{"id":"2022-002","na'

echo '{"year":2022,"events":[{"type":"unit_excellent","date":"2022-12-31"}]}' > "$tmp/stale_unit.json"
out=$("$kaohe" import rulesets/seed/seed.kh $seed/登记表-人员名单.csv $seed/登记表-事件登记.csv \
      -o "$tmp/no_unit.jsonl" --unit-output "$tmp/stale_unit.json" 2>&1); rc=$?
expect "sheets with no unit event import" "$rc" 0
expect "--unit-output is written all the same, with no events, over an earlier import's" "$(cat "$tmp/stale_unit.json")" '{"year":2022,"events":[]}'
out=$("$kaohe" import rulesets/seed/seed.kh $bad/人员名单.csv $bad/事件登记.csv -o "$tmp/no_unit.jsonl" --unit-output "$tmp/stale_unit.json" 2>&1); rc=$?
expect "a failed import removes the records an earlier import wrote" "$(test -e "$tmp/no_unit.jsonl" && echo left)" ""
expect "and its unit record" "$(test -e "$tmp/stale_unit.json" && echo left)" ""

out=$("$kaohe" import rulesets/seed/seed.kh "$tmp/missing.csv" -o "$tmp/x.jsonl" 2>&1); rc=$?
expect "a file that cannot be read exits 2" "$rc" 2
contains "and says why" "$out" "kaohe: cannot read"
out=$("$kaohe" import rulesets/seed/seed.kh $seed/登记表-人员名单.csv 2>&1); rc=$?
expect "no -o is a usage error" "$rc" 2

echo "cli_import: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
