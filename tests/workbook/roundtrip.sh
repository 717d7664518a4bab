#!/usr/bin/env bash
# The workbook round trip, with a real spreadsheet application: `kaohe template` writes the seed
# ruleset's entry workbook; LibreOffice Calc (headless, driven through its Python bridge by
# tests/workbook/fill.py) types the example records into it as a clerk would and saves it, as
# .xlsx and as GB18030 CSV files; `kaohe import` reads both back; and every person's scores
# from the imported records equal those from the same records written as JSON.
#   roundtrip.sh KAOHE
set -euo pipefail
kaohe=$1
rules=rulesets/seed/seed.kh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAILED: $1"; fail=$((fail + 1)); }

"$kaohe" template "$rules" -o "$tmp/登记表.xlsx"
[ -s "$tmp/登记表.xlsx" ] && ok "template wrote the entry workbook" || bad "template wrote nothing"

# Calc types every record of examples/records/all.jsonl and the unit record into the workbook.
/usr/bin/python3 tests/workbook/fill.py rulesets/seed "$tmp/登记表.xlsx" examples/records/all.jsonl \
  examples/records/unit.json "$tmp"
for f in filled.xlsx filled-人员名单.csv filled-事件登记.csv filled-单位事件.csv; do
  [ -s "$tmp/$f" ] && ok "Calc saved $f" || bad "Calc did not save $f"
done
# The CSV files are GB18030, as Calc on a Chinese Windows saves them: not UTF-8.
if iconv -f UTF-8 -t UTF-8 "$tmp/filled-事件登记.csv" >/dev/null 2>&1; then
  bad "the exported CSV is valid UTF-8, so the GB18030 path is not exercised"
else
  ok "the exported CSV is GB18030, not UTF-8"
fi

"$kaohe" import "$rules" "$tmp/filled.xlsx" -o "$tmp/xlsx.jsonl" --unit-output "$tmp/xlsx_unit.json" 2>"$tmp/xlsx.err" &&
  ok "the saved workbook imports without a problem" || { bad "the saved workbook has problems"; cat "$tmp/xlsx.err"; }
"$kaohe" import "$rules" "$tmp/filled-人员名单.csv" "$tmp/filled-事件登记.csv" "$tmp/filled-单位事件.csv" \
  -o "$tmp/csv.jsonl" --unit-output "$tmp/csv_unit.json" 2>"$tmp/csv.err" &&
  ok "the GB18030 CSV files import without a problem" || { bad "the CSV files have problems"; cat "$tmp/csv.err"; }

"$kaohe" eval "$rules" --batch examples/records/all.jsonl --unit examples/records/unit.json >"$tmp/json.results"
for kind in xlsx csv; do
  if [ -s "$tmp/$kind.jsonl" ]; then
    "$kaohe" eval "$rules" --batch "$tmp/$kind.jsonl" --unit "$tmp/${kind}_unit.json" >"$tmp/$kind.results" || true
  else
    : >"$tmp/$kind.results"
  fi
  # Per person: the total, the grade and every section's and clause's score, and each line's
  # points, clause and event; the same people in the same order.
  if python3 - "$tmp/json.results" "$tmp/$kind.results" <<'EOF'; then
import json, sys
def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        out.append((r["id"], r.get("total"), r.get("grade"), r.get("scores"),
                    [(l["path"], l["points"], l.get("event"), l.get("note")) for l in r.get("lines", [])],
                    r.get("error")))
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
if len(a) != 10 or a != b:
    for x, y in zip(a, b):
        if x != y: print("differs:\n  json:", x, "\n  sheet:", y)
    print("people:", len(a), len(b))
    sys.exit(1)
EOF
    ok "every person's scores from the $kind import equal those of the JSON records"
  else
    bad "the $kind import scores differently from the JSON records"
  fi
done

# The results workbook of the imported records opens in Calc, its totals those of the JSON results.
"$kaohe" eval "$rules" --batch "$tmp/xlsx.jsonl" --unit "$tmp/xlsx_unit.json" -o "$tmp/考核结果.xlsx"
(cd "$tmp" && soffice --headless "-env:UserInstallation=file://$tmp/profile2" \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' 考核结果.xlsx >/dev/null 2>&1)  # 76: UTF-8
if python3 - "$tmp/json.results" "$tmp/考核结果.csv" <<'EOF'; then
import csv, json, sys
from decimal import Decimal
totals = {json.loads(l)["id"]: Decimal(str(json.loads(l)["total"])) for l in open(sys.argv[1], encoding="utf-8")}
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
head = rows[0]
got = {r[head.index("编号")]: Decimal(r[head.index("总分")]) for r in rows[1:] if r and r[0]}
sys.exit(0 if got == totals else 1)
EOF
  ok "the results workbook, opened by Calc, holds the JSON results' totals"
else
  bad "the results workbook's totals differ"
fi

echo "workbook round trip: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
