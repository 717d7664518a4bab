"""The Python module `kaohe` against the CLI.

    PYTHONPATH=build/python python3 tests/capi/python_test.py build/cli/kaohe

Run from the source tree's root by ctest (test `python`), with the Python the module was built for.
"""
import collections.abc
import decimal
import glob
import hashlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from decimal import Decimal

import kaohe

CLI = None  # set from argv
RULES = "rulesets/seed/seed.kh"
UNIT = "examples/records/unit.json"
RECORDS = sorted(p for p in glob.glob("examples/records/*.json") if os.path.basename(p) != "unit.json")
BAD_RECORD = {"id": "x1", "role": "chair", "year": 2022, "evnts": []}


def cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, encoding="utf-8")


def exact(text):
    return json.loads(text, parse_int=Decimal, parse_float=Decimal)


def numbers(value):
    """Every number in a result, wherever it is."""
    if isinstance(value, dict):
        for v in value.values():
            yield from numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from numbers(v)
    elif not isinstance(value, (str, bool)) and value is not None:
        yield value


class Compile(unittest.TestCase):
    def test_version(self):
        self.assertEqual(kaohe.version(), "0.1.0")
        self.assertEqual(kaohe.__version__, "0.1.0")

    def test_a_ruleset_with_errors_raises_compile_error_with_every_diagnostic(self):
        with self.assertRaises(kaohe.CompileError) as caught:
            kaohe.compile("tests/golden/rules/check_three_errors.kh")
        e = caught.exception
        self.assertIsInstance(e, kaohe.Error)
        errors = [d for d in e.diagnostics if d["severity"] == "error"]
        self.assertEqual(len(errors), 3)
        self.assertEqual(set(errors[0]), {"code", "severity", "file", "line", "column", "message"})
        self.assertIn({"code": "C004", "severity": "error", "file": "tests/golden/rules/check_three_errors.kh",
                       "line": 6, "column": 19,
                       "message": "unknown event `study_lat` (did you mean `study_late`?)"}, errors)
        self.assertIn("tests/golden/rules/check_three_errors.kh:6:19: error[C004]", str(e))
        # The same diagnostics as `kaohe check`.
        self.assertIn(str(e), cli("check", "tests/golden/rules/check_three_errors.kh").stderr)

    def test_a_missing_file(self):
        with self.assertRaises(kaohe.CompileError) as caught:
            kaohe.compile("no/such/rules.kh")
        self.assertEqual(caught.exception.diagnostics[0]["code"], "P003")

    def test_files_that_are_not_regular_and_paths_with_nul(self):
        import signal
        import tempfile
        signal.alarm(30)  # a blocked open() of the FIFO ends the run as a failure, not a hang
        try:
            with tempfile.TemporaryDirectory() as tmp:
                fifo = os.path.join(tmp, "rules.kh")
                os.mkfifo(fifo)
                for path in (fifo, tmp, "/dev/zero"):
                    with self.assertRaises(kaohe.CompileError) as caught:
                        kaohe.compile(path)
                    d = caught.exception.diagnostics[0]
                    self.assertEqual(d["code"], "P003")
                    self.assertIn("not a regular file", d["message"])
                with self.assertRaises(kaohe.CompileError) as caught:
                    kaohe.compile(RULES + "\0.ignored")
                self.assertIn("the path holds a NUL byte", caught.exception.diagnostics[0]["message"])
        finally:
            signal.alarm(0)

    def test_paths_and_text(self):
        import pathlib
        rules = kaohe.compile(pathlib.Path(RULES))
        self.assertEqual(rules.year, 2022)
        self.assertTrue(rules.policy_name)
        self.assertIsInstance(rules.warnings, list)
        tiny = kaohe.compile_text('policy "t" version "1" year 2022 round 2 half_up\n'
                                  'role clerk "办事员" { }\nevent late "迟到"\n'
                                  'section s "S" 10 { clause c "C" 10 { deduct 1 each late } }\n', "tiny.kh")
        r = tiny.evaluate({"id": "a", "role": "clerk", "year": 2022, "events": [{"type": "late", "count": 3}]})
        self.assertEqual(r["total"], Decimal(7))
        self.assertEqual(r["lines"][0]["rule"], "tiny.kh:4")
        with self.assertRaises(kaohe.CompileError):
            kaohe.compile_text('policy "t" version', "broken.kh")

    def test_a_file_name_that_is_not_utf8(self):
        # A name in GBK, as from a Chinese Windows machine: a str with surrogate escapes, bytes
        # and a PathLike all name it, as for open(); what comes back is valid text.
        import pathlib
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            raw = os.fsencode(tmp) + b"/" + "考核".encode("gbk") + b".kh"
            with open(raw, "wb") as f:
                f.write(b'policy "t" year 2022\nrole r "r" { section s "s" 10 { clause c "c" 10 { } } }\n')
            for path in (os.fsdecode(raw), raw, pathlib.Path(os.fsdecode(raw))):
                self.assertEqual(kaohe.compile(path).year, 2022)
            with open(raw, "wb") as f:
                f.write(b'policy "t" year 2022\nevent e "e" oops\n')
            with self.assertRaises(kaohe.CompileError) as caught:
                kaohe.compile(raw)
            self.assertIn("/\\xbf\\xbc\\xba\\xcb.kh:2:", str(caught.exception))
            self.assertTrue(caught.exception.diagnostics[0]["file"].endswith("/\ufffd\ufffd\ufffd\ufffd.kh"))

    def test_errors_stop_at_the_limit(self):
        text = ('policy "p" year 2022 event late "迟到" role r "r" { section s "s" 100 { clause c "c" 100 { '
                + " ".join(["deduct 1 each lat"] * 5000) + " } } }")
        with self.assertRaises(kaohe.CompileError) as caught:
            kaohe.compile_text(text, "many.kh")
        diagnostics = caught.exception.diagnostics
        self.assertEqual(len(diagnostics), 101)
        self.assertEqual(diagnostics[-1]["code"], "P004")
        self.assertIn("too many errors: stopping after the first 100", diagnostics[-1]["message"])


    def test_the_result_says_what_decided_the_grade(self):
        rules = kaohe.compile_text(
            'policy "t" year 2022\nattribute level "等级" { major "重大", minor "一般" }\n'
            'event accident "事故" { level }\nevent warning "警告处分"\nevent late "迟到"\n'
            'grades { "优秀" >= 9, "称职" >= 6, "不称职" otherwise }\n'
            'veto accident where level = major forces "不称职" cite "第五条"\nveto warning caps "称职"\n'
            'grade "不称职" when count(late) > 2\n'
            'section s "S" 10 { clause c "C" 10 { deduct 1 each late } }\n', "grades.kh")
        def outcome(*events):
            return rules.evaluate({"id": "a", "year": 2022, "events": list(events)})["outcome"]
        self.assertEqual(outcome(), {"grade": "优秀", "by": "band", "band": "优秀 >= 9"})
        self.assertEqual(outcome({"type": "late"}, {"type": "accident", "level": "major", "date": "2022-05-01", "note": "火灾"}),
                         {"grade": "不称职", "by": "veto", "event": "accident", "date": "2022-05-01", "note": "火灾",
                          "event_index": 1, "rule": "grades.kh:7", "cite": "第五条"})
        self.assertEqual(outcome({"type": "warning"}),
                         {"grade": "称职", "by": "cap", "band": "优秀 >= 9", "event": "warning", "event_index": 0,
                          "rule": "grades.kh:8"})
        self.assertEqual(outcome({"type": "late", "count": 3}),
                         {"grade": "不称职", "by": "condition", "condition": "count(late) > 2",
                          "why": "count(late) = 3 > 2", "rule": "grades.kh:9"})

    def test_a_quota_ranks_a_batch_and_a_single_record_is_before_it(self):
        rules = kaohe.compile("examples/quota/quota.kh")
        with open("examples/quota/ties.jsonl", encoding="utf-8") as f:
            people = [json.loads(line) for line in f]
        results = rules.evaluate_many(people)
        self.assertEqual([r["grade"] for r in results[:5]], ["优秀", "称职", "称职", "称职", "称职"])
        self.assertEqual(results[1]["outcome"],
                         {"grade": "称职", "by": "quota", "band": "优秀 >= 90", "rule": "examples/quota/quota.kh:6",
                          "quota": "优秀: 15% of 10 = 1.5, round down = 1, ties all_in", "rank": 2})
        self.assertEqual(results[8]["grade"], "不称职")
        self.assertEqual(rules.evaluate(people[0])["outcome"]["quota"], "before")

    def test_a_quota_ranks_people_tied_on_total_by_its_tie_measure(self):
        rules = kaohe.compile("tests/language/quota_ties.test.kh")
        def person(days):
            return {"id": str(days), "year": 2022, "measures": {"attendance": days},
                    "events": [{"type": "mistake", "amount": 5}]}
        # Two tied at 95, the one with more days first; three at 60. 20% of 5 = 1.
        people = [person(249), person(250)] + [dict(person(0), events=[{"type": "mistake", "amount": 40}])] * 3
        results = rules.evaluate_many(people)
        self.assertEqual([r["grade"] for r in results], ["称职", "优秀", "称职", "称职", "称职"])
        self.assertEqual(results[0]["outcome"],
                         {"grade": "称职", "by": "quota", "band": "优秀 >= 90",
                          "rule": "tests/language/quota_ties.test.kh:6",
                          "quota": "优秀: 20% of 5 = 1, round down, ties by highest attendance then all_in", "rank": 2})

    def test_a_grade_rule_reading_the_unit_is_decided_in_a_batch_and_undecided_alone(self):
        rules = kaohe.compile("tests/language/unit_stats.test.kh")
        def person(lost, attendance):
            return {"id": str(lost), "year": 2022, "measures": {"attendance": attendance},
                    "events": [{"type": "mistake", "amount": lost}]}
        # 100, 92, 91, 91: the mean is 93.5, so 92 (rank 2 of 4) is held to 称职.
        people = [person(0, 100), person(8, 90), person(9, 95), person(9, 85)]
        results = rules.evaluate_many(people)
        self.assertEqual([r["grade"] for r in results], ["优秀", "称职", "称职", "称职"])
        self.assertEqual(results[1]["population"],
                         {"decided": True, "unit": "", "people": 4, "rank": 2, "mean_total": Decimal("93.5"),
                          "means": {"attendance": Decimal("92.5")}})
        self.assertEqual(rules.evaluate(people[1])["population"], {"decided": False, "unit": ""})

    def test_a_total_shown_rounded_comes_with_its_exact_value_and_the_figure_that_decided(self):
        rules = kaohe.compile("tests/language/rounding.test.kh")
        got = rules.evaluate({"id": "a", "year": 2022, "measures": {"s": Decimal("89.9967")}})
        self.assertEqual(got["total"], Decimal("90.00"))
        self.assertEqual(got["exact"], {"total": Decimal("89.9967"), "work": Decimal("89.9967"),
                                        "work.a": Decimal("89.9967")})
        self.assertEqual(got["outcome"], {"grade": "称职", "by": "band", "band": "称职 >= 60",
                                          "on_total": Decimal("89.9967")})

    def test_a_folder_of_versions_scores_by_the_records_year_and_names_the_version(self):
        rules = kaohe.compile("tests/golden/rules/versions")
        def late(year):
            return {"id": "a", "year": year, "events": [{"type": "late", "date": "%d-03-02" % year}]}
        r2022, r2023 = rules.evaluate(late(2022)), rules.evaluate(late(2023))
        self.assertEqual((r2022["receipt"]["version"], r2022["total"]), ("2022", 8))
        self.assertEqual((r2023["receipt"]["version"], r2023["total"]), ("2023", 7))
        with self.assertRaises(kaohe.RecordError) as caught:
            rules.evaluate(late(2021))
        self.assertIn("versions for the years 2022 and 2023", str(caught.exception))


