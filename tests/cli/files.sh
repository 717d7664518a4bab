#!/usr/bin/env bash
# Files that are not regular files, and files over their size limit, as every command meets them:
# each is refused at once with a message that says what the file is (each run is guarded by
# `timeout 10`, so a read that blocks fails the test instead of hanging it).
set -u
kaohe=$1
. "$(dirname "$0")/assert.sh"
run() { timeout 10 "$kaohe" "$@"; }  # exit status 124: it hung
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seed=rulesets/seed/seed.kh
chair=examples/records/chair.json
fifo=$tmp/fifo
mkfifo "$fifo"
isfifo="it is a FIFO (named pipe), not a regular file"

# ---- a FIFO (no writer: opening it for reading used to block for ever)
out=$(run check "$fifo" 2>&1); rc=$?
expect "check of a FIFO exits 1" "$rc" 1
contains "check of a FIFO says what it is" "$out" "error[P003]: cannot read rule file $fifo: $isfifo"
out=$(run eval "$fifo" $chair 2>&1); rc=$?
expect "eval with a FIFO as the ruleset exits 2" "$rc" 2
contains "eval with a FIFO as the ruleset says so" "$out" "$isfifo"
printf 'policy "t" year 2022\ninclude "fifo"\n' > "$tmp/includes_fifo.kh"
out=$(run check "$tmp/includes_fifo.kh" 2>&1); rc=$?
expect "check of a file including a FIFO exits 1" "$rc" 1
contains "the include of a FIFO is an error at the include" "$out" \
  "$tmp/includes_fifo.kh:2:9: error[P003]: cannot read rule file $fifo: $isfifo"
out=$(run eval $seed "$fifo" 2>&1); rc=$?
expect "eval of a FIFO as the record exits 2" "$rc" 2
expect "eval of a FIFO as the record says so" "$out" "kaohe: cannot read record $fifo: $isfifo"
out=$(run eval $seed $chair --unit "$fifo" 2>&1); rc=$?
expect "eval with a FIFO as the unit record exits 2" "$rc" 2
expect "eval with a FIFO as the unit record says so" "$out" "kaohe: cannot read unit record $fifo: $isfifo"
out=$(run diff $seed $seed --batch /dev/null --unit "$fifo" 2>&1); rc=$?
expect "diff with a FIFO as the unit record exits 2" "$rc" 2
contains "diff with a FIFO as the unit record says so" "$out" "cannot read unit record $fifo: $isfifo"
mkdir "$tmp/t"
printf 'include "%s"\ntest "a record from a FIFO" {\n  record "../fifo"\n  expect total = 1\n}\n' \
  "$PWD/$seed" > "$tmp/t/fifo.test.kh"
out=$(run test "$tmp/t/fifo.test.kh" 2>&1); rc=$?
expect "a test whose record is a FIFO fails" "$rc" 1
contains "a test whose record is a FIFO says so" "$out" "cannot read record file $tmp/t/../fifo: $isfifo"
out=$(run test "$fifo" 2>&1); rc=$?
expect "a test file that is a FIFO fails" "$rc" 1
contains "a test file that is a FIFO says so" "$out" "$isfifo"

# ---- devices and directories
out=$(run eval $seed /dev/zero 2>&1); rc=$?
expect "eval of /dev/zero as the record exits 2 at once, unread" "$rc" 2
expect "eval of /dev/zero names a device" "$out" \
  "kaohe: cannot read record /dev/zero: it is a character device, not a regular file"
out=$(run eval $seed $chair --unit /dev/zero 2>&1); rc=$?
expect "eval with /dev/zero as the unit record exits 2" "$rc" 2
out=$(run check /dev/zero 2>&1); rc=$?
contains "check of /dev/zero names a device" "$out" "cannot read rule file /dev/zero: it is a character device"
out=$(run eval $seed "$tmp" 2>&1); rc=$?
expect "eval of a directory as the record exits 2" "$rc" 2
expect "eval of a directory says so" "$out" "kaohe: cannot read record $tmp: it is a directory, not a regular file"
out=$(run check "$tmp/t" 2>&1); rc=$?
contains "check of a directory says so" "$out" "cannot read rule file $tmp/t: it is a directory, not a regular file"
out=$(run eval $seed "$tmp/none.json" 2>&1); rc=$?
expect "eval of a missing record" "$out" "kaohe: cannot read record $tmp/none.json: no such file"

