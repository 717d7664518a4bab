#!/usr/bin/env bash
# The C ABI test (capi_test.c) against the CLI: makes the CLI's results for the shipped example
# records (alone, with the unit record, and a bad record), then runs the C test on them.
#   capi_test.sh KAOHE_CLI CAPI_TEST      (from the source tree's root)
set -euo pipefail
cli=$1; capi_test=$2
rules=rulesets/seed/seed.kh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
manifest=$tmp/manifest
: > "$manifest"
for record in examples/records/*.json; do
  [ "$(basename "$record")" = unit.json ] && continue
  out=$tmp/$(basename "$record" .json).out
  "$cli" eval "$rules" "$record" --format json > "$out"
  printf 'plain\t%s\t%s\n' "$record" "$out" >> "$manifest"
done
for record in examples/records/chair.json examples/records/office_clerk.json; do
  out=$tmp/$(basename "$record" .json).unit.out
  "$cli" eval "$rules" "$record" --unit examples/records/unit.json --format json > "$out"
  printf 'unit\t%s\t%s\n' "$record" "$out" >> "$manifest"
done
printf '{"id":"x1","role":"chair","year":2022,"evnts":[]}' > "$tmp/bad1.json"
printf '{"id":"x2","role":"chair","year":2022,"events":[{"type":"work_mistake","amount":9}]}' > "$tmp/bad2.json"
for bad in "$tmp/bad1.json" "$tmp/bad2.json"; do
  if "$cli" eval "$rules" "$bad" --format json > "$bad.out" 2>/dev/null; then
    echo "capi_test.sh: the CLI accepted $bad"; exit 1
  fi
  printf 'bad\t%s\t%s\n' "$bad" "$bad.out" >> "$manifest"
done
"$cli" eval "$rules" --batch examples/records/all.jsonl --threads 1 > "$tmp/all.out"
"$capi_test" "$rules" tests/golden/rules/check_three_errors.kh examples/records/unit.json "$manifest" \
  examples/records/all.jsonl "$tmp/all.out"
# Every other shipped ruleset (rulesets/NAME/NAME.kh, its records in examples/records/NAME/) and
# the fixture of every form (tests/hosts/NAME/NAME.kh, records in tests/hosts/NAME/records/): the
# C ABI's result equals the CLI's, byte for byte; a record of the wrong year is an error result
# equal to the CLI's too.
for dir in rulesets/*/ tests/hosts/*/; do
  name=$(basename "$dir")
  [ "$name" = seed ] && continue
  records=examples/records/$name; [ -d "${dir}records" ] && records=${dir}records
  shipped=$dir$name.kh; manifest=$tmp/$name.manifest; : > "$manifest"
  for record in "$records"/*.json; do
    out=$tmp/$name.$(basename "$record" .json).out
    "$cli" eval "$shipped" "$record" --format json > "$out"
    printf 'plain\t%s\t%s\n' "$record" "$out" >> "$manifest"
  done
  printf '{"id":"x","year":1999}' > "$tmp/$name.bad.json"
  "$cli" eval "$shipped" "$tmp/$name.bad.json" --format json > "$tmp/$name.bad.out" 2>/dev/null && {
    echo "capi_test.sh: the CLI accepted a record of the wrong year for $name"; exit 1; }
  printf 'bad\t%s\t%s\n' "$tmp/$name.bad.json" "$tmp/$name.bad.out" >> "$manifest"
  "$capi_test" --agree "$shipped" "$manifest"
done