class Evaluate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = kaohe.compile(RULES)
        cls.expected = {}
        for path in RECORDS:
            out = cli("eval", RULES, path, "--format", "json")
            assert out.returncode == 0, out.stderr
            cls.expected[path] = out.stdout.strip()

    def test_every_shipped_record_scores_as_the_cli_does_with_decimal_numbers(self):
        for path in RECORDS:
            with self.subTest(record=path):
                want = exact(self.expected[path])
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                # A dict as json.load gives it (binary fractions), one with Decimals, and the text.
                for record in (json.loads(text), exact(text), text, text.encode("utf-8")):
                    got = self.rules.evaluate(record)
                    self.assertEqual(got, want)
                    for n in numbers(got):
                        self.assertIs(type(n), Decimal)
                self.assertEqual(self.rules.evaluate_json(text), self.expected[path])
                self.assertEqual(str(got["total"]), str(want["total"]))

    def test_the_receipt_names_the_rules_and_the_record_as_docs_records_md_says(self):
        def canonical(v):  # docs/records.md, "The receipt"
            if isinstance(v, dict):
                return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in sorted(v)) + "}"
            if isinstance(v, list):
                return "[" + ",".join(canonical(x) for x in v) + "]"
            if isinstance(v, Decimal):
                text = format(v.normalize(), "f") if v else "0"
                return text.rstrip("0").rstrip(".") if "." in text else text
            return json.dumps(v, ensure_ascii=False)

        def as_read(record):  # docs/records.md, "The receipt"
            empty = lambda k, v: (k == "name" and v == "") or (k not in ("id", "role") and v in ([], {}))
            r = {k: v for k, v in record.items() if not empty(k, v)}
            if "id" in r:
                r["id"] = str(r["id"])
            for name, period in r.get("periods", {}).items():
                r["periods"][name] = {k: v for k, v in period.items() if v != {}}
            return r

        for path in RECORDS:
            with self.subTest(record=path):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                want = exact(self.expected[path])["receipt"]
                # A dict, and the text: the same record, the same receipt as the CLI's.
                self.assertEqual(self.rules.evaluate(json.loads(text))["receipt"], want)
                self.assertEqual(self.rules.evaluate(text)["receipt"], want)
                self.assertEqual(want["policy"], "县科协岗位责任制及效能考核")
                self.assertEqual(want["version"], "2022")
                self.assertRegex(want["ruleset"], "^sha256:[0-9a-f]{64}$")
                digest = hashlib.sha256(canonical(as_read(exact(text))).encode("utf-8")).hexdigest()
                self.assertEqual(want["record"], "sha256:" + digest)
                # A record with a `unit` (which a quota counts the person in): the unit is hashed.
                record = exact(text)
                record["unit"] = "办公室"
                got = self.rules.evaluate(record)["receipt"]["record"]
                digest = hashlib.sha256(canonical(as_read(record)).encode("utf-8")).hexdigest()
                self.assertEqual(got, "sha256:" + digest)
                self.assertNotEqual(got, want["record"])

    def test_a_result_stored_through_a_json_library_still_verifies(self):
        rules = "tests/language/rounding.test.kh"  # `report 2 places`: whole scores are written 90.00
        with tempfile.TemporaryDirectory() as tmp:
            record = os.path.join(tmp, "a.json")
            with open(record, "w", encoding="utf-8") as f:
                json.dump({"id": "a", "year": 2022, "measures": {"s": 89.9967}}, f)
            out = cli("eval", rules, record, "--format", "json")
            self.assertEqual(out.returncode, 0, out.stderr)
            self.assertIn('"total":90.00', out.stdout)
            # Floats, keys sorted, non-ASCII escaped: `90.00` comes back `90.0`.
            stored = os.path.join(tmp, "a.result.json")
            with open(stored, "w", encoding="utf-8") as f:
                f.write(json.dumps(json.loads(out.stdout), sort_keys=True))
            with open(stored, encoding="utf-8") as f:
                self.assertIn('"total": 90.0}', f.read())
            got = cli("verify", rules, record, stored)
            self.assertEqual((got.returncode, got.stdout), (0, "the result is what these rules give for this record\n"))
            with open(stored, "w", encoding="utf-8") as f:
                f.write(out.stdout.replace('"total":90.00', '"total":90.01'))
            got = cli("verify", rules, record, stored)
            self.assertEqual(got.returncode, 1)
            self.assertIn("the total: the result has 90.01, these rules give 90.00", got.stdout)

    def test_with_the_unit_record(self):
        with open(UNIT, encoding="utf-8") as f:
            unit = json.load(f)
        for path in ("examples/records/chair.json", "examples/records/office_clerk.json"):
            out = cli("eval", RULES, path, "--unit", UNIT, "--format", "json")
            with open(path, encoding="utf-8") as f:
                record = json.load(f)
            self.assertEqual(self.rules.evaluate(record, unit=unit), exact(out.stdout))
            self.assertEqual(self.rules.evaluate(record, json.dumps(unit)), exact(out.stdout))

    def test_numbers_are_read_from_their_decimal_text(self):
        with open("examples/records/chair.json", encoding="utf-8") as f:
            record = json.load(f)
        results = []
        for score in (93.7, Decimal("93.7"), Decimal("93.70"), "93.7"):
            r = dict(record, measures=dict(record["measures"], county_target_score=score))
            if isinstance(score, str):
                text = json.dumps(dict(r, measures=dict(r["measures"], county_target_score=0)))
                r = text.replace('"county_target_score": 0', '"county_target_score": 93.7')
            results.append(self.rules.evaluate(r))
        for r in results[1:]:
            self.assertEqual(r, results[0])
        # 95 − 93.7 = 1.3 exactly: a binary 93.7 would not give it.
        lines = [l for l in results[0]["lines"] if l.get("measure") == "county_target_score"]
        self.assertEqual(lines[0]["points"], Decimal("-1.3"))
        self.assertEqual(lines[0]["value"], Decimal("93.7"))
        # int, and bool is not an int here.
        r = dict(record, measures=dict(record["measures"], county_target_score=95))
        self.assertEqual(self.rules.evaluate(r)["total"], results[0]["total"] + Decimal("1.3"))
        with self.assertRaises(kaohe.RecordError):
            self.rules.evaluate(dict(record, measures=dict(record["measures"], county_target_score=True)))

    def test_a_bad_record_raises_record_error_as_the_cli_reports_it(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "kaohe_python_test_bad_%d.json" % os.getpid())
        with open(path, "w", encoding="utf-8") as f:
            json.dump(BAD_RECORD, f)
        try:
            out = cli("eval", RULES, path, "--format", "json")
        finally:
            os.unlink(path)
        self.assertEqual(out.returncode, 1)
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(BAD_RECORD)
        e = caught.exception
        self.assertIsInstance(e, ValueError)
        self.assertEqual((e.id, e.where, e.field), ("x1", "evnts", "evnts"))
        self.assertIn("did you mean `events`", e.message)
        # The CLI: "PATH: record x1: evnts: [R003] unknown field ..." on stderr, the error result on stdout.
        self.assertEqual(out.stderr.strip(), "%s: %s" % (path, e))
        error = exact(out.stdout)["error"]
        self.assertEqual((error["message"], error["where"], error.get("code", "")), (e.message, e.where, e.code))
        self.assertEqual(self.rules.evaluate_json(BAD_RECORD), out.stdout.strip())

    def test_a_bad_unit_record(self):
        with open("examples/records/chair.json", encoding="utf-8") as f:
            record = json.load(f)
        unit = {"unit": "u", "year": 2022, "events": [{"type": "unit_honour", "issuer": "nowhere"}]}
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(record, unit)
        self.assertEqual(caught.exception.where, "unit.events[0].issuer")
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(record, '{"unit": "u", "year": 2022, "bogus": 1}')
        self.assertEqual(caught.exception.where, "unit.bogus")

    def test_values_a_record_cannot_hold(self):
        with open("examples/records/chair.json", encoding="utf-8") as f:
            record = json.load(f)
        measures = record["measures"]
        for bad in (object(), math.nan, math.inf, Decimal("NaN"), Decimal("-Infinity"), {1: 2}):
            with self.subTest(value=repr(bad)):
                with self.assertRaises(kaohe.RecordError):
                    self.rules.evaluate(dict(record, measures=dict(measures, county_target_score=bad)))
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(5)
        self.assertEqual((caught.exception.code, caught.exception.where), ("R002", ""))
        # Nesting past the limit, even a list that holds itself, is a record error, not a crash.
        loop = []
        loop.append(loop)
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(dict(record, events=loop))
        self.assertIn("nested deeper", caught.exception.message)