# ---- sizes: sparse files just over each limit are refused by their size, without being read;
# exactly at the limit they are read (and then fail for what they hold: NUL bytes)
truncate -s 1048577 "$tmp/big.json"
out=$(run eval $seed "$tmp/big.json" --format json 2>/dev/null); rc=$?
expect "a record file over 1 MiB exits 1 (a record error)" "$rc" 1
expect "a record file over 1 MiB gives the R008 error result" "$out" \
  '{"id":null,"error":{"code":"R008","message":"record is larger than 1048576 bytes (the limit for a record), 1048577 bytes","where":""}}'
out=$(run eval $seed $chair --unit "$tmp/big.json" 2>&1); rc=$?
expect "a unit record file over 1 MiB exits 1" "$rc" 1
contains "a unit record file over 1 MiB is R008" "$out" "unit: [R008] record is larger than 1048576 bytes"
truncate -s 1048576 "$tmp/limit.json"
out=$(run eval $seed "$tmp/limit.json" 2>&1); rc=$?
expect "a record file of exactly 1 MiB is read" "$rc" 1
lacks "a record file of exactly 1 MiB is not over the limit" "$out" "R008"
truncate -s 8388609 "$tmp/big.kh"
out=$(run check "$tmp/big.kh" 2>&1); rc=$?
expect "a rule file over 8 MiB exits 1" "$rc" 1
contains "a rule file over 8 MiB is P004" "$out" "error[P004]: rule file $tmp/big.kh is larger than 8 MiB (the limit)"
printf 'policy "t" year 2022\ninclude "big.kh"\n' > "$tmp/includes_big.kh"
out=$(run check "$tmp/includes_big.kh" 2>&1); rc=$?
contains "an include over 8 MiB is P004 at the include" "$out" \
  "$tmp/includes_big.kh:2:9: error[P004]: rule file $tmp/big.kh is larger than 8 MiB (the limit)"
printf 'include "%s"\ntest "a big record" {\n  record "../big.json"\n  expect total = 1\n}\n' \
  "$PWD/$seed" > "$tmp/t/big.test.kh"
out=$(run test "$tmp/t/big.test.kh" 2>&1); rc=$?
expect "a test whose record file is over 1 MiB fails" "$rc" 1
contains "a test whose record file is over 1 MiB says so" "$out" \
  "record file $tmp/t/../big.json is larger than 1048576 bytes (the limit for a record)"

# ---- batch input is a stream by design: a FIFO with a writer is read as one
printf '%s\n' "$(tr -d '\n' < $chair)" > "$tmp/one.jsonl"
cat "$tmp/one.jsonl" > "$fifo" &
out=$(run eval $seed --batch "$fifo" 2>&1); rc=$?
wait
expect "a batch from a FIFO is scored" "$rc" 0
contains "a batch from a FIFO gives the result" "$out" '"total":94.5'

# ---- a directory or a missing file as batch input is refused at once, with the reason
out=$(run eval $seed --batch "$tmp" 2>&1); rc=$?
expect "eval --batch of a directory exits 2" "$rc" 2
expect "eval --batch of a directory says so" "$out" "kaohe: cannot read $tmp: it is a directory"
out=$(run diff $seed $seed --batch "$tmp" 2>&1); rc=$?
expect "diff --batch of a directory exits 2" "$rc" 2
expect "diff --batch of a directory says so" "$out" "kaohe: cannot read $tmp: it is a directory"
out=$(run eval $seed --batch "$tmp/missing.jsonl" 2>&1); rc=$?
expect "eval --batch of a missing file exits 2" "$rc" 2
expect "eval --batch of a missing file says why" "$out" "kaohe: cannot read $tmp/missing.jsonl: No such file or directory"

# ---- a whole-record error (no field) is said without an empty field
head -c 1100000 /dev/zero | tr '\0' ' ' > "$tmp/spaces.json"
out=$(run eval $seed "$tmp/spaces.json" 2>&1); rc=$?
expect "a record file over 1 MiB exits 1" "$rc" 1
contains "a whole-record error names no empty field" "$out" "$tmp/spaces.json: record (no id): [R008] record is larger"

echo "cli files: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
