#!/usr/bin/env bash
# What hostile input does to the output: many errors on one long line cost bounded memory and
# stop at the limit; control characters from records and rule files never reach the terminal
# raw; a file name that is not UTF-8 leaves every output valid UTF-8 (and the JSON valid JSON).
set -u
kaohe=$1
. "$(dirname "$0")/assert.sh"
# no_controls NAME FILE: the file holds no C0 control other than newline, no DEL, no C1 control
# (U+0080-U+009F), and is valid UTF-8.
no_controls() {
  if python3 - "$2" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
text = data.decode("utf-8")  # raises on invalid UTF-8
sys.exit(1 if re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text) else 0)
PY
  then passes=$((passes+1)); else echo "FAIL: $1: raw control characters or invalid UTF-8 in:"; cat -v "$2" | head -20; fails=$((fails+1)); fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- 20,000 errors on one 360 KB line: bounded memory, the first 100 errors and a final one.
# The bound is 200 MB (about 40 MB measured; 7 GB before diagnostics were bounded); a sanitized
# build, whose allocator keeps shadow memory and a quarantine, is given its own bound by ctest.
limit_kb=${KAOHE_PEAK_LIMIT_KB:-200000}
# check_peak NAME RULES STDERR_FILE: `kaohe check RULES` fails (exit 1) within limit_kb of peak
# memory (the child's maximum resident set), its diagnostics left in STDERR_FILE.
check_peak() {
  local peak rc kb
  peak=$(python3 - "$kaohe" "$2" "$3" <<'PY'
import resource, subprocess, sys
with open(sys.argv[3], "wb") as out:
    rc = subprocess.run([sys.argv[1], "check", sys.argv[2]], stdout=subprocess.DEVNULL, stderr=out, timeout=60).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
)
  read -r rc kb <<<"$peak"
  expect "check of $1 exits 1" "$rc" 1
  if [ "$kb" -lt "$limit_kb" ]; then passes=$((passes+1)); else echo "FAIL: $1 took ${kb} KB (over $limit_kb KB)"; fails=$((fails+1)); fi
}
python3 -c "
print('policy \"p\" version \"1\" year 2022 round 2 half_up event late \"迟到\" role r \"r\" { section s \"s\" 100 { clause c \"c\" 100 { '
      + ' '.join(['deduct 1 each lat'] * 20000) + ' } } }')" > "$tmp/oneline.kh"
check_peak "20,000 errors on one line" "$tmp/oneline.kh" "$tmp/oneline.out"
out=$(cat "$tmp/oneline.out")
expect "exactly 100 errors are shown, then the one that stops" "$(grep -c 'error\[C004\]' <<<"$out")" 100
contains "the last error says why it stopped" "$out" \
  "$tmp/oneline.kh: error[P004]: too many errors: stopping after the first 100 (the limit of one compile)"
# The caret line of the last error shown is a window of the 360 KB line, not the line.
longest=$(awk '{ if (length($0) > n) n = length($0) } END { print n }' "$tmp/oneline.out")
if [ "$longest" -lt 400 ]; then passes=$((passes+1)); else echo "FAIL: an output line of $longest characters"; fails=$((fails+1)); fi
# A by table repeating one key 20,000 times: the same bound.
python3 -c "
print('policy \"p\" year 2022 attribute issuer \"i\" { unit \"u\" } event award \"a\" { issuer } role r \"r\" { section s \"s\" 100 { clause c \"c\" 100 { add each award by issuer { '
      + ', '.join(['unit: 1'] * 20000) + ' } } } }')" > "$tmp/keys.kh"
check_peak "a table repeating a key 20,000 times" "$tmp/keys.kh" /dev/null

# ---- control characters from a record: the scorecard and the error lines show them escaped
cat > "$tmp/base.kh" <<'KH'
policy "p" version "1" year 2022 round 2 half_up
event late "迟到"
role r "r" {
  section s "s" 100 {
    clause c "c" 100 {
      deduct 1 each late
    }
  }
}
KH
printf '%s\n' '{"id":"x\u009b2J","name":"\u001b[2J\u001b[1;31mFAKE TOTAL 100\u001b[0m\u202e","role":"r","year":2022,"events":[{"type":"late","note":"\u001b[1A\u001b[2K\u0000"}]}' > "$tmp/escapes.json"
"$kaohe" eval "$tmp/base.kh" "$tmp/escapes.json" > "$tmp/card.txt" 2>&1
expect "a record with escapes in its strings is scored" "$?" 0
no_controls "the scorecard of a record with escapes" "$tmp/card.txt"
contains "the name is shown with its escapes visible" "$(cat "$tmp/card.txt")" '\u{1b}[2J\u{1b}[1;31mFAKE TOTAL 100\u{1b}[0m\u{202e}'
contains "the C1 control in the id is shown" "$(cat "$tmp/card.txt")" 'x\u{9b}2J'
contains "the note is shown with its escapes visible" "$(cat "$tmp/card.txt")" '“\u{1b}[1A\u{1b}[2K\u{0}”'
"$kaohe" eval "$tmp/base.kh" "$tmp/escapes.json" --format json > "$tmp/card.json" 2>&1
no_controls "the JSON result of a record with escapes" "$tmp/card.json"
contains "JSON escapes C1 and bidi controls as \\u" "$(cat "$tmp/card.json")" '"id":"x\u009b2J"'
printf '%s\n' '{"id":"x\u001b]0;pwned\u0007","role":"r\u001b[2J\u001b[31mRED","year":2022}' > "$tmp/role.json"
"$kaohe" eval "$tmp/base.kh" "$tmp/role.json" > "$tmp/role.out" 2>&1
expect "a record with an unknown role exits 1" "$?" 1
no_controls "the record error on standard error" "$tmp/role.out"
contains "the record error shows the escapes" "$(cat "$tmp/role.out")" 'record x\u{1b}]0;pwned\u{7}: role: [R005] unknown role `r\u{1b}[2J\u{1b}[31mRED`'
printf '{"id":"b\\u001b[2J","role":"r","year":2022}\n' > "$tmp/batch.jsonl"
printf '{"id":"c","role":"r\\u001b[2J","year":2022}\n' >> "$tmp/batch.jsonl"
"$kaohe" eval "$tmp/base.kh" --batch "$tmp/batch.jsonl" > "$tmp/batch.out" 2> "$tmp/batch.err"
no_controls "batch results" "$tmp/batch.out"
no_controls "batch errors" "$tmp/batch.err"