class ImportWorkbook(unittest.TestCase):
    def setUp(self):
        self.rules = kaohe.compile(RULES)

    def test_a_csv_sheet_becomes_records_that_evaluate_takes(self):
        with open("tests/sheets/seed/登记表-人员名单.csv", "rb") as f:
            got = self.rules.import_workbook(f.read(), "登记表-人员名单.csv")
        self.assertEqual(got["problems"], [])
        self.assertEqual(got["people"], 10)
        self.assertIsNone(got["unit"])
        first = got["records"][0]
        self.assertEqual((first["id"], first["role"], first["groups"]), ("2022-001", "chair", ["leadership"]))
        self.assertEqual(first["measures"]["county_target_score"], Decimal("93.5"))
        self.assertEqual(self.rules.evaluate(first)["id"], "2022-001")

    def test_problems_are_dicts_at_their_cells_and_no_records_are_given(self):
        with open("tests/sheets/seed/登记表-人员名单.csv", encoding="utf-8-sig") as f:
            header = f.readline().strip().split(",")  # every column of the template's 人员名单

        def row(**cells):
            return ",".join(cells.get(h, "") for h in header)

        text = "\n".join([",".join(header),
                          row(编号="2022-001", 岗位="党组书记主席", 读书笔记字数="5200", reflection_essays="2", county_target_score="93.5"),
                          row(编号="2022-002", 岗位="chair", 读书笔记字数="5000", reflection_essays="3", county_target_score="92")]) + "\n"
        got = self.rules.import_workbook(text.encode("gb18030"), "人员名单.csv")
        self.assertEqual(got["records"], [])
        self.assertEqual(len(got["problems"]), 1, got["problems"])
        p = got["problems"][0]
        self.assertEqual((p["sheet"], p["cell"], p["code"], p["person"]), ("人员名单", "C2", "S003", "2022-001"))
        self.assertEqual(p["text"], "人员名单.csv: 人员名单!C2: [S003] " + p["message"])
        kept = self.rules.import_workbook(text.encode("gb18030"), "人员名单.csv", skip_bad=True)
        self.assertEqual([r["id"] for r in kept["records"]], ["2022-002"])

    def test_several_csv_sheets_at_once_as_pairs_or_a_dict(self):
        names = ["登记表-人员名单.csv", "登记表-事件登记.csv", "登记表-单位事件.csv"]
        files = []
        for n in names:
            with open("tests/sheets/seed/" + n, "rb") as f:
                files.append((n, f.read()))
        pairs = self.rules.import_workbook(files)
        self.assertEqual(pairs["problems"], [])
        self.assertEqual(pairs["people"], 10)
        self.assertGreater(sum(len(r.get("events", [])) for r in pairs["records"]), 0)
        self.assertIsNotNone(pairs["unit"])
        self.assertEqual(self.rules.import_workbook(dict(files)), pairs)
        with self.assertRaises(TypeError):
            self.rules.import_workbook(files, "登记表.xlsx")
        with self.assertRaises(TypeError):
            self.rules.import_workbook(files[0][1])

    def test_a_file_of_no_known_kind_is_a_problem_not_an_exception(self):
        got = self.rules.import_workbook(b"PK", "x.ods")
        self.assertEqual([p["code"] for p in got["problems"]], ["S001"])


