#!/usr/bin/env bash
# Every command that writes exits 3 with the reason when writing fails (standard output on
# /dev/full or closed, a test file that cannot be rewritten), and --threads means the same in
# every command: 0 is one per core, and anything but 0..1024 is refused.
set -u
kaohe=$1
rules=rulesets/seed/seed.kh
. "$(dirname "$0")/assert.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
full="No space left on device"

# full NAME ARGS...: the command with standard output on /dev/full exits 3 and says why.
full() {
  local name=$1; shift
  local err rc
  err=$("$kaohe" "$@" 2>&1 >/dev/full); rc=$?
  expect "$name > /dev/full: exit 3" "$rc" 3
  contains "$name > /dev/full: says what failed and why" "$err" "kaohe: cannot write"
  contains "$name > /dev/full: with the reason" "$err" "$full"
}

bad="$tmp/bad.json"; echo '{"id":"x1","role":"chair","year":2022,"evnts":[]}' > "$bad"
for i in $(seq 300); do cat examples/records/all.jsonl; done > "$tmp/many.jsonl"
mkdir -p "$tmp/update" "$tmp/weak"
cp tests/policy/weak/rules.kh "$tmp/weak/"   # update.test.kh includes ../weak/rules.kh
cp tests/policy/update/update.test.kh "$tmp/update/"

full "eval" eval "$rules" examples/records/chair.json
full "eval --format json" eval "$rules" examples/records/chair.json --format json
full "eval of a bad record (its error result)" eval "$rules" "$bad" --format json
full "eval --batch" eval "$rules" --batch "$tmp/many.jsonl"
full "eval --batch -" eval "$rules" --batch - < examples/records/all.jsonl
full "test" test rulesets/seed/tests
full "test --format json" test rulesets/seed/tests --format json
full "test --coverage" test rulesets/seed/tests --coverage
full "mutate" mutate tests/policy/weak/rules.kh tests/policy/weak/weak.test.kh --threads 2
full "mutate --format json" mutate tests/policy/weak/rules.kh tests/policy/weak/weak.test.kh --format json
full "diff" diff tests/policy/diff/old.kh tests/policy/diff/new.kh
full "diff --format json" diff tests/policy/diff/old.kh tests/policy/diff/new.kh --format json
full "diff --batch" diff "$rules" "$rules" --batch examples/records/all.jsonl
"$kaohe" eval "$rules" examples/records/chair.json --format json > "$tmp/chair.result.json"
full "verify" verify "$rules" examples/records/chair.json "$tmp/chair.result.json"
full "verify of a changed record" verify "$rules" examples/records/driver.json "$tmp/chair.result.json"
full "--help" --help
full "eval --help" eval --help
full "--version" --version
full "test --update" test "$tmp/update/update.test.kh" --update

err=$("$kaohe" eval "$rules" --batch "$tmp/many.jsonl" 2>&1 >/dev/full)
contains "eval --batch counts what it read before stopping" "$err" "stopped after reading"

# Standard output closed: the same, with its own reason.
err=$("$kaohe" eval "$rules" examples/records/chair.json 2>&1 >&-); rc=$?
expect "eval with standard output closed: exit 3" "$rc" 3
contains "eval with standard output closed: why" "$err" "cannot write to standard output: Bad file descriptor"

# check writes its report to standard error: when that fails there is no one to tell, but the
# exit code says so; its standard output is unused.
"$kaohe" check "$rules" 2>/dev/full; rc=$?
expect "check 2> /dev/full: exit 3" "$rc" 3
"$kaohe" check "$rules" >/dev/full 2>/dev/null; rc=$?
expect "check > /dev/full: nothing to write there, exit 0" "$rc" 0
"$kaohe" check tests/golden/rules/check_three_errors.kh 2>/dev/full; rc=$?
expect "check of a broken file 2> /dev/full: exit 3, not 1" "$rc" 3

# The exit codes that do not write: 0, 1 and 2 are unchanged.
"$kaohe" eval "$rules" examples/records/chair.json > /dev/null 2>&1; rc=$?
expect "eval to a working output: exit 0" "$rc" 0
"$kaohe" eval "$rules" --bogus > /dev/null 2>&1; rc=$?
expect "a usage error exits 2" "$rc" 2
"$kaohe" > /dev/null 2>&1; rc=$?
expect "no subcommand exits 2" "$rc" 2

