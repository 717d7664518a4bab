#!/usr/bin/env bash
# The main job: set up, build, and score the shipped example records with the seed ruleset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build/cli/kaohe check rulesets/seed/seed.kh
# Two people in full, explained; the chair also with the unit record (单位考核优秀, 单位荣誉).
for record in examples/records/chair.json examples/records/office_clerk.json; do
  echo
  build/cli/kaohe eval rulesets/seed/seed.kh "$record"
done
echo
echo "== the chair with the unit record examples/records/unit.json"
build/cli/kaohe eval rulesets/seed/seed.kh examples/records/chair.json --unit examples/records/unit.json --format json
echo
echo "== every role's example record, as JSON results"
for record in examples/records/*.json; do
  [ "$(basename "$record")" = unit.json ] && continue
  build/cli/kaohe eval rulesets/seed/seed.kh "$record" --format json
done
