#!/usr/bin/env bash
# The worked example of README.md's "Changing a policy", step by step, printing what the README
# quotes. It changes no file of the repository: the snapshot update runs on a copy in a temporary
# folder, rebuilt from rulesets/seed/ the way examples/policy-change/2023/ was made.
#
#   examples/policy-change/walkthrough.sh [BUILD_DIR]      (default: build, as scripts/build.sh makes it)
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=${1:-build}
kaohe=$build/cli/kaohe
[ -x "$kaohe" ] || { echo "walkthrough.sh: no $kaohe: build first (scripts/build.sh)" >&2; exit 2; }
old=rulesets/seed/seed.kh
new=examples/policy-change/2023/seed.kh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Shows a command as a user types it (`kaohe ...`, the population as population.jsonl), runs it,
# and shows its exit code; `run_tail N ...` shows only the last N lines of its output.
shown() { local s="$*"; s=${s//$tmp\//}; s=${s//$root\/$kaohe/kaohe}; echo "\$ ${s//$kaohe/kaohe}"; }
run() { echo; shown "$@"; "$@"; echo "(exit $?)"; }
run_tail() { local n=$1; shift; echo; shown "$@" "| tail -n $n"; "$@" | tail -n "$n"; echo "(exit ${PIPESTATUS[0]})"; }

echo "== 1. What changed"
run "$kaohe" diff "$old" "$new"

echo
echo "== 2. The tests: a copy of the seed's, with the revision's rule files"
mkdir -p "$tmp/examples/policy-change"
cp -r examples/policy-change/2023 "$tmp/examples/policy-change/2023"
rm -rf "$tmp/examples/policy-change/2023/tests"
cp -r rulesets/seed/tests "$tmp/examples/policy-change/2023/tests"
# The revision assesses 2023: the copied tests' dates move to 2023 (the error test's date outside
# the year to 2022), and their example records are the revision's own, examples/records/ moved to
# 2023 (2023/records/).
sed -i 's|"../../../examples/records/|"../records/|' "$tmp"/examples/policy-change/2023/tests/*.test.kh
sed -i 's/"2022-/"2023-/g; s/"2021-12-20"/"2022-12-20"/; s/outside the assessment year 2022/outside the assessment year 2023/' \
  "$tmp"/examples/policy-change/2023/tests/*.test.kh
(cd "$tmp" && run_tail 1 "$root/$kaohe" test examples/policy-change/2023/tests)
echo
echo "# 5000 characters of notes were enough; now 6000 are: the tests' clean value moves."
sed -i 's/reading_notes_chars: 5000/reading_notes_chars: 6000/g' "$tmp"/examples/policy-change/2023/tests/*.test.kh
(cd "$tmp" && run_tail 1 "$root/$kaohe" test examples/policy-change/2023/tests)
(cd "$tmp" && run "$root/$kaohe" test examples/policy-change/2023/tests --update)

echo
echo "== 3. Coverage and mutation testing, before the grade tests (tests/grades.test.kh)"
(cd "$tmp" && run "$root/$kaohe" test examples/policy-change/2023/tests --coverage)
(cd "$tmp" && cp "$root/$new" examples/policy-change/2023/seed.kh &&
  run "$root/$kaohe" mutate examples/policy-change/2023/seed.kh --threads 2)

echo
echo "== 4. The committed revision, with its grade tests"
run "$kaohe" test examples/policy-change/2023/tests --coverage --min-coverage 100
run "$kaohe" mutate "$new" --threads 2 --min-score 100

echo
echo "== 5. The impact on a generated population of 10,000 for 2022 (bench/generator.hpp, seed 2022),"
echo "==    scored by the revision as if for 2023 (--as-year)"
gen=$build/bench/kaohe_gen
[ -x "$gen" ] || gen=build-bench/bench/kaohe_gen
if [ ! -x "$gen" ]; then
  gen=$tmp/kaohe_gen
  c++ -std=c++20 -O2 -o "$gen" bench/gen.cpp
fi
"$gen" 10000 > "$tmp/population.jsonl"
run "$kaohe" diff "$old" "$new" --batch "$tmp/population.jsonl" --as-year --threads 2
echo
echo "\$ kaohe diff $old $new --batch population.jsonl --as-year --format json > impact.jsonl"
echo "\$ head -n 2 impact.jsonl; tail -n 1 impact.jsonl"
"$kaohe" diff "$old" "$new" --batch "$tmp/population.jsonl" --as-year --format json > "$tmp/impact.jsonl"
head -n 2 "$tmp/impact.jsonl"
tail -n 1 "$tmp/impact.jsonl"

echo
echo "== 6. Both versions as one scheme (examples/policy-change/versions.kh): each record by its year's"
head -n 1 "$tmp/population.jsonl" > "$tmp/two-years.jsonl"
head -n 1 "$tmp/population.jsonl" | sed 's/"year": *2022/"year":2023/; s/"2022-/"2023-/g' >> "$tmp/two-years.jsonl"
echo "\$ kaohe eval examples/policy-change/ --batch two-years.jsonl | cut -c1-100"
"$kaohe" eval examples/policy-change/ --batch "$tmp/two-years.jsonl" | cut -c1-100
