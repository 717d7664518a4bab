"""The SQLite extension (sql/sqlite/) against `kaohe eval --batch`.

    python3 sqlite_test.py EXTENSION KAOHE_CLI KAOHE_GEN     (from the source root)

10,000 generated records (every role) with a few bad ones among them, loaded into a table:
kaohe_total equals the CLI's batch total row for row, bad rows fail as the CLI's do; kaohe_score
equals the CLI's result line; kaohe_lines equals the result's lines; bad inputs raise or give NULL.
"""
import ast
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal

ext, cli, gen = sys.argv[1:4]
signal.alarm(120)  # a watchdog: a read that blocks (a FIFO) ends the test as a failure, not a hang
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
    # A NUL in the record's text (`\u0000` in its JSON) is written out, not the end of the error.
    nul = '{"id": "n", "role": "chair", "year": 2022, "groups": ["leader\\u0000ship"]}'
    raises("SELECT kaohe_total(?, ?)", (RULES, nul), "unknown group `leader\\u{0}ship` (did you mean `leadership`?)")
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

    # ---- Hostile input. A database file from elsewhere may hold a view, a trigger or an index
    # that calls the functions: they must not run from there (SQLITE_DIRECTONLY), only when called
    # directly. The untrusted file is made without the extension, and opened with it.
    untrusted = os.path.join(tmp, "untrusted.db")
    u = sqlite3.connect(untrusted)
    u.executescript("""
        CREATE VIEW v AS SELECT kaohe_total('/etc/passwd', '{}') AS t;
        CREATE VIEW v_score AS SELECT kaohe_score('/etc/passwd', '{}') AS t;
        CREATE VIEW v_lines AS SELECT * FROM kaohe_lines('/etc/passwd', '{}');
        CREATE TABLE log(x TEXT);
        CREATE TRIGGER tr AFTER INSERT ON log BEGIN SELECT kaohe_total('/etc/passwd', '{}'); END;
    """)
    u.commit()
    u.close()
    v = sqlite3.connect(untrusted)
    v.enable_load_extension(True)
    v.load_extension(os.path.splitext(os.path.abspath(ext))[0])

    def refused(conn, sql, args, needle, what):
        try:
            conn.execute(sql, args).fetchall()
            check(False, f"{what}: not refused")
        except sqlite3.Error as e:
            check(needle in str(e), f"{what}: {e!s} lacks {needle!r}")
            check("root:" not in str(e), f"{what}: the error quotes /etc/passwd")

    refused(v, "SELECT * FROM v", (), "unsafe use of kaohe_total", "kaohe_total in a view of an untrusted file")
    refused(v, "SELECT * FROM v_score", (), "unsafe use of kaohe_score", "kaohe_score in a view")
    refused(v, "SELECT * FROM v_lines", (), "unsafe use of virtual table", "kaohe_lines in a view")
    refused(v, "INSERT INTO log VALUES ('x')", (), "unsafe use of kaohe_total", "kaohe_total in a trigger")
    check(v.execute("SELECT kaohe_total(?, ?)", (RULES, chair)).fetchone()[0] == "94.5",
          "a direct call still works on that connection")
    check(v.execute("SELECT count(*) FROM kaohe_lines(?, ?)", (RULES, chair)).fetchone()[0] > 0,
          "kaohe_lines called directly still works")
    v.close()
    # Not deterministic (the result depends on a file), so no index on it can go stale.
    refused(db, "CREATE INDEX ix ON r(kaohe_total('rulesets/seed/seed.kh', record))", (), "non-deterministic",
            "an index on kaohe_total")
    refused(db, "CREATE TABLE g(x TEXT, y TEXT AS (kaohe_total('rulesets/seed/seed.kh', x)))", (), "non-deterministic",
            "a generated column of kaohe_total")
    # A path with a NUL byte is refused, never cut at the NUL (as text and as a BLOB).
    for path in (RULES + "\0.ignored", (RULES + "\0.ignored").encode()):
        refused(db, "SELECT kaohe_total(?, ?)", (path, chair), "NUL byte", f"kaohe_total of {path!r}")
        refused(db, "SELECT kaohe_score(?, ?)", (path, chair), "NUL byte", f"kaohe_score of {path!r}")
        refused(db, "SELECT * FROM kaohe_lines(?, ?)", (path, chair), "NUL byte", f"kaohe_lines of {path!r}")
    # A FIFO as the ruleset answers at once (the watchdog alarm at the top ends a hang).
    fifo = os.path.join(tmp, "rules.fifo")
    os.mkfifo(fifo)
    refused(db, "SELECT kaohe_total(?, ?)", (fifo, chair), "FIFO (named pipe), not a regular file", "a FIFO ruleset")
    with open(os.path.join(seed, "with_fifo.kh"), "w", encoding="utf-8") as f:
        f.write(good + '\ninclude "../rules.fifo"\n')
    refused(db, "SELECT kaohe_total(?, ?)", (os.path.join(seed, "with_fifo.kh"), chair), "FIFO (named pipe)",
            "an include that is a FIFO")

    # A ruleset whose file name is not UTF-8 (GBK) is named by a BLOB; what comes back (the result
    # and an error's text) is valid UTF-8, the name shown with U+FFFD in JSON and as \\xNN in text.
    gbk = os.fsencode(seed) + b"/" + "考核".encode("gbk") + b".kh"
    with open(gbk, "w", encoding="utf-8") as f:
        f.write('policy "t" year 2022\nevent late "迟到"\n'
                'role r "r" { section s "s" 10 { clause c "c" 10 { deduct 1 each late } } }\n')
    late = '{"id":"x","role":"r","year":2022,"events":[{"type":"late"}]}'
    scored = loads(db.execute("SELECT kaohe_score(?, ?)", (gbk, late)).fetchone()[0])
    check(scored["lines"][0]["rule"].split(":")[0].endswith("/\ufffd\ufffd\ufffd\ufffd.kh"),
          f"a GBK-named ruleset's rule field: {scored['lines'][0]['rule']}")
    with open(gbk, "w", encoding="utf-8") as f:
        f.write('policy "t" year 2022\nevent e "e" oops\n')
    raises("SELECT kaohe_total(?, ?)", (gbk, chair), "/\\xbf\\xbc\\xba\\xcb.kh:2:")
    # 20,000 errors on one line: an error of the first 100 (it was a 4.8 MB message).
    many = os.path.join(tmp, "many.kh")
    with open(many, "w", encoding="utf-8") as f:
        f.write('policy "p" year 2022 event late "迟到" role r "r" { section s "s" 100 { clause c "c" 100 { '
                + " ".join(["deduct 1 each lat"] * 20000) + " } } }\n")
    try:
        db.execute("SELECT kaohe_total(?, ?)", (many, chair)).fetchall()
        check(False, "20,000 errors did not raise")
    except sqlite3.OperationalError as e:
        check("too many errors: stopping after the first 100" in str(e) and len(str(e)) < 100_000,
              f"20,000 errors give a message of {len(str(e))} characters")

    # The cache is keyed by the resolved file: 2,000 spellings of one path are one compiled
    # ruleset (each used to be compiled and kept: about 300 KB apiece); and it is bounded: 300
    # distinct rulesets keep at most 32.
    def rss_kb():
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))

    fresh = sqlite3.connect(":memory:")
    fresh.enable_load_extension(True)
    fresh.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    fresh.execute("SELECT kaohe_total(?, ?)", (top, chair)).fetchone()
    before = rss_kb()
    spellings = [tmp + "/" + "./" * i + "seed" + "/" * (j + 1) + "seed.kh" for i in range(50) for j in range(40)]
    check(len(set(spellings)) == 2000, "2,000 distinct spellings")
    totals = {fresh.execute("SELECT kaohe_total(?, ?)", (p, chair)).fetchone()[0] for p in spellings}
    check(totals == {"94.5"}, f"every spelling scores the same: {totals}")
    grown = rss_kb() - before
    check(grown < 20_000, f"2,000 spellings grew the process by {grown} KB")
    for i in range(300):
        with open(os.path.join(seed, f"copy{i}.kh"), "w", encoding="utf-8") as f:
            f.write(good)
    before = rss_kb()
    for i in range(300):
        fresh.execute("SELECT kaohe_total(?, ?)", (os.path.join(seed, f"copy{i}.kh"), chair)).fetchone()
    grown = rss_kb() - before
    check(grown < 40_000, f"300 distinct rulesets grew the process by {grown} KB")
    print(f"sqlite: cache growth {grown} KB after 300 distinct rulesets")
    fresh.close()

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