class EvaluateMany(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rules = kaohe.compile(RULES)
        cls.records = []
        for path in RECORDS:
            with open(path, encoding="utf-8") as f:
                cls.records.append(json.load(f))
        cls.expected = [exact(cli("eval", RULES, p, "--format", "json").stdout) for p in RECORDS]

    def test_in_input_order_equal_to_the_cli_with_errors_inline(self):
        records = (self.records * 30)[:299]
        records.insert(150, BAD_RECORD)
        for threads in (0, 1, 4):
            with self.subTest(threads=threads):
                got = self.rules.evaluate_many(iter(records), threads=threads)
                self.assertEqual(len(got), 300)
                expected = (self.expected * 30)[:299]
                expected.insert(150, exact(self.rules.evaluate_json(BAD_RECORD)))
                self.assertEqual(got, expected)
                self.assertEqual(got[150]["id"], "x1")
                self.assertEqual(got[150]["error"]["where"], "evnts")
                for n in numbers(got):
                    self.assertIs(type(n), Decimal)

    def test_with_a_unit_record_and_from_text(self):
        with open(UNIT, encoding="utf-8") as f:
            unit = f.read()
        got = self.rules.evaluate_many([json.dumps(r) for r in self.records], unit=unit, threads=3)
        self.assertEqual(got, [self.rules.evaluate(r, unit) for r in self.records])
        with self.assertRaises(kaohe.RecordError):
            self.rules.evaluate_many(self.records, unit={"unit": "u", "year": 1999})

    def test_edges(self):
        self.assertEqual(self.rules.evaluate_many([]), [])
        with self.assertRaises(ValueError):
            self.rules.evaluate_many(self.records, threads=-1)
        with self.assertRaises(TypeError):
            self.rules.evaluate_many(json.dumps(self.records[0]))

    def test_from_several_python_threads_at_once(self):
        results = [None] * 4

        def run(i):
            results[i] = self.rules.evaluate_many(self.records * 20, threads=2)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            self.assertEqual(r, self.expected * 20)


class LongChains(unittest.TestCase):
    """A 20,000-term chain (a 40 KB file) is refused with the limit's error, not a dead interpreter."""

    def test_compile_refuses_a_long_chain(self):
        import tempfile
        text = ('policy "t" year 2022\nsection s "s" 5 { clause c "c" 5 { deduct '
                + "+".join(["0"] * 20000) + " } }\n")
        with self.assertRaises(kaohe.CompileError) as e:
            kaohe.compile_text(text)
        self.assertIn("P004", json.dumps(e.exception.diagnostics))
        self.assertIn("levels deep (the limit", str(e.exception))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "chain.kh")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            with self.assertRaises(kaohe.CompileError):
                kaohe.compile(path)


