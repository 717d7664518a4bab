// What one test in the language saw, for tools that watch the test runner (coverage in
// lib/change/): its record as written and as validated, the evaluation, or the rejection.
// Everything here is valid only during the call to the observer.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "eval/evaluate.hpp"
#include "ir/program.hpp"
#include "kaohe/testing.hpp"
#include "record/record.hpp"

namespace kaohe::testing {

struct TestObservation {
    std::size_t index = 0;                         // the test's position among the ruleset's tests
    const ir::Test& test;
    const TestOutcome& outcome;
    const record::RawRecord* raw = nullptr;        // the record as written; null when it could not be read
    const record::RawRecord* raw_unit = nullptr;   // the test's unit events, if any
    const record::Record* record = nullptr;        // null when the record was rejected
    const eval::Outcome* result = nullptr;         // null when the record was rejected
    const std::string& error;                      // why it was rejected, or ""
    const std::string& error_where;                // the field the rejection names ("events[2].amount")
};

// run_tests (kaohe/testing.hpp), calling `observe` (when set) after each test.
TestReport run_observed(const Ruleset& ruleset, const TestOptions& options,
                        const std::function<void(const TestObservation&)>& observe);

}  // namespace kaohe::testing
