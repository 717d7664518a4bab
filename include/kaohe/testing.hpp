// Tests written in the rule language: `test "..." { role ... events { ... } expect ... }`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kaohe/diagnostic.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe {

// A failed `expect PATH = N` or `expect grade = "..."`, with what `kaohe test --update` needs to
// rewrite the expected value in place.
struct Mismatch {
    Location where;                    // the expectation (where.file is the file to rewrite)
    std::uint32_t begin = 0, end = 0;  // the expected value's bytes in that file
    std::string expected_text;         // those bytes: "10", "\"称职\""
    std::string expectation;           // as written, on one line: "expect public.study = 10"
    std::string actual;                // the actual value, written the same way ("9"); "" when it
                                       // cannot be written exactly (no finite decimal, no grade)
};

struct TestOutcome {
    std::string name;
    Location where;             // the test block
    bool passed = false;
    std::vector<std::string> failures;  // one per failed expectation: "expect X = 5: actual 4"
    std::string explanation;   // the scorecard (or record error) of the actual result, when failed
    std::vector<Mismatch> mismatches;   // the failed value and grade expectations
    std::size_t index = 0;      // the test's position among the ruleset's tests
    // A failed test for people: "FILE:LINE:COLUMN: FAIL: test \"NAME\"", each failure indented by
    // 4, then "  actual result:" and the explanation indented by 4; "" when it passed.
    std::string text() const;
    // {"file", "line", "column", "test", "failures": [...]} ("failures" empty when it passed).
    std::string json() const;
};

// What running a rule file's tests found. Like every report of the tooling (kaohe/policy.hpp):
// `diagnostics` of the rule files read, `error` saying in words why it could not run ("" when it
// ran), ok(), and text() for people, json() for machines. Whether the tests passed is failed().
// text() is ready for a terminal: what comes from rule files and records is shown as
// kaohe::terminal_text shows it.
struct TestReport {
    std::vector<TestOutcome> tests;
    std::vector<Diagnostic> diagnostics;  // the file's compile diagnostics (errors fail every test)
    std::string file;                     // the file run_tests(path) compiled; "" from a Ruleset
    std::string error;                    // "the file does not compile" (no test ran); "" when they ran
    bool ok() const { return error.empty(); }
    int passed() const;
    int failed() const;  // tests that failed (a file that does not compile ran none)
    // The failed tests (TestOutcome::text()), then "P passed, F failed"; when !ok(), the one line
    // "FILE: FAIL: the file does not compile, so none of its tests ran".
    std::string text() const;
    // {"passed": P, "failed": F, "failures": [TestOutcome::json() of each failed test]}; when
    // !ok(), {"file": FILE, "error": ERROR}.
    std::string json() const;
};

// Compiles `path` and runs every test it (and what it includes) declares; `error` is set when it
// does not compile.
TestReport run_tests(const std::string& path);

// Runs the tests of an already compiled ruleset.
TestReport run_tests(const Ruleset& ruleset);

struct TestOptions {
    std::vector<std::size_t> only;      // run these tests (positions among the ruleset's tests), in this
                                        // order; empty: every test
    bool stop_at_first_failure = false;  // mutation testing needs only the first failure
};

TestReport run_tests(const Ruleset& ruleset, const TestOptions& options);

// The rule files under `dir` that hold tests: every `*.test.kh`, sorted.
std::vector<std::string> find_test_files(const std::string& dir);

}  // namespace kaohe