class ValuesNoRecordCanHold(unittest.TestCase):
    """NaN, infinities, sets, keys that are not str, lone surrogates, huge ints, objects whose own code
    raises: each is a kaohe.RecordError naming its field, and inline in evaluate_many."""

    @classmethod
    def setUpClass(cls):
        cls.rules = kaohe.compile(RULES)
        with open("examples/records/chair.json", encoding="utf-8") as f:
            cls.record = json.load(f)
        cls.good = exact(cli("eval", RULES, "examples/records/chair.json", "--format", "json").stdout)

    def with_measure(self, value):
        return dict(self.record, measures=dict(self.record["measures"], county_target_score=value))

    def with_event(self, **fields):
        return dict(self.record, events=[dict({"type": "work_mistake", "amount": 4}, **fields)])

    def cases(self):
        class Raising(collections.abc.Mapping):
            def __getitem__(self, key):
                raise LookupError("no " + key)

            def __iter__(self):
                raise RuntimeError("this mapping cannot be listed")

            def __len__(self):
                return 1

        where = "measures.county_target_score"
        return [
            # (record, code, where, a part of the message)
            (self.with_measure(math.nan), "R002", where, "is nan, not a finite number"),
            (self.with_measure(-math.inf), "R002", where, "is -inf, not a finite number"),
            (self.with_measure(Decimal("NaN")), "R002", where, "is NaN, not a finite number"),
            (self.with_measure(Decimal("sNaN")), "R002", where, "is sNaN, not a finite number"),
            (self.with_event(amount=Decimal("Infinity")), "R002", "events[0].amount", "is Infinity"),
            (self.with_event(count=math.inf), "R002", "events[0].count", "is inf"),
            (dict(self.record, year=math.nan), "R002", "year", "is nan"),
            (self.with_measure({1, 2}), "R002", where, "is of type set"),
            (self.with_measure(object()), "R002", where, "is of type object"),
            (self.with_measure(b"95"), "R002", where, "is of type bytes"),
            (self.with_measure(1 + 2j), "R002", where, "is of type complex"),
            (dict(self.record, measures={1: 95}), "R002", "measures", "a key of `measures` is of type int (1), not str"),
            ({**self.record, ("id",): 1}, "R002", "", "a key of the record is of type tuple"),
            (self.with_measure(10 ** 5000), "R008", where, "number with more than 400 characters"),
            (self.with_measure(-10 ** 401), "R008", where, "number with more than 400 characters"),
            (self.with_event(note="\ud800 late"), "R001", "events[0].note", "lone surrogate, U+D800 at character 1"),
            (dict(self.record, measures={"x\udfff": 1}), "R001", "measures", "lone surrogate"),
            (self.with_measure(Raising()), "R002", where, "raised RuntimeError: this mapping cannot be listed"),
            (42, "R002", "", "a record is a dict or JSON text (str or bytes), not of type int"),
            ('{"id": "2022-001", "note": "\udc80"}', "R001", "", "lone surrogate"),
        ]

    def test_evaluate_raises_record_error_with_code_field_and_id(self):
        for record, code, where, message in self.cases():
            with self.subTest(code=code, where=where, message=message):
                with self.assertRaises(kaohe.RecordError) as caught:
                    self.rules.evaluate(record)
                e = caught.exception
                self.assertEqual((e.code, e.where), (code, where))
                self.assertIn(message, e.message)
                self.assertEqual(e.id, self.record["id"] if isinstance(record, dict) else "")
                # evaluate_json gives the same error result as text, never an exception.
                error = json.loads(self.rules.evaluate_json(record))["error"]
                self.assertEqual((error["code"], error["where"], error["message"]), (code, where, e.message))

    def test_evaluate_many_keeps_every_good_record(self):
        cases = self.cases()
        batch = []
        for record, _, _, _ in cases:
            batch += [self.record, record]
        batch.append(self.record)
        for threads in (1, 3):
            with self.subTest(threads=threads):
                got = self.rules.evaluate_many(batch, threads=threads)
                self.assertEqual(len(got), 2 * len(cases) + 1)
                for i, (_, code, where, message) in enumerate(cases):
                    self.assertEqual(got[2 * i], self.good)
                    error = got[2 * i + 1]["error"]
                    self.assertEqual((error["code"], error["where"]), (code, where))
                    self.assertIn(message, error["message"])
                self.assertEqual(got[-1], self.good)

    def test_a_bad_value_in_the_unit_record_names_the_unit(self):
        for unit, code, where in (({"unit": "u", "year": math.nan}, "R002", "unit.year"),
                                  ({"unit": "u", "year": 2022, "events": [{"type": {1}}]}, "R002",
                                   "unit.events[0].type")):
            with self.subTest(where=where):
                with self.assertRaises(kaohe.RecordError) as caught:
                    self.rules.evaluate(self.record, unit)
                self.assertEqual((caught.exception.code, caught.exception.where), (code, where))
                with self.assertRaises(kaohe.RecordError):
                    self.rules.evaluate_many([self.record], unit=unit)

    def test_the_exception_behind_a_record_error_is_its_cause(self):
        class Raising(collections.abc.Mapping):
            def __getitem__(self, key):
                raise KeyError(key)

            def __iter__(self):
                raise RuntimeError("cannot be listed")

            def __len__(self):
                return 0

        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(self.with_measure(Raising()))
        self.assertIsInstance(caught.exception.__cause__, RuntimeError)

    def test_keyboard_interrupt_and_out_of_memory_are_not_record_errors(self):
        for exc in (KeyboardInterrupt, MemoryError, SystemExit):
            class Raising(collections.abc.Mapping):
                def __getitem__(self, key):
                    raise KeyError(key)

                def __iter__(self):
                    raise exc()

                def __len__(self):
                    return 0

            with self.subTest(exc=exc.__name__):
                with self.assertRaises(exc):
                    self.rules.evaluate(self.with_measure(Raising()))
                with self.assertRaises(exc):
                    self.rules.evaluate_many([self.record, self.with_measure(Raising())])

    def test_a_float_subclass_cannot_write_into_the_json(self):
        class Sneaky(float):
            def __repr__(self):
                return '95, "role": "office_clerk"'

        got = self.rules.evaluate(self.with_measure(Sneaky(93.7)))
        self.assertEqual(got["role"], "chair")
        lines = [l for l in got["lines"] if l.get("measure") == "county_target_score"]
        self.assertEqual(lines[0]["value"], Decimal("93.7"))


