"""The Python module `kaohe` against the CLI.

    PYTHONPATH=build/python python3 tests/capi/python_test.py build/cli/kaohe

Run from the source tree's root by ctest (test `python`), with the Python the module was built for.
"""
import decimal
import glob
import json
import math
import os
import subprocess
import sys
import threading
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
        for bad, error in ((object(), TypeError), (math.nan, ValueError), (math.inf, ValueError),
                           (Decimal("NaN"), ValueError), (Decimal("-Infinity"), ValueError), ({1: 2}, TypeError)):
            with self.subTest(value=repr(bad)):
                with self.assertRaises(error):
                    self.rules.evaluate(dict(record, measures=dict(measures, county_target_score=bad)))
        with self.assertRaises(TypeError):
            self.rules.evaluate(5)
        # Nesting past the limit, even a list that holds itself, is a record error, not a crash.
        loop = []
        loop.append(loop)
        with self.assertRaises(kaohe.RecordError) as caught:
            self.rules.evaluate(dict(record, events=loop))
        self.assertIn("nested deeper", caught.exception.message)


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
            self.rules.evaluate_many([self.records[0], 42])
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


if __name__ == "__main__":
    CLI = sys.argv.pop(1)
    unittest.main(verbosity=1)
