// Tests written in the rule language: `test "..." { role ... events { ... } expect ... }`.
#pragma once

#include <string>
#include <vector>

#include "kaohe/diagnostic.hpp"
#include "kaohe/kaohe.hpp"

namespace kaohe {

struct TestOutcome {
    std::string name;
    Location where;             // the test block
    bool passed = false;
    std::vector<std::string> failures;  // one per failed expectation: "expect X = 5: actual 4"
    std::string explanation;   // the scorecard (or record error) of the actual result, when failed
};

struct TestReport {
    std::vector<TestOutcome> tests;
    std::vector<Diagnostic> diagnostics;  // the file's compile diagnostics (errors fail every test)
    int passed() const;
    int failed() const;
};

// Compiles `path` and runs every test it (and what it includes) declares.
TestReport run_tests(const std::string& path);

// Runs the tests of an already compiled ruleset.
TestReport run_tests(const Ruleset& ruleset);

// The rule files under `dir` that hold tests: every `*.test.kh`, sorted.
std::vector<std::string> find_test_files(const std::string& dir);

}  // namespace kaohe
