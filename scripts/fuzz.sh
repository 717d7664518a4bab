#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus: the shipped rulesets and example records,
# plus the regression inputs in fuzz/regressions/. A crash fails the script; its input is left in
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
for target in rules record; do
  echo "fuzz: fuzz_$target for ${seconds}s"
  (cd build-fuzz && ./fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 "corpus/$target" 2>&1 | grep -E "^(#|stat::number_of_executed_units|==|SUMMARY|Done)" | tail -4) \
    || { echo "fuzz: fuzz_$target FAILED"; exit 1; }
done
echo "fuzz: no crash"