class Sizes(unittest.TestCase):
    """A record or rule text is refused by its size before it is encoded or written out whole."""

    LIMIT = 1 << 20

    @classmethod
    def setUpClass(cls):
        cls.rules = kaohe.compile(RULES)
        with open("examples/records/chair.json", encoding="utf-8") as f:
            cls.chair_text = f.read().strip()
        cls.chair = json.loads(cls.chair_text)

    def assert_too_large(self, e, at_least, where=""):
        self.assertEqual(e.code, "R008")
        self.assertEqual(e.where, where)
        self.assertEqual(e.message, "record is larger than 1048576 bytes (the limit for a record), at least %d bytes"
                         % at_least)

    def test_a_str_record_by_its_length_in_characters(self):
        # 5 million CJK characters, 15 MB as UTF-8: refused by the length, before the UTF-8 copy.
        with self.assertRaises(kaohe.RecordError) as cm:
            self.rules.evaluate("测" * 5_000_000)
        self.assert_too_large(cm.exception, 5_000_000)
        with self.assertRaises(kaohe.RecordError) as cm:
            self.rules.evaluate(self.chair, unit="测" * 5_000_000)
        self.assert_too_large(cm.exception, 5_000_000, "unit")
        # ASCII: the length is the size, and the message says it exactly, as the record reader does.
        with self.assertRaises(kaohe.RecordError) as cm:
            self.rules.evaluate("x" * (self.LIMIT + 4))
        self.assertEqual(cm.exception.message,
                         "record is larger than 1048576 bytes (the limit for a record), 1048580 bytes")
        # A byte-order mark and exactly 1 MiB of JSON is within the limit.
        at_limit = "\ufeff" + self.chair_text + " " * (self.LIMIT - len(self.chair_text.encode()))
        self.assertEqual(self.rules.evaluate(at_limit)["total"], Decimal("94.5"))

    def test_a_dict_record_while_it_is_written(self):
        big = dict(self.chair, pad="x" * 5_000_000)
        with self.assertRaises(kaohe.RecordError) as cm:
            self.rules.evaluate(big)
        self.assertEqual(cm.exception.code, "R008")
        self.assertIn("(the limit for a record), at least ", cm.exception.message)
        # A list of ten million numbers stops being written at the limit (it used to be written
        # whole, 78 MB of text, before the reader refused it), here inline in evaluate_many.
        many = dict(self.chair, events=list(range(10_000_000)))
        got = self.rules.evaluate_many([self.chair, many, self.chair], threads=1)
        self.assertEqual(got[0]["total"], Decimal("94.5"))
        self.assertEqual(got[2]["total"], Decimal("94.5"))
        self.assertEqual(got[1]["error"]["code"], "R008")
        self.assertEqual(got[1]["id"], self.chair["id"])
        at = int(got[1]["error"]["message"].split("at least ")[1].split()[0])
        self.assertTrue(self.LIMIT < at < self.LIMIT + 64, at)

    def test_rule_text_over_8_mib(self):
        for text, shown in ((" " * ((8 << 20) + 1), "8388609 bytes"), ("测" * 9_000_000, "at least 9000000 bytes")):
            with self.subTest(shown=shown):
                with self.assertRaises(kaohe.CompileError) as cm:
                    kaohe.compile_text(text, "big.kh")
                self.assertEqual([d["code"] for d in cm.exception.diagnostics], ["P004"])
                self.assertIn("rule text big.kh is larger than 8 MiB (the limit), " + shown, cm.exception.message)