# Each argument is measured before its text is made: a gigabyte zero-blob in any position is
# refused by its size, in a child process whose peak memory is measured (each query used to
# expand the blob and copy it as text: 1 to 2 GB).
HUGE_CHILD = r"""
import sqlite3, sys
ext, rules, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension(ext)
for sql, args in (("SELECT kaohe_total(?, zeroblob(?))", (rules, n)),
                  ("SELECT kaohe_score(?, zeroblob(?))", (rules, n)),
                  ("SELECT count(*) FROM kaohe_lines(?, zeroblob(?))", (rules, n)),
                  ("SELECT kaohe_total(?, '{}', zeroblob(?))", (rules, n)),
                  ("SELECT kaohe_score(?, '{}', zeroblob(?))", (rules, n)),
                  ("SELECT kaohe_total(zeroblob(?), '{}')", (n,)),
                  ("SELECT kaohe_score(zeroblob(?), '{}', '{}')", (n,)),
                  ("SELECT count(*) FROM kaohe_lines(zeroblob(?), '{}')", (n,))):
    try:
        print(repr(db.execute(sql, args).fetchone()[0])[:1000])
    except sqlite3.Error as e:
        print("error:", str(e)[:300])
# This process image's peak (getrusage's would include the forking parent's, kept across exec).
with open("/proc/self/status") as f:
    print(next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")))
"""


