#!/usr/bin/env bash
# Every test: set up, build, run the test suite (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
scripts/build.sh
ctest --test-dir build --output-on-failure --timeout 600
echo "test.sh: finished in $(( $(date +%s) - start )) s"