class Threads(unittest.TestCase):
    def test_zero_is_one_per_core_and_out_of_range_is_refused(self):
        rules = kaohe.compile(RULES)
        with open("examples/records/chair.json", encoding="utf-8") as f:
            record = json.load(f)
        want = [rules.evaluate(record)] * 5
        for n in (0, 1, 1024):
            self.assertEqual(rules.evaluate_many([record] * 5, threads=n), want)
        # As the CLI's --threads and the C ABI: past 1024 is refused, never silently clamped.
        for bad in (1025, 2 ** 32, 2 ** 64, 10 ** 30, -1, -10 ** 30):
            with self.subTest(threads=bad):
                with self.assertRaisesRegex(ValueError, r"threads takes 0 \(one per core\) or a number of threads "
                                                        r"from 1 to 1024, not " + str(bad)[:40]):
                    rules.evaluate_many([record], threads=bad)
        for bad in ("2", True, 2.0):
            with self.subTest(threads=repr(bad)):
                with self.assertRaises(TypeError):
                    rules.evaluate_many([record], threads=bad)


class OneCard(unittest.TestCase):
    """A scheme that declares no role: records name none, and a result's role is None."""
    RULES = "tests/language/one_card.test.kh"
    RECORD = {"id": "v1", "year": 2022, "groups": ["cadre"], "measures": {"meetings": 3},
              "events": [{"type": "absent", "count": 3}, {"type": "award"}]}

    def test_scores_a_record_without_role_as_the_cli_does(self):
        rules = kaohe.compile(self.RULES)
        got = rules.evaluate(self.RECORD)
        self.assertIsNone(got["role"])
        self.assertEqual(got["total"], Decimal("44"))
        self.assertEqual(got["scores"]["work.meetings"], Decimal("14"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "v1.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(self.RECORD, f)
            out = cli("eval", self.RULES, path, "--format", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(got, exact(out.stdout))
        self.assertEqual(rules.evaluate_json(self.RECORD), out.stdout.strip())
        self.assertEqual(rules.evaluate_many([self.RECORD, self.RECORD], threads=2), [got, got])

    def test_a_record_that_names_a_role_is_rejected(self):
        rules = kaohe.compile(self.RULES)
        with self.assertRaises(kaohe.RecordError) as caught:
            rules.evaluate(dict(self.RECORD, role="cadre"))
        e = caught.exception
        self.assertEqual((e.code, e.where), ("R003", "role"))
        self.assertIn("the scheme declares no roles", e.message)


class Flags(unittest.TestCase):
    """A raised flag (`flag ... when ...`) is in the result as the CLI writes it: id, label,
    citation, rule and why; a flag not raised is not listed."""
    RULES = "tests/language/flags.test.kh"
    RECORD = {"id": "p1", "year": 2022, "measures": {"attendance_rate": 95},
              "events": [{"type": "absent", "count": 12}]}

    def test_a_raised_flag_is_in_the_result_as_the_cli_writes_it(self):
        rules = kaohe.compile(self.RULES)
        got = rules.evaluate(self.RECORD)
        self.assertEqual(got["flags"], [{"flag": "further_action", "label": "另作处理", "cite": "第八条",
                                         "rule": "tests/language/flags.test.kh:15", "why": "absences = 12 >= 10"}])
        self.assertEqual(got["total"], Decimal("8"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "p1.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(self.RECORD, f)
            out = cli("eval", self.RULES, path, "--format", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(got, exact(out.stdout))
        quiet = rules.evaluate(dict(self.RECORD, events=[]))
        self.assertEqual(quiet["flags"], [])


class Coefficients(unittest.TestCase):
    """A coefficient (`coefficient ... by grade { ... }`, `by total { ... }`) is in the result as the
    CLI writes it, its value exact; by grade it follows the final grade, a veto's too."""
    RULES = "tests/language/coefficients.test.kh"
    RECORD = {"id": "p1", "year": 2022, "events": [{"type": "mistake", "amount": 4}]}

    def test_the_coefficients_are_in_the_result_as_the_cli_writes_them(self):
        rules = kaohe.compile(self.RULES)
        got = rules.evaluate(self.RECORD)
        self.assertEqual(got["coefficients"], [
            {"coefficient": "pay_factor", "label": "考核系数", "value": Decimal("1.2"), "by": "grade",
             "why": "grade 优秀", "cite": "第十条", "rule": "tests/language/coefficients.test.kh:18"},
            {"coefficient": "bonus_factor", "label": "奖金系数", "value": Decimal("1.3"), "by": "total",
             "why": "total 96 >= 95", "rule": "tests/language/coefficients.test.kh:19"},
            {"coefficient": "basic_factor", "label": "基础系数", "value": Decimal("1"), "by": "grade",
             "why": "grade 优秀, otherwise", "rule": "tests/language/coefficients.test.kh:20"}])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "p1.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(self.RECORD, f)
            out = cli("eval", self.RULES, path, "--format", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(got, exact(out.stdout))
        vetoed = rules.evaluate(dict(self.RECORD, events=[{"type": "accident"}]))
        self.assertEqual(vetoed["grade"], "不称职")
        self.assertEqual(vetoed["coefficients"][0]["value"], Decimal("0"))


class ShippedRulesets(unittest.TestCase):
    """Every other shipped ruleset (rulesets/NAME/NAME.kh) scores its sample records
    (examples/records/NAME/) as the CLI does, and so does the fixture of every form of the language
    for real schemes (tests/hosts/NAME/NAME.kh, records in its records/): the same JSON text, the
    same exact numbers, alone and in a batch."""

    def test_each_record_scores_as_the_cli_does(self):
        shipped = sorted(d for d in glob.glob("rulesets/*/") if os.path.basename(d.rstrip("/")) != "seed")
        self.assertGreaterEqual(len(shipped), 3)
        fixtures = sorted(glob.glob("tests/hosts/*/"))
        self.assertTrue(fixtures)
        for folder in shipped + fixtures:
            name = os.path.basename(folder.rstrip("/"))
            rules = kaohe.compile(os.path.join(folder, name + ".kh"))
            own = os.path.join(folder, "records")
            records = sorted(glob.glob(os.path.join(own if os.path.isdir(own) else os.path.join("examples/records", name),
                                                    "*.json")))
            self.assertTrue(records, name)
            expected = []
            for path in records:
                with self.subTest(record=path):
                    out = cli("eval", os.path.join(folder, name + ".kh"), path, "--format", "json")
                    self.assertEqual(out.returncode, 0, out.stderr)
                    with open(path, encoding="utf-8") as f:
                        record = json.load(f)
                    self.assertEqual(rules.evaluate_json(record), out.stdout.strip())
                    self.assertEqual(rules.evaluate(record), exact(out.stdout))
                    expected.append(exact(out.stdout))
            batch = []
            for path in records:
                with open(path, encoding="utf-8") as f:
                    batch.append(json.load(f))
            self.assertEqual(rules.evaluate_many(batch, threads=2), expected)


INTERRUPTED_CHILD = r"""
import json, os, sys, time
import kaohe
rules = kaohe.compile_text('policy "t" version "1" year 2022 round 2 half_up\n'
                           'role clerk "c" { }\nevent late "l"\nevent absent "a"\n'
                           'section s "S" 100 { clause c "C" 100 { deduct count(late) / 1000 } }\n', "t.kh")
# A population of 60 distinct records, each with a few thousand events, repeated: scoring one takes
# about a millisecond, its result is small, and the texts are shared, so memory stays small.
def record(i):
    events = [{"type": "late", "date": "2022-%02d-%02d" % (1 + j % 12, 1 + j % 28)} for j in range(2000 + 37 * i)]
    return json.dumps({"id": "p%d" % i, "role": "clerk", "year": 2022, "events": events})
population = [record(i) for i in range(60)]
start = time.monotonic()
rules.evaluate_many(population, threads=2)
per_record = (time.monotonic() - start) / len(population)
# Enough records for about 60 s of scoring.
records = population * max(1, int(60 / per_record / len(population)))
print(json.dumps({"records": len(records), "expected_seconds": per_record * len(records)}), flush=True)
try:
    rules.evaluate_many(records, threads=2)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(130)
print("finished", flush=True)
"""


class Ratings(unittest.TestCase):
    def test_marks_and_votes_score_as_the_cli_does_and_bad_votes_raise(self):
        rules = "tests/language/votes.test.kh"
        record = {"id": "v", "year": 2022, "ratings": {"votes": {"excellent": 30, "competent": 10, "basic": 2}}}
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "v.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(record, f)
            out = cli("eval", rules, path, "--format", "json")
        self.assertEqual(out.returncode, 0, out.stderr)
        got = kaohe.compile(rules).evaluate(record)
        self.assertEqual(got, exact(out.stdout))
        # 30 × 40/42 = 28.57 as the policy rounds; the result lists the votes per grade, not the raters.
        self.assertEqual(got["scores"]["masses.votes"], Decimal("28.57"))
        self.assertEqual(got["ratings"]["votes"]["of"], 42)
        with self.assertRaises(kaohe.RecordError) as caught:
            kaohe.compile(rules).evaluate({"id": "v", "year": 2022, "ratings": {"votes": {"excellent": 0}}})
        self.assertEqual(caught.exception.code, "R009")
        marks = kaohe.compile("tests/language/ratings.test.kh").evaluate(
            {"id": "a", "year": 2022, "ratings": {"review": [92, 88, 95, 90, 85], "peers": [98, 90, 88, 86, 70],
                                                  "standing": ["优秀", "良好", "一般"]}})
        self.assertEqual(marks["total"], Decimal("89.5"))
        self.assertEqual(marks["ratings"]["peers"]["marks"], 5)


def workbook_sheets(data):
    """A workbook's sheets by name, each as {cell name: shown text}, read with zipfile."""
    import re
    import zipfile
    from io import BytesIO
    from xml.etree import ElementTree
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    z = zipfile.ZipFile(BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    rels = {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    sheets = {}
    for s in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns):
        xml = ElementTree.fromstring(z.read("xl/" + rels[s.get("{%s}id" % ns["r"])]))
        cells = {}
        for c in xml.iter("{%s}c" % ns["m"]):
            v = c.find("m:v", ns)
            if v is not None:
                cells[c.get("r")] = shared[int(v.text)] if c.get("t") == "s" else v.text
        sheets[s.get("name")] = cells
    return sheets


class Workbooks(unittest.TestCase):
    def test_the_entry_workbook_holds_the_entry_sheets_and_the_instructions(self):
        sheets = workbook_sheets(kaohe.compile(RULES).entry_workbook())
        self.assertEqual(list(sheets)[:2], ["人员名单", "事件登记"])
        self.assertIn("填表说明", sheets)
        self.assertEqual(sheets["人员名单"]["A1"], "编号")

    def test_the_results_workbook_has_a_row_a_person_and_the_failed_records(self):
        rules = kaohe.compile(RULES)
        with open(RECORDS[0], encoding="utf-8") as f:
            text = f.read()
        sheets = workbook_sheets(rules.results_workbook([text, BAD_RECORD], threads=1))
        want = exact(rules.evaluate_json(text))
        self.assertEqual(sheets["考核结果"]["A2"], want["id"])
        self.assertEqual(Decimal(sheets["考核结果"]["E2"]), want["total"])
        self.assertEqual(sheets["未能评分"]["A2"], "x1")
        self.assertEqual(sheets["未能评分"]["C2"], "R003")
        with self.assertRaises(ValueError):
            rules.results_workbook([text], threads=-1)


class Interrupt(unittest.TestCase):
    def test_ctrl_c_stops_a_long_evaluate_many_within_a_second(self):
        child = subprocess.Popen([sys.executable, "-c", INTERRUPTED_CHILD], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        try:
            plan = json.loads(child.stdout.readline())
            self.assertGreater(plan["expected_seconds"], 20, plan)  # it would run long without Ctrl-C
            time.sleep(1.0)
            sent = time.monotonic()
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        print("\n  evaluate_many of %d records (about %.0f s of work) stopped %.3f s after SIGINT"
              % (plan["records"], plan["expected_seconds"], took), file=sys.stderr)
        self.assertEqual(out.strip(), "KeyboardInterrupt", err)
        self.assertEqual(child.returncode, 130)
        self.assertLess(took, 5.0)


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=1)