def huge_arguments_are_refused_by_size():
    n = 1_000_000_000
    child = subprocess.run([sys.executable, "-c", HUGE_CHILD, os.path.splitext(os.path.abspath(ext))[0], RULES,
                            str(n)], capture_output=True, text=True, timeout=60)
    check(child.returncode == 0, f"huge arguments: the child failed: {child.stderr[-500:]}")
    out = child.stdout.splitlines()
    if len(out) != 9:
        check(False, f"huge arguments: {out}")
        return
    too_large = f"record is larger than 1048576 bytes (the limit for a record), {n} bytes"
    path = f"the ruleset path is {n} bytes long; a path holds at most 4096 (PATH_MAX)"
    check(out[0] == f"error: kaohe_total: record (no id): {too_large} [R008]", f"huge record, kaohe_total: {out[0]}")
    score = loads(ast.literal_eval(out[1]))
    check(score.get("error", {}).get("code") == "R008" and score["error"]["message"] == too_large,
          f"huge record, kaohe_score: {out[1]}")
    check(out[2] == f"error: kaohe_lines: record (no id): {too_large} [R008]", f"huge record, kaohe_lines: {out[2]}")
    for line in out[3:5]:
        check(line.startswith("error: kaohe_") and line.endswith(f": unit record: {too_large} [R008]"),
              f"huge unit: {line}")
    check(out[5] == f"error: kaohe_total: {path}", f"huge path, kaohe_total: {out[5]}")
    check(out[6] == f"error: kaohe_score: {path}", f"huge path, kaohe_score: {out[6]}")
    check(out[7] == f"error: kaohe_lines: {path}", f"huge path, kaohe_lines: {out[7]}")
    peak_mb = int(out[8]) / 1024
    print(f"sqlite: 8 queries with a {n:,}-byte zero-blob argument: peak {peak_mb:.0f} MB")
    check(peak_mb < 200, f"huge arguments: peak memory {peak_mb:.0f} MB")

    # Text just over the limits gives the same errors; text at the limits is read as before.
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    over = '{"id":"big"}' + " " * (1048576 + 4 - len('{"id":"big"}'))
    try:
        db.execute("SELECT kaohe_total(?, ?)", (RULES, over)).fetchone()
        check(False, "a record of 1 MiB + 4 bytes was scored")
    except sqlite3.Error as e:
        check(str(e) == "kaohe_total: record (no id): record is larger than 1048576 bytes (the limit for a record), "
                        "1048580 bytes [R008]", f"record of 1 MiB + 4 bytes: {e}")
    # A byte-order mark and then exactly 1 MiB of JSON is within the limit (the reader skips the mark).
    chair = open("examples/records/chair.json", encoding="utf-8").read().strip()
    at_limit = "\ufeff" + chair + " " * (1048576 - len(chair.encode()))
    check(len(at_limit.encode()) == 1048576 + 3, "BOM + 1 MiB")
    check(db.execute("SELECT kaohe_total(?, ?)", (RULES, at_limit)).fetchone()[0] == "94.5",
          "a BOM and exactly 1 MiB of JSON is scored")
    for path, needle in (("x" * 4097, "the ruleset path is 4097 bytes long"),
                         ("x" * 4096, "cannot read ruleset " + "x" * 4096)):
        try:
            db.execute("SELECT kaohe_total(?, '{}')", (path,)).fetchone()
            check(False, f"a path of {len(path)} bytes compiled")
        except sqlite3.Error as e:
            check(needle in str(e), f"a path of {len(path)} bytes: {str(e)[:200]}")


