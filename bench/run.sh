#!/usr/bin/env bash
# Builds the benchmarks (build-bench/, Release) and runs them all: compile time, evaluation
# only (interpreter vs the hand-written scorer), end to end on JSON Lines (vs simdjson parsing
# only), 2 threads vs 1, and peak memory scoring 100,000 and 1,000,000 records with the CLI.
# Prints the tables that README.md's "Speed" section holds.
#
#   bench/run.sh                 everything (a few minutes)
#   BENCH_REPS=1 bench/run.sh    one repetition of each benchmark instead of 5 (quicker, noisier)
#   BENCH_SKIP_MEMORY=1 ...      without the 1,000,000-record memory runs
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${BENCH_REPS:-5}

scripts/setup.sh
dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed" || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends libbenchmark-dev >/dev/null
}
[ -x /usr/bin/time ] || {
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y -qq --no-install-recommends time >/dev/null
}

cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAOHE_BUILD_BENCH=ON \
      -DKAOHE_BUILD_TESTS=OFF -DKAOHE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-bench --parallel "$(nproc)" --target kaohe_bench kaohe_gen kaohe_cli > build-bench/build.log 2>&1 \
  || { cat build-bench/build.log; exit 1; }

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== population: bench/generator.hpp, seed 2022, ${KAOHE_BENCH_RECORDS:-10000} records"
echo
build-bench/bench/kaohe_bench --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.5

if [ -z "${BENCH_SKIP_MEMORY:-}" ]; then
  echo
  echo "Peak memory (max RSS) of 'kaohe eval rulesets/seed/seed.kh --batch -' (all cores), records generated into a pipe:"
  echo
  echo "| records   | input MiB | output MiB | max RSS MiB | seconds | records/s |"
  echo "|-----------|-----------|------------|-------------|---------|-----------|"
  for n in 10000 100000 1000000; do
    in_bytes=$(build-bench/bench/kaohe_gen "$n" | wc -c)
    log=$(mktemp)
    start=$(date +%s%N)
    build-bench/bench/kaohe_gen "$n" \
      | /usr/bin/time -v build-bench/cli/kaohe eval rulesets/seed/seed.kh --batch - 2> "$log" \
      | wc -c > "$log.out"
    end=$(date +%s%N)
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    out_bytes=$(cat "$log.out")
    ms=$(( (end - start) / 1000000 ))
    rss10=$(( rss_kb * 10 / 1024 ))
    printf "| %9d | %9d | %10d | %9d.%d | %4d.%02d | %9d |\n" "$n" $((in_bytes / 1048576)) $((out_bytes / 1048576)) \
      $((rss10 / 10)) $((rss10 % 10)) $((ms / 1000)) $((ms % 1000 / 10)) $(( n * 1000 / (ms > 0 ? ms : 1) ))
    rm -f "$log" "$log.out"
  done
fi
