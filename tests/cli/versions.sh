#!/usr/bin/env bash
# A scheme's versions by year through the CLI, on the worked example (examples/policy-change/
# versions.kh: the seed for 2022, its revision for 2023): each record scored by its year's version
# and named in the result, a year without a version refused, and `diff --as-year` trying the
# revision on 2022's records.
set -u
kaohe=$1
. "$(dirname "$0")/assert.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
versions=examples/policy-change/
chair22=$(tr -d '\n' < examples/records/chair.json)
chair23=$(echo "$chair22" | sed 's/"year": 2022/"year": 2023/; s/"2022-/"2023-/g')
echo "$chair22" > "$tmp/chair-2022.json"
echo "$chair23" > "$tmp/chair-2023.json"

"$kaohe" check "$versions" 2> "$tmp/err"; rc=$?
expect "check: the two versions are clean" "$rc" 0

one=$("$kaohe" eval "$versions" "$tmp/chair-2022.json" --format json)
seed=$("$kaohe" eval rulesets/seed/seed.kh "$tmp/chair-2022.json" --format json)
expect "a 2022 record: the seed's result, its receipt naming the version" "$one" "$seed"
contains "the 2022 version in the receipt" "$one" '"version":"2022","ruleset":"sha256:'
two=$("$kaohe" eval "$versions" "$tmp/chair-2023.json" --format json)
rev=$("$kaohe" eval examples/policy-change/2023/seed.kh "$tmp/chair-2023.json" --format json)
expect "a 2023 record: the revision's result, its receipt naming the version" "$two" "$rev"
contains "the 2023 version in the receipt" "$two" '"version":"2023","ruleset":"sha256:'

{ echo "$chair22"; echo "$chair23"; echo "${chair22/\"year\": 2022/\"year\": 2021}"; } > "$tmp/in.jsonl"
"$kaohe" eval "$versions" --batch "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err"; rc=$?
expect "a batch with a record of a year no version is for exits 1" "$rc" 1
mapfile -t out < "$tmp/out.jsonl"
expect "batch line 1 as eval" "${out[0]}" "$one"
expect "batch line 2 as eval" "${out[1]}" "$two"
contains "batch line 3: R007 naming the years" "${out[2]}" '"code":"R007","message":"the record is for 2021 but the scheme has versions for the years 2022 and 2023 only","where":"line 3: year"'

"$kaohe" diff rulesets/seed/seed.kh examples/policy-change/2023/seed.kh --batch "$tmp/in.jsonl" > "$tmp/plain" 2>&1; rc=$?
expect "diff without --as-year: 2022's records fail under the 2023 revision" "$rc" 1
"$kaohe" diff rulesets/seed/seed.kh examples/policy-change/2023/seed.kh --batch "$tmp/chair-2022.json" --as-year > "$tmp/moved" 2>&1; rc=$?
expect "diff --as-year: 2022's record scored under the revision" "$rc" 0
contains "diff --as-year: scored under both" "$(cat "$tmp/moved")" "records: 1, scored under both: 1, errors: 0"
"$kaohe" diff rulesets/seed/seed.kh examples/policy-change/2023/seed.kh --batch "$tmp/chair-2022.json" --as-year \
  --unit examples/records/unit.json > /dev/null 2>&1; rc=$?
expect "diff --as-year refuses --unit (a usage error)" "$rc" 2

# `kaohe test` on a scheme's versions: each version's tests run against that version, so a
# failing test of an older version fails the run, whether the manifest or its folder is given.
scheme="$tmp/scheme"; mkdir -p "$scheme/2022" "$scheme/2023"
printf 'versions of "测试方案"\nversion "2022" year 2022 file "2022/kaohe.kh"\nversion "2023" year 2023 file "2023/kaohe.kh"\n' > "$scheme/versions.kh"
for y in 2022 2023; do
  cat > "$scheme/$y/kaohe.kh" <<EOF
policy "测试方案" version "$y" year $y total 100
event absent "缺勤"
section s "出勤" 100 {
  clause a "出勤" 100 { deduct $((y - 2021)) each absent }
}
test "缺勤一次" {
  events { absent }
  expect total = $((100 - (y - 2021)))
}
EOF
done
out=$("$kaohe" test "$scheme/versions.kh" 2>&1); rc=$?
expect "test of a manifest whose versions pass exits 0" "$rc" 0
contains "test of a manifest: 2022's test ran" "$out" "$scheme/versions.kh version \"2022\": 1 passed, 0 failed"
contains "test of a manifest: 2023's test ran" "$out" "$scheme/versions.kh version \"2023\": 1 passed, 0 failed"
contains "test of a manifest: both counted" "$out" "2 passed, 0 failed"
sed -i 's/expect total = 99/expect total = 77/' "$scheme/2022/kaohe.kh"
out=$("$kaohe" test "$scheme/versions.kh" 2>&1); rc=$?
expect "test of a manifest with a failing test in the older version exits 1" "$rc" 1
contains "the older version's failure is shown at its place" "$out" "$scheme/2022/kaohe.kh:6:1: FAIL: test \"缺勤一次\""
contains "the older version's count" "$out" "version \"2022\": 0 passed, 1 failed"
out=$("$kaohe" test "$scheme" 2>&1); rc=$?
expect "test of the scheme's folder runs the versions' tests too, and fails" "$rc" 1
contains "test of the folder: 1 passed, 1 failed" "$out" "1 passed, 1 failed"

# A test run that ran no test does not pass: nothing was checked.
mkdir -p "$tmp/empty"
out=$("$kaohe" test "$tmp/empty" 2>&1); rc=$?
expect "test of a folder without tests exits 1" "$rc" 1
contains "test of a folder without tests says so" "$out" "kaohe: no tests ran"
out=$("$kaohe" test rulesets/seed/seed.kh 2>&1); rc=$?
expect "test of a rule file without test blocks exits 1" "$rc" 1
contains "test of a rule file without test blocks says so" "$out" "kaohe: no tests ran"

# A manifest naming itself, or two manifests naming each other: C068, never a crash.
printf 'versions of "测试方案"\nversion "2022" year 2022 file "versions.kh"\n' > "$scheme/versions.kh"
out=$("$kaohe" check "$scheme" 2>&1); rc=$?
expect "check of a manifest naming itself exits 1" "$rc" 1
contains "check of a manifest naming itself: C068 at the file's name" "$out" "$scheme/versions.kh:2:31: error[C068]"
"$kaohe" eval "$scheme/versions.kh" "$tmp/chair-2022.json" > /dev/null 2>&1; rc=$?
expect "eval by a manifest naming itself exits 2" "$rc" 2
mkdir -p "$tmp/scheme2"
printf 'versions of "测试方案"\nversion "2022" year 2022 file "../scheme2"\n' > "$scheme/versions.kh"
printf 'versions of "测试方案"\nversion "2022" year 2022 file "../scheme/versions.kh"\n' > "$tmp/scheme2/versions.kh"
out=$("$kaohe" check "$scheme" 2>&1); rc=$?
expect "check of two manifests naming each other exits 1" "$rc" 1
contains "two manifests naming each other: C068" "$out" "error[C068]"

echo "cli versions: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