def one_card_scheme_scores_without_role():
    """A scheme that declares no roles: a record names none, its result's role is null, and a
    record that names a role is an error saying the scheme has none."""
    rules = "tests/language/one_card.test.kh"
    card = ('{"id":"v1","year":2022,"groups":["cadre"],"measures":{"meetings":3},'
            '"events":[{"type":"absent","count":3},{"type":"award"}]}')
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "v1.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(card)
        want = subprocess.run([cli, "eval", rules, path, "--format", "json"], capture_output=True, text=True).stdout
    got = db.execute("SELECT kaohe_score(?, ?), kaohe_total(?, ?)", (rules, card) * 2).fetchone()
    check(loads(got[0]) == loads(want) and loads(got[0])["role"] is None, f"one card: kaohe_score {got[0][:120]}")
    check(got[1] == "44", f"one card: kaohe_total {got[1]}")
    lines = db.execute("SELECT count(*) FROM kaohe_lines(?, ?)", (rules, card)).fetchone()[0]
    check(lines == len(loads(want)["lines"]), f"one card: {lines} lines")
    try:
        db.execute("SELECT kaohe_total(?, ?)", (rules, '{"id":"v2","role":"cadre","year":2022}')).fetchone()
        check(False, "one card: a record naming a role was scored")
    except sqlite3.OperationalError as e:
        check("the scheme declares no roles" in str(e) and "[R003]" in str(e), f"one card: {e}")


def shipped_rulesets_score_as_the_cli_does():
    """Every other shipped ruleset (rulesets/NAME/NAME.kh) and its sample records
    (examples/records/NAME/): kaohe_score is the CLI's result, kaohe_total its total, kaohe_lines
    its lines. They use the language's forms for real schemes (earned items, facts and standings,
    scales, thresholds from expressions, rule citations, declared totals)."""
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    names = sorted(n for n in os.listdir("rulesets") if n != "seed" and os.path.isdir(os.path.join("rulesets", n)))
    check(len(names) >= 3, f"shipped rulesets: {names}")
    # and the fixture of every form (tests/hosts/NAME/NAME.kh, its records in records/)
    places = [(os.path.join("rulesets", n), os.path.join("examples/records", n)) for n in names]
    places += [(os.path.join("tests/hosts", n), os.path.join("tests/hosts", n, "records"))
               for n in sorted(os.listdir("tests/hosts"))]
    for where, folder in places:
        name = os.path.basename(where)
        rules = os.path.join(where, name + ".kh")
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".json"))
        check(paths, f"{name}: no sample records")
        for path in paths:
            want = subprocess.run([cli, "eval", rules, path, "--format", "json"], capture_output=True,
                                  text=True).stdout
            record = open(path, encoding="utf-8").read()
            got = db.execute("SELECT kaohe_score(?, ?), kaohe_total(?, ?), (SELECT count(*) FROM kaohe_lines(?, ?))",
                             (rules, record) * 3).fetchone()
            check(got[0] == want.strip(), f"{path}: kaohe_score differs from the CLI")
            check(Decimal(got[1]) == loads(want)["total"], f"{path}: kaohe_total {got[1]}")
            check(got[2] == len(loads(want)["lines"]), f"{path}: {got[2]} lines")


def versions_score_by_the_records_year():
    """A folder of a scheme's versions: each row scored by the version for its year, named in the result."""
    rules = "tests/golden/rules/versions"
    rows = [json.dumps({"id": str(y), "year": y, "events": [{"type": "late", "date": "%d-03-02" % y}]}) for y in (2022, 2023)]
    got = [loads(db.execute("SELECT kaohe_score(?, ?)", (rules, r)).fetchone()[0]) for r in rows]
    check([(g["receipt"]["version"], g["total"]) for g in got] == [("2022", 8), ("2023", 7)], f"versions: {got}")
    try:
        db.execute("SELECT kaohe_total(?, ?)", (rules, rows[0].replace("2022", "2021"))).fetchone()
        check(False, "versions: a record for 2021 scored")
    except sqlite3.Error as e:
        check("versions for the years 2022 and 2023" in str(e), f"versions: {e}")


