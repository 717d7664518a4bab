// Every diagnostic code kaohe emits, with what it means. Codes are stable: tools and tests match
// on them. tests/codes_test.cpp checks that every code used in lib/ is listed here, and that each
// one has a case in the bad-input suite (tests/golden/rules, tests/bad-input/records).
#pragma once

namespace kaohe::diag {

struct CodeInfo {
    const char* code;
    const char* meaning;
};

inline constexpr CodeInfo kCodes[] = {
    // Parsing
    {"P001", "syntax: what was expected, in the author's words"},
    {"P002", "the rule file is not valid UTF-8"},
    {"P003", "a rule file cannot be read (missing include, a directory)"},
    {"P004", "a limit: file size, name length, text length, expression depth, `times` suffixes of a rule, errors of one compile"},
    {"P005", "a number literal beyond the number limits"},
    {"P006", "includes: a cycle, or nested too deep"},
    {"P007", "a character that only looks like syntax: full-width, CJK punctuation, an unusual space, invisible"},
    {"P008", "given twice: a rule's `when` or `at most`; a test's item, an event field or a measure in a test"},
    // Checking
    {"C001", "the policy header: missing, repeated, bad year or rounding"},
    {"C002", "declared twice: event, measure, group, role, attribute value, clause, table key"},
    {"C003", "a domain or range that is empty or reversed; a default outside its domain"},
    {"C004", "an unknown name: event, measure, group, role, attribute or attribute value, a test's clause path"},
    {"C005", "structure: a missing or conflicting maximum, an empty section"},
    {"C006", "a section's children allocate more than its maximum"},
    {"C008", "a type error: a number where a condition is needed, or the reverse"},
    {"C009", "`amount` where there is no event amount"},
    {"C010", "a function given the wrong number of values"},
    {"C011", "division by zero, a step of zero"},
    {"C012", "a rule's points: missing, given twice, a cap of zero"},
    {"C013", "a step rule without its rounding choice"},
    {"C014", "grades and vetoes: order, repetition, a veto without grades, a grade no band declares"},
    {"C015", "a test's record holds a value no record may have: outside a range or domain, a date outside the year"},
    {"W001", "a section's children allocate fewer points than its maximum"},
    {"W002", "an event no rule uses"},
    {"W003", "an invisible character inside a text in quotes"},
    // Records
    {"R001", "the record is not valid JSON"},
    {"R002", "a field has the wrong JSON type"},
    {"R003", "an unknown or repeated field"},
    {"R004", "a required field or measure is missing"},
    {"R005", "an unknown role, group, event type, measure or attribute value"},
    {"R006", "a value outside its range or domain"},
    {"R007", "a date or year that is malformed or outside the assessment year"},
    {"R008", "a limit: record size, nesting, string length, events, count, number size"},
    {"R009", "the record cannot be scored: a value missing from a table, a unit record's person event, overflow"},
};

}  // namespace kaohe::diag
