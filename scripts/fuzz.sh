#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus: the shipped rulesets and example records,
# generated long chains and odd characters, plus the regression inputs in fuzz/regressions/,
# with a dictionary per target (fuzz/rules.dict, fuzz/record.dict, fuzz/workbook.dict). A crash fails the script; its input is left in
# build-fuzz/ and belongs in fuzz/regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
# clang and its sanitizer/fuzzer runtime, from Debian's packages.
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKAOHE_BUILD_FUZZ=ON \
  -DKAOHE_BUILD_TESTS=OFF -DKAOHE_BUILD_CLI=OFF -DKAOHE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)"
export KAOHE_FUZZ_RULES=$PWD/rulesets/seed/seed.kh
corpus=build-fuzz/corpus
rm -rf "$corpus"; mkdir -p "$corpus/rules" "$corpus/record"
find rulesets tests/golden -name '*.kh' -exec cp {} "$corpus/rules/" \; 2>/dev/null || true
i=0; for f in $(find rulesets -name '*.kh'); do cp "$f" "$corpus/rules/seed_$i.kh"; i=$((i+1)); done
cp examples/records/*.json "$corpus/record/" 2>/dev/null || true
[ -d tests/bad-input/records ] && cp tests/bad-input/records/* "$corpus/record/" 2>/dev/null || true
[ -d fuzz/regressions/rules ] && cp fuzz/regressions/rules/* "$corpus/rules/" 2>/dev/null || true
[ -d fuzz/regressions/record ] && cp fuzz/regressions/record/* "$corpus/record/" 2>/dev/null || true
# Seeds of long flat chains and deep nesting, near and past each limit, so that mutation reaches
# the inputs whose size (not their nesting in the grammar) makes a tree deep.
rule_seed() {  # name, rule text of one clause
  printf 'policy "f" year 2022\ngroup g "g"\nevent e "e"\nrole chair "c"\nsection s "s" 100 { clause c "c" 100 {\n  %s\n} }\n' "$2" \
    >"$corpus/rules/gen_$1.kh"
}
chain() { local out="$2" i; for ((i = 1; i < $3; i++)); do out+="$1$2"; done; printf '%s' "$out"; }
for n in 200 300 2000; do
  rule_seed "sum_$n" "deduct $(chain + 0 $n)"
  rule_seed "product_$n" "deduct $(chain ' * ' 1 $n)"
  rule_seed "and_$n" "deduct 1 when $(chain ' and ' g $n)"
  rule_seed "or_$n" "deduct 1 each e where $(chain ' or ' g $n)"
  rule_seed "min_$n" "deduct min($(chain , 0 $n))"
  rule_seed "times_$n" "deduct 1$(chain ' times 1/2 if g' '' $((n / 10)))"
  rule_seed "not_$n" "deduct 1 when $(chain 'not ' '' $((n / 4)))g"
done
rule_seed sum_20000 "deduct $(chain + 0 20000)"  # the checker's old stack overflow, 40 KB
rule_seed fullwidth "deduct １ each e　when ｇ"
rule_seed invisible $'deduct 1 each \u200be\u2060 when g'
printf '\xef\xbb\xbfpolicy "f" year 2022\n' >"$corpus/rules/gen_bom.kh"
record_seed() { printf '{"id":"f","role":"chair","year":2022,"measures":{"county_target_score":%s},"events":[%s]}' "$2" "$3" \
  >"$corpus/record/gen_$1.json"; }
record_seed tiny 1e-400 ''
record_seed places "0.$(chain '' 0 330)1" ''
record_seed count 95 '{"type":"study_late","count":9223372036854775808}'
record_seed events 95 "$(chain , '{"type":"study_late"}' 2000)"
record_seed fullwidth '９５' '{"type"：“study_late”}'
# Workbooks: the bad-input suite's files and the seed records as sheets (CSV and an .xlsx).
mkdir -p "$corpus/workbook"
for d in tests/bad-input/sheets tests/sheets fuzz/regressions/workbook; do
  [ -d "$d" ] || continue
  find "$d" -type f \( -name '*.xlsx' -o -name '*.csv' \) | while read -r f; do cp "$f" "$corpus/workbook/$(echo "$f" | tr '/' '_')"; done
done
for target in rules record workbook; do
  echo "fuzz: fuzz_$target for ${seconds}s"
  (cd build-fuzz && ./fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
     -dict="../fuzz/$target.dict" -print_final_stats=1 "corpus/$target" 2>&1 | grep -E "^(#|stat::number_of_executed_units|==|SUMMARY|Done)" | tail -4) \
    || { echo "fuzz: fuzz_$target FAILED"; exit 1; }
done
echo "fuzz: no crash"