def quota_batch_applies_the_quota_over_the_rows():
    """kaohe_score_batch: the rows' results, scored together as `kaohe eval --batch` scores them (a
    grade's quota over each unit's people), as one JSON array in the rows' order; a record
    refused by its size is an error result in its place; past 64 MiB of record text, an error."""
    rules = "examples/quota/quota.kh"
    people = open("examples/quota/ties.jsonl", encoding="utf-8").read().splitlines()
    people += ['{"id":"q1","unit":"二科","year":2022,"events":[]}', '{"id":"bad","unit":"二科"}']
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.splitext(os.path.abspath(ext))[0])
    db.execute("CREATE TABLE p(n INTEGER PRIMARY KEY, record TEXT)")
    db.executemany("INSERT INTO p VALUES (?, ?)", enumerate(people, 1))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "people.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(people) + "\n")
        want = subprocess.run([cli, "eval", rules, "--batch", path], capture_output=True, text=True).stdout.splitlines()
    got = db.execute("SELECT kaohe_score_batch(?, record) FROM (SELECT record FROM p ORDER BY n)", (rules,)).fetchone()[0]
    results = loads(got)
    check(len(results) == len(people), f"quota batch: {len(results)} results for {len(people)} rows")
    for i, (r, w) in enumerate(zip(results, want)):
        w = loads(w)
        if "error" in w:  # the CLI's batch error's `where` names the line; the aggregate's has no lines
            check("error" in r and r["error"]["code"] == w["error"]["code"] and
                  r["error"]["message"] == w["error"]["message"] and w["error"]["where"] == f"line {i + 1}: " + r["error"]["where"],
                  f"quota batch row {i + 1}: {r} vs {w}")
        else:
            check(r == w, f"quota batch row {i + 1} differs from the CLI: {str(r)[:300]} vs {str(w)[:300]}")
    by_id = dict(db.execute("SELECT value ->> '$.id', value ->> '$.grade' FROM json_each(?)", (got,)).fetchall())
    # 15% of 10 = 1.5, round down = 1: p1 (99) keeps 优秀; p2..p4 (95) reached it and are lowered.
    check(by_id.get("p1") == "优秀" and by_id.get("p2") == "称职" and by_id.get("p4") == "称职",
          f"quota batch grades: {by_id}")
    check(results[1]["outcome"]["by"] == "quota" and results[1]["outcome"]["rank"] == 2, f"quota batch p2: {results[1]}")
    # 二科 is a unit of its own: one person scored (the bad record is no one), 15% of 1 = 0.15,
    # round down = 0, so its 100 keeps no 优秀.
    check(by_id.get("q1") == "称职", f"quota batch: 二科's one person {by_id.get('q1')}")
    # A unit record for every row; NULL records are no one; no rows: NULL.
    none = db.execute("SELECT kaohe_score_batch(?, record) FROM p WHERE n > 100", (rules,)).fetchone()[0]
    check(none is None, f"quota batch over no rows: {none}")
    # A record refused by its size is its R008 error, in its place, and not one of the population.
    two = db.execute("SELECT kaohe_score_batch(?, r) FROM (SELECT ? AS r UNION ALL SELECT zeroblob(2000000))",
                     (rules, people[0])).fetchone()[0]
    two = loads(two)
    # p1 alone in 一科: 15% of 1 = 0.15, round down = 0, so even 99 keeps no 优秀.
    check(len(two) == 2 and two[0]["grade"] == "称职" and "15% of 1 = 0.15" in two[0]["outcome"]["quota"] and
          two[1]["error"]["code"] == "R008", f"quota batch refused: {two}")
    try:
        db.execute("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 70) "
                   "SELECT kaohe_score_batch(?, printf('%.*c', 1000000, 'x')) FROM c", (rules,)).fetchone()
        check(False, "a batch of 70 MB of records was scored")
    except sqlite3.OperationalError as e:
        check("hold at most 67108864 bytes of text in all; at row 68" in str(e), f"quota batch too large: {e}")
    try:
        db.execute("SELECT kaohe_score_batch(CASE WHEN n = 1 THEN ? ELSE 'rulesets/seed/seed.kh' END, record) FROM p",
                   (rules,)).fetchone()
        check(False, "a batch over two rulesets was scored")
    except sqlite3.OperationalError as e:
        check("every row of one batch must name the same ruleset" in str(e), f"quota batch two rulesets: {e}")


huge_arguments_are_refused_by_size()
versions_score_by_the_records_year()
one_card_scheme_scores_without_role()
quota_batch_applies_the_quota_over_the_rows()
shipped_rulesets_score_as_the_cli_does()

if failures:
    print(f"sqlite: {len(failures)} failures")
    sys.exit(1)
print(f"sqlite: {len(records)} records, {len(err_rows)} bad, all agree with the CLI")
