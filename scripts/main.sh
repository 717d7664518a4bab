#!/usr/bin/env bash
# The main job: set up, build, and score the shipped example records with the seed ruleset.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
build/cli/kaohe check rulesets/seed/seed.kh
for record in examples/records/chair.json; do
  echo
  build/cli/kaohe eval rulesets/seed/seed.kh "$record"
done