# ---- control characters in a rule file: the quoted source line shows them escaped
printf 'policy "p" year 2022\nevent e\033[31m\000 "e"\n' > "$tmp/rule_escape.kh"
"$kaohe" check "$tmp/rule_escape.kh" > "$tmp/rule.out" 2>&1
expect "a rule file with ESC and NUL fails" "$?" 1
no_controls "check's diagnostics of a rule file with ESC and NUL" "$tmp/rule.out"
contains "the source line shows them" "$(cat "$tmp/rule.out")" 'event e\u{1b}[31m\u{0} "e"'
printf 'policy "p\033]0;t\007" year 2022\nevent late "迟到\033[2J"\nrole r "r" { section s "s" 100 { clause c "c" 100 { deduct 1 each late } } }\n' > "$tmp/labels.kh"
printf '{"id":"x","role":"r","year":2022,"events":[{"type":"late"}]}\n' > "$tmp/x.json"
"$kaohe" eval "$tmp/labels.kh" "$tmp/x.json" > "$tmp/labels.out" 2>&1
no_controls "a scorecard of labels holding escapes (or their errors)" "$tmp/labels.out"
printf 'include "base.kh"\ntest "t\033[2J" {\n  role r\n  events { late note "\033[1A" }\n  expect total = 1\n}\n' > "$tmp/suite.test.kh"
"$kaohe" test "$tmp/suite.test.kh" > "$tmp/test.out" 2>&1
expect "a failing test named with escapes fails" "$?" 1
no_controls "test output of a test named with escapes" "$tmp/test.out"
contains "the failing test is named with its escapes visible" "$(cat "$tmp/test.out")" 'FAIL: test "t\u{1b}[2J"'

# ---- diff's text shows labels and rules of both rulesets: the escapes in them are shown, not run
printf 'policy "p" year 2022\nevent late "迟到\033[2J"\nrole r "r" { section s "s\033[1A" 100 { clause c "c\033[31m" 100 { deduct 2 each late } } }\n' > "$tmp/labels2.kh"
"$kaohe" diff "$tmp/labels.kh" "$tmp/labels2.kh" > "$tmp/diff.out" 2>&1
no_controls "diff's text of rulesets whose labels hold escapes" "$tmp/diff.out"
contains "diff's text shows the escape" "$(cat "$tmp/diff.out")" '\u{1b}'
"$kaohe" diff "$tmp/labels.kh" "$tmp/labels2.kh" --batch "$tmp/x.json" > "$tmp/diffb.out" 2>&1
no_controls "diff --batch's summary of rulesets whose labels hold escapes" "$tmp/diffb.out"

# ---- a rule file whose name is not UTF-8 (GBK, as from a Chinese Windows machine)
gbk=$(python3 -c "import os, sys; sys.stdout.buffer.write(os.fsencode('$tmp') + b'/' + '考核'.encode('gbk') + b'.kh')")
cp "$tmp/base.kh" "$gbk"
printf '{"id":"x","role":"r","year":2022,"events":[{"type":"late"}]}\n' > "$tmp/rec.json"
"$kaohe" eval "$gbk" "$tmp/rec.json" --format json > "$tmp/gbk.json"
expect "a rule file named in GBK is scored" "$?" 0
if python3 -c "import json, sys; r = json.loads(open(sys.argv[1], 'rb').read().decode('utf-8')); assert r['lines'][0]['rule'].endswith('/\ufffd\ufffd\ufffd\ufffd.kh:6'), r" "$tmp/gbk.json"; then
  passes=$((passes+1)); else echo "FAIL: the JSON result of a GBK-named rule file is not valid UTF-8 JSON with U+FFFD"; fails=$((fails+1)); fi
"$kaohe" eval "$gbk" "$tmp/rec.json" > "$tmp/gbk.txt"
no_controls "the scorecard of a GBK-named rule file" "$tmp/gbk.txt"
contains "the scorecard shows the GBK bytes" "$(cat "$tmp/gbk.txt")" '/\xbf\xbc\xba\xcb.kh:6'
printf 'policy "p" year 2022\nevent e "e" oops\n' > "$gbk"
"$kaohe" check "$gbk" > "$tmp/gbk.out" 2>&1
no_controls "diagnostics of a GBK-named rule file" "$tmp/gbk.out"
contains "diagnostics show the GBK bytes" "$(cat "$tmp/gbk.out")" '/\xbf\xbc\xba\xcb.kh:2:'
"$kaohe" test "$gbk" --format json > "$tmp/gbk_test.json" 2>/dev/null
if python3 -c "import json, sys; json.loads(open(sys.argv[1], 'rb').read().decode('utf-8'))" "$tmp/gbk_test.json"; then
  passes=$((passes+1)); else echo "FAIL: test --format json of a GBK-named file is not valid UTF-8 JSON"; cat -v "$tmp/gbk_test.json"; fails=$((fails+1)); fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
