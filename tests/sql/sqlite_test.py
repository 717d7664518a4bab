"""The SQLite extension (sql/sqlite/) against `kaohe eval --batch` (issue 8).

    python3 sqlite_test.py EXTENSION KAOHE_CLI KAOHE_GEN     (from the source root)

10,000 generated records (every role) with a few bad ones among them, loaded into a table:
kaohe_total equals the CLI's batch total row for row, bad rows fail as the CLI's do; kaohe_score
equals the CLI's result line; kaohe_lines equals the result's lines; bad inputs raise or give NULL.
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal

ext, cli, gen = sys.argv[1:4]
RULES = "rulesets/seed/seed.kh"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def loads(s):
    return json.loads(s, parse_float=Decimal, parse_int=Decimal)


records = subprocess.run([gen, "10000", "8"], check=True, capture_output=True, text=True).stdout.splitlines()
bad = {
    17: '{"id":"bad-1","name":"x","role":"no_such_role","year":2022,"measures":{}}',
    4711: '[1, 2, 3]',
    9000: '{"id":"bad-3","name":"y","role":"chair","year":2022,"measures":{"county_target_score":"ninety"}}',
}
for at, text in bad.items():
    records.insert(at, text)

with tempfile.TemporaryDirectory() as tmp:
    batch_in = os.path.join(tmp, "records.jsonl")
    with open(batch_in, "w", encoding="utf-8") as f:
        f.write("\n".join(records) + "\n")
    out = subprocess.run([cli, "eval", RULES, "--batch", batch_in], capture_output=True, text=True).stdout
    expected = out.splitlines()
    check(len(expected) == len(records), f"CLI gave {len(expected)} lines for {len(records)} records")

    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    db.execute("CREATE TABLE r(n INTEGER PRIMARY KEY, record TEXT)")
    db.executemany("INSERT INTO r VALUES (?, ?)", enumerate(records, 1))

    # kaohe_score over the whole table: never aborts, equals the CLI's line (errors: same message).
    scored = db.execute("SELECT n, kaohe_score(?, record) FROM r ORDER BY n", (RULES,)).fetchall()
    ok_rows, err_rows = [], []
    for (n, got), want in zip(scored, expected):
        g, w = loads(got), loads(want)
        if "error" in w:
            err_rows.append(n)
            check("error" in g and g["error"]["message"] == w["error"]["message"] and
                  g["error"].get("code") == w["error"].get("code"), f"row {n}: error {got} vs {want}")
        else:
            ok_rows.append(n)
            check(g == w, f"row {n}: kaohe_score differs from the CLI")
    check(len(err_rows) == len(bad), f"expected {len(bad)} error rows, got {err_rows}")

    # kaohe_total: row for row, exact text equal to the CLI's total.
    totals = db.execute("SELECT n, kaohe_total(?, record) FROM r WHERE n NOT IN (%s) ORDER BY n"
                        % ",".join(map(str, err_rows)), (RULES,)).fetchall()
    check(len(totals) == len(ok_rows), "kaohe_total row count")
    for n, t in totals:
        check(isinstance(t, str), f"row {n}: total is not TEXT")
        check(Decimal(t) == loads(expected[n - 1])["total"], f"row {n}: total {t} vs {expected[n - 1][:80]}")

    # A bad record: kaohe_total raises an SQL error naming the record and the reason.
    for n in err_rows:
        try:
            db.execute("SELECT kaohe_total(?, record) FROM r WHERE n = ?", (RULES, n)).fetchall()
            check(False, f"row {n}: kaohe_total did not raise")
        except sqlite3.OperationalError as e:
            w = loads(expected[n - 1])
            check(w["error"]["message"] in str(e) and (w.get("id") or "") in str(e), f"row {n}: message {e}")
    try:
        db.execute("SELECT kaohe_total(?, record) FROM r", (RULES,)).fetchall()
        check(False, "kaohe_total over the table with bad rows did not raise")
    except sqlite3.OperationalError as e:
        check("record bad-1" in str(e), f"first bad row named: {e}")

    # kaohe_lines for one record equals the result's lines.
    for n in ok_rows[:50]:
        want = loads(expected[n - 1])["lines"]
        got = db.execute("SELECT path, event, date, points, rule, note FROM kaohe_lines(?, (SELECT record FROM r "
                         "WHERE n = ?))", (RULES, n)).fetchall()
        check(len(got) == len(want), f"row {n}: {len(got)} lines, want {len(want)}")
        for g, w in zip(got, want):
            check((g[0], g[1], g[2], Decimal(g[3]), g[4], g[5]) ==
                  (w["path"], w.get("event"), w.get("date"), w["points"], w["rule"], w.get("note")),
                  f"row {n}: line {g} vs {w}")
    joined = db.execute("SELECT count(*) FROM r, kaohe_lines(?, r.record) WHERE r.n IN (%s)"
                        % ",".join(map(str, ok_rows[:50])), (RULES,)).fetchone()[0]
    check(joined == sum(len(loads(expected[n - 1])["lines"]) for n in ok_rows[:50]), "lateral join of kaohe_lines")

    # A unit record: the CLI's --unit.
    unit_path = "examples/records/unit.json"
    unit = open(unit_path, encoding="utf-8").read()
    chair = open("examples/records/chair.json", encoding="utf-8").read()
    want = subprocess.run([cli, "eval", RULES, "examples/records/chair.json", "--unit", unit_path, "--format", "json"],
                          capture_output=True, text=True).stdout
    got = db.execute("SELECT kaohe_score(?, ?, ?), kaohe_total(?, ?, ?)", (RULES, chair, unit) * 2).fetchone()
    check(loads(got[0]) == loads(want), "kaohe_score with a unit record")
    check(Decimal(got[1]) == loads(want)["total"], "kaohe_total with a unit record")

    def raises(sql, args, needle):
        try:
            db.execute(sql, args).fetchall()
            check(False, f"{sql} did not raise")
        except sqlite3.OperationalError as e:
            check(needle in str(e), f"{sql}: {e!s} lacks {needle!r}")

    # Bad inputs.
    raises("SELECT kaohe_total('no/such.kh', ?)", (chair,), "cannot read ruleset no/such.kh")
    raises("SELECT kaohe_score('no/such.kh', ?)", (chair,), "cannot read ruleset no/such.kh")
    broken = "tests/golden/rules/check_three_errors.kh"
    raises("SELECT kaohe_score(?, ?)", (broken, chair), "error[C004]")
    raises("SELECT kaohe_total(?, ?)", (broken, chair), "unknown event `study_lat`")
    raises("SELECT * FROM kaohe_lines(?, ?)", (broken, chair), "error[C004]")
    raises("SELECT kaohe_total(?, '[1,2]')", (RULES,), "record (no id)")
    check("error" in loads(db.execute("SELECT kaohe_score(?, '42')", (RULES,)).fetchone()[0]), "score of a non-object")
    raises("SELECT * FROM kaohe_lines(?, 'null')", (RULES,), "kaohe_lines: record")
    raises("SELECT kaohe_total(?, ?, '{\"oops\":1}')", (RULES, chair), "unit record")
    # NULL in, NULL out (a NULL unit: no unit).
    row = db.execute("SELECT kaohe_total(NULL, ?), kaohe_total(?, NULL), kaohe_score(NULL, NULL), "
                     "kaohe_total(?, ?, NULL)", (chair, RULES, RULES, chair)).fetchone()
    check(row[:3] == (None, None, None) and row[3] == "94.5", f"NULL arguments: {row}")
    check(db.execute("SELECT count(*) FROM kaohe_lines(NULL, ?)", (chair,)).fetchone()[0] == 0, "lines of NULL")

    # The cache: a changed file (size or mtime) is recompiled.
    import shutil
    seed = os.path.join(tmp, "seed")
    shutil.copytree("rulesets/seed", seed)
    top = os.path.join(seed, "seed.kh")
    good = open(top, encoding="utf-8").read()
    check(db.execute("SELECT kaohe_total(?, ?)", (top, chair)).fetchone()[0] == "94.5", "copied ruleset")
    with open(top, "w", encoding="utf-8") as f:
        f.write(good + "\nsection !!!\n")
    raises("SELECT kaohe_total(?, ?)", (top, chair), "has errors")
    with open(top, "w", encoding="utf-8") as f:
        f.write(good)
    check(db.execute("SELECT kaohe_total(?, ?)", (top, chair)).fetchone()[0] == "94.5", "recompiled after repair")


def long_chain_is_an_sql_error():
    """A rule file holding a 20,000-term chain: kaohe_total raises, the process lives on."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "chain.kh")
        with open(path, "w", encoding="utf-8") as f:
            f.write('policy "t" year 2022\nrole chair "c"\nsection s "s" 5 { clause c "c" 5 { deduct '
                    + "+".join(["0"] * 20000) + " } }\n")
        db = sqlite3.connect(":memory:")
        db.enable_load_extension(True)
        db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
        try:
            db.execute("SELECT kaohe_total(?, ?)", (path, '{"id":"1","role":"chair","year":2022}')).fetchone()
            check(False, "a 20,000-term chain compiled")
        except sqlite3.Error as e:
            check("levels deep (the limit" in str(e), f"long chain: {e}")


long_chain_is_an_sql_error()

if failures:
    print(f"sqlite: {len(failures)} failures")
    sys.exit(1)
print(f"sqlite: {len(records)} records, {len(err_rows)} bad, all agree with the CLI")