# ---- test --update when the test file cannot be rewritten: no file may grow (ulimit -f 0), so
# the new version cannot be written. The original stays byte for byte, no temporary file is left.
# (Both outputs go to a pipe, which the limit does not cover.)
cp tests/policy/update/update.test.kh "$tmp/update/update.test.kh"
out=$( (trap '' XFSZ; ulimit -f 0; "$kaohe" test "$tmp/update/update.test.kh" --update 2>&1) ); rc=$?
expect "test --update that cannot write the file: exit 3" "$rc" 3
contains "test --update says which file and why" "$out" \
  "kaohe: cannot write $tmp/update/update.test.kh (writing): File too large; the file is left as it was"
contains "test --update lists each expectation as not updated" "$out" "expect main.discipline = 7: not updated: cannot write"
cmp -s "$tmp/update/update.test.kh" tests/policy/update/update.test.kh; rc=$?
expect "test --update that cannot write leaves the file as it was" "$rc" 0
expect "test --update leaves no temporary file" "$(ls -A "$tmp/update")" "update.test.kh"
err=$( (trap '' XFSZ; ulimit -f 0; "$kaohe" test "$tmp/update/update.test.kh" --update 2>&1 >/dev/full) ); rc=$?
expect "test --update that can write neither the file nor standard output: exit 3" "$rc" 3
contains "... says the file" "$err" "kaohe: cannot write $tmp/update/update.test.kh (writing): File too large"
contains "... and standard output" "$err" "kaohe: cannot write to standard output: $full"
out=$( (trap '' XFSZ; ulimit -f 0; "$kaohe" test "$tmp/update/update.test.kh" --update --format json) 2>/dev/null); rc=$?
expect "test --update --format json that cannot write: exit 3" "$rc" 3
contains "test --update --format json gives the reason" "$out" '"applied":false,"why_not":"cannot write'

# A symlinked test file is rewritten where it points; the link stays a link.
mkdir -p "$tmp/linked"
cp tests/policy/update/update.test.kh "$tmp/linked/real.test.kh"
ln -s real.test.kh "$tmp/linked/link.test.kh"
"$kaohe" test "$tmp/linked/link.test.kh" --update > /dev/null 2>&1; rc=$?
expect "test --update through a symlink: exit 0" "$rc" 0
expect "the link is still a link" "$([ -L "$tmp/linked/link.test.kh" ] && echo link)" link
cmp -s "$tmp/linked/real.test.kh" tests/policy/update/update.expected.kh; rc=$?
expect "the file it points to is updated" "$rc" 0
chmod 640 "$tmp/update/update.test.kh"
"$kaohe" test "$tmp/update/update.test.kh" --update > /dev/null 2>&1
expect "test --update keeps the file's permissions" "$(stat -c %a "$tmp/update/update.test.kh")" 640
cmp -s "$tmp/update/update.test.kh" tests/policy/update/update.expected.kh; rc=$?
expect "test --update rewrites the file when it can" "$rc" 0

# ---- --threads: 0 is one per core, as in the help, the C ABI and Python; 1..1024 as given.
cores=$(nproc)
"$kaohe" eval "$rules" --batch "$tmp/many.jsonl" --threads 1 > "$tmp/t1.jsonl"
"$kaohe" eval "$rules" --batch "$tmp/many.jsonl" --threads 0 > "$tmp/t0.jsonl"; rc=$?
expect "eval --batch --threads 0: exit 0" "$rc" 0
expect "eval --batch --threads 0: the same output" "$(cmp -s "$tmp/t1.jsonl" "$tmp/t0.jsonl" && echo same)" same
out=$("$kaohe" mutate tests/policy/weak/rules.kh tests/policy/weak/weak.test.kh --threads 0 2>&1); rc=$?
expect "mutate --threads 0: exit 0" "$rc" 0
contains "mutate --threads 0: one thread per core" "$out" "on $cores thread"
out=$("$kaohe" diff "$rules" "$rules" --batch examples/records/all.jsonl --threads 0 2>&1); rc=$?
expect "diff --batch --threads 0: exit 0" "$rc" 0
contains "diff --batch --threads 0 scores every record" "$out" "records: 10, scored under both: 10"
for n in -1 1025 99999999999 two 1.5 ""; do
  for cmd in "eval $rules --batch $tmp/many.jsonl" "mutate tests/policy/weak/rules.kh" \
             "diff $rules $rules --batch examples/records/all.jsonl"; do
    err=$($kaohe $cmd --threads "$n" 2>&1 >/dev/null); rc=$?
    expect "${cmd%% *} --threads '$n': exit 2" "$rc" 2
    contains "${cmd%% *} --threads '$n': says what is allowed" "$err" \
      "--threads: takes 0 (one thread per core) or a number of threads from 1 to 1024, not \`$n\`"
  done
done

echo "cli write errors and threads: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
