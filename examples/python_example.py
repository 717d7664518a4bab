"""Scoring records from Python with the kaohe module.

    PYTHONPATH=$PREFIX/lib/python3.11/site-packages python3 python_example.py RULES RECORD...

Prints each person's total and card, every number an exact decimal.Decimal.
"""
import json
import sys

import kaohe

try:
    rules = kaohe.compile(sys.argv[1])
except kaohe.CompileError as e:
    sys.exit(str(e))                          # every error, as `kaohe check` shows them

records = []
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        records.append(json.load(f))          # 93.5 from the file is read as 935/10 exactly

try:
    first = rules.evaluate(records[0])
    print(first["id"], first["total"], first["scores"]["public"])
except kaohe.RecordError as e:                # the same message and field as `kaohe eval`
    sys.exit("%s: %s" % (e.where, e.message))

for result in rules.evaluate_many(records, threads=4):   # in order; errors inline
    if "error" in result:
        print(result["id"], "error:", result["error"]["where"], result["error"]["message"])
    else:
        print(result["id"], result["total"])
