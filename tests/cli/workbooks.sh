#!/usr/bin/env bash
# Workbooks from the command line: `kaohe template RULES -o 登记表.xlsx` and `kaohe eval RULES
# --batch FILE -o 考核结果.xlsx`; the files read back with Python's zipfile, and opened by a real
# spreadsheet application (LibreOffice, headless) when it is installed.
set -u
kaohe=$1
rules=rulesets/seed/seed.kh
. "$(dirname "$0")/assert.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# A workbook's sheets and cells as "SHEET!CELL=TEXT" lines, read with zipfile; a number as a
# spreadsheet shows it, to 15 significant digits.
cells() {
  python3 - "$1" <<'PY'
import sys, zipfile
from xml.etree import ElementTree as ET
m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
z = zipfile.ZipFile(sys.argv[1])
shared = ["".join(t.text or "" for t in si.iter(m + "t"))
          for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(m + "si")]
rels = {e.get("Id"): e.get("Target") for e in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
for s in ET.fromstring(z.read("xl/workbook.xml")).find(m + "sheets"):
    print("sheet " + s.get("name"))
    for c in ET.fromstring(z.read("xl/" + rels[s.get(r + "id")])).iter(m + "c"):
        v = c.find(m + "v")
        if v is not None:
            t = c.get("t")
            text = shared[int(v.text)] if t == "s" else ("%.15g" % float(v.text) if t in (None, "n") else v.text)
            print("%s!%s=%s" % (s.get("name"), c.get("r"), text))
PY
}

# ---- template
start=$(date +%s%N)
"$kaohe" template "$rules" -o "$tmp/登记表.xlsx" 2> "$tmp/err"; rc=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect "template exits 0" "$rc" 0
expect "template says nothing" "$(cat "$tmp/err")" ""
echo "  template of the seed ruleset: $(stat -c %s "$tmp/登记表.xlsx") bytes in ${took_ms} ms (the whole command)"
t=$(cells "$tmp/登记表.xlsx")
expect "the template's sheets, in order" "$(grep '^sheet ' <<< "$t" | tr '\n' ' ')" "sheet 人员名单 sheet 事件登记 sheet 单位事件 sheet 填表说明 sheet 选项 sheet _kaohe "
contains "人员名单's first header" "$t" "人员名单!A1=编号"
contains "the instructions say a rule in words" "$t" "集体学习（一(一)1）：每次扣2分"
echo old > "$tmp/old.xlsx"
"$kaohe" template "$rules" -o "$tmp/old.xlsx"; rc=$?
expect "an existing file is replaced" "$rc:$(head -c 2 "$tmp/old.xlsx")" "0:PK"
out=$("$kaohe" template "$rules" -o "$tmp/登记表.csv" 2>&1); rc=$?
expect "a name not ending in .xlsx is a usage error" "$rc" 2
contains "and says what to give" "$out" "give a file name ending in .xlsx"
out=$("$kaohe" template "$rules" -o "$tmp/no/such/dir/登记表.xlsx" 2>&1); rc=$?
expect "a workbook that cannot be written exits 3" "$rc" 3
contains "and says why" "$out" "cannot write $tmp/no/such/dir/登记表.xlsx: No such file or directory"
expect "and leaves nothing behind" "$(ls "$tmp/no" 2>/dev/null)" ""
out=$("$kaohe" template rulesets/nope.kh -o "$tmp/x.xlsx" 2>&1); rc=$?
expect "a ruleset that cannot be read exits 2" "$rc" 2

# The template depends on the ruleset alone, not on the path it was compiled by: rule locations
# are relative to the main file's folder (the parts compared, as the zip writer stamps times).
parts() {
  python3 - "$1" <<'PY'
import sys, zipfile, hashlib
z = zipfile.ZipFile(sys.argv[1])
for n in sorted(z.namelist()):
    if n != "docProps/core.xml": print(n, hashlib.sha256(z.read(n)).hexdigest())
PY
}
"$kaohe" template "$PWD/$rules" -o "$tmp/abs.xlsx"
(cd "$(dirname "$rules")" && "$kaohe" template "$(basename "$rules")" -o "$tmp/rel.xlsx")
expect "the template by absolute and by relative path is the same" "$(parts "$tmp/abs.xlsx")" "$(parts "$tmp/rel.xlsx")"
expect "and names no folder of the machine" "$(cells "$tmp/abs.xlsx" | grep -c "$PWD")" 0

# ---- eval --batch -o FILE.xlsx
"$kaohe" eval "$rules" --batch examples/records/all.jsonl > "$tmp/all.jsonl"
"$kaohe" eval "$rules" --batch examples/records/all.jsonl -o "$tmp/考核结果.xlsx" > "$tmp/out" 2> "$tmp/err"; rc=$?
expect "a batch to a workbook exits 0" "$rc" 0
expect "and writes nothing to standard output" "$(cat "$tmp/out")" ""
r=$(cells "$tmp/考核结果.xlsx")
expect "the results' sheets" "$(grep '^sheet ' <<< "$r" | tr '\n' ' ')" "sheet 考核结果 sheet 扣分明细 sheet 未能评分 "
# Each person's total and grade as the JSON results give them.
want=$(python3 -c '
import json, sys
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    j = json.loads(line)
    print("考核结果!A%d=%s" % (i + 2, j["id"]))
    print("考核结果!E%d=%s" % (i + 2, j["total"]))
    if "grade" in j:
        print("考核结果!F%d=%s" % (i + 2, j["grade"]))' "$tmp/all.jsonl")
got=$(grep -E '^考核结果!(A|E|F)[0-9]+=' <<< "$r" | grep -v -E '!(A|E|F)1=' | sort)
expect "the workbook's ids, totals and grades are the JSON results'" "$got" "$(sort <<< "$want")"
"$kaohe" eval "$PWD/$rules" --batch examples/records/all.jsonl -o "$tmp/abs-results.xlsx" 2> /dev/null
a=$(cells "$tmp/abs-results.xlsx")
expect "扣分明细's rule locations name no folder of the machine" "$(grep -c "$PWD" <<< "$a")" 0
contains "but the file relative to the main rule file" "$a" "扣分明细!I2=public.kh:"

{ sed -n 1p examples/records/all.jsonl; echo '{"id":"bad-type","role":"chair","year":2022,"events":[{"type":"study_lte"}]}'; } > "$tmp/bad.jsonl"
"$kaohe" eval "$rules" --batch "$tmp/bad.jsonl" -o "$tmp/bad.xlsx" > /dev/null 2> "$tmp/err"; rc=$?
expect "a batch with a bad record exits 1" "$rc" 1
contains "the bad record is said on standard error" "$(cat "$tmp/err")" "line 2: record bad-type:"
contains "and counted" "$(cat "$tmp/err")" "1 of 2 records could not be scored (see 未能评分)"
b=$(cells "$tmp/bad.xlsx")
contains "the bad record is a row of 未能评分" "$b" "未能评分!A2=bad-type"
out=$("$kaohe" eval "$rules" --batch examples/records/all.jsonl -o "$tmp/results.json" 2>&1); rc=$?
expect "eval -o not ending in .xlsx is a usage error" "$rc" 2
out=$("$kaohe" eval "$rules" examples/records/chair.json -o "$tmp/r.xlsx" 2>&1); rc=$?
expect "eval -o without --batch is a usage error" "$rc" 2
out=$("$kaohe" eval "$rules" --batch examples/records/all.jsonl -o "$tmp/no/such/r.xlsx" 2>&1); rc=$?
expect "a results workbook that cannot be written exits 3" "$rc" 3

# ---- a real spreadsheet application opens both
if command -v soffice > /dev/null; then
  mkdir -p "$tmp/csv"  # 44,34,76: comma-separated, quoted with ", in UTF-8
  cp "$tmp/登记表.xlsx" "$tmp/template.xlsx"; cp "$tmp/考核结果.xlsx" "$tmp/results.xlsx"
  timeout 180 soffice -env:UserInstallation=file://"$tmp/lo" --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$tmp/csv" \
    "$tmp/template.xlsx" "$tmp/results.xlsx" > "$tmp/lo.out" 2>&1
  contains "LibreOffice opens the template (its first sheet: 人员名单)" "$(head -1 "$tmp/csv/template.csv" 2>/dev/null)" "编号,姓名,单位,岗位"
  contains "LibreOffice opens the results (its first sheet: 考核结果)" "$(head -1 "$tmp/csv/results.csv" 2>/dev/null)" "编号,姓名,单位,岗位,总分,等次"
  first=$(sed -n 1p "$tmp/all.jsonl" | python3 -c 'import json,sys; j=json.loads(sys.stdin.read()); print(j["id"] + ",")')
  contains "and reads the first person's row" "$(sed -n 2p "$tmp/csv/results.csv" 2>/dev/null)" "$first"
else
  echo "  soffice not installed (scripts/setup.sh --tests): LibreOffice checks skipped"
fi

echo "cli workbooks: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
