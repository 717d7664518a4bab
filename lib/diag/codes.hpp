// Every diagnostic code kaohe emits, in one table: its code, its severity and what it means.
// Codes are stable: tools and tests match on them. From this table come the constants the emit
// sites name (diag::Code::C004: a misspelt code does not build), the severity a diagnostic is
// made with, the record error codes (R…), and the tables of docs/diagnostics.md and
// docs/records.md (tests/docs_test.cpp). tests/codes_test.cpp checks that each code has a case
// in the bad-input suite (tests/golden/rules, tests/bad-input/records, tests/bad-input/sheets).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "kaohe/diagnostic.hpp"

// X(code, severity, meaning), grouped by letter: P parse, C check, W warning, R record, S sheet
// (workbooks and CSV files read into records; lib/sheet/, docs/workbooks.md).
#define KAOHE_DIAGNOSTIC_CODES(X)                                                                                   \
    /* Parsing */                                                                                                   \
    X(P001, error, "syntax: what was expected, in the author's words")                                             \
    X(P002, error, "the rule file is not valid UTF-8")                                                             \
    X(P003, error, "a rule file cannot be read (missing include, a directory)")                                    \
    X(P004, error, "a limit: file size, name length, text length, expression depth, `times` suffixes of a rule, errors of one compile") \
    X(P005, error, "a number literal beyond the number limits")                                                    \
    X(P006, error, "includes: a cycle, or nested too deep")                                                        \
    X(P007, error, "a character that only looks like syntax: full-width, CJK punctuation, an unusual space, invisible") \
    X(P008, error, "given twice: a rule's `when`, `at most` or `cite`; a section's or clause's `cite`, `floor none`, maximum, `within` or `weight`; a header's `version`, `year`, `round` or `total`; a `default`, an event's `amount` or `unit`; a test's item, an event field or a measure in a test") \
    /* Checking */                                                                                                  \
    X(C001, error, "the policy header: missing, repeated, bad year or rounding")                                   \
    X(C002, error, "declared twice: event, measure, group, role, attribute value, clause, table key")              \
    X(C003, error, "a domain or range that is empty or reversed; a default outside its domain")                    \
    X(C004, error, "an unknown name: event, measure, group, role, attribute or attribute value, a test's clause path") \
    X(C005, error, "structure: a missing or conflicting maximum, an empty section")                                \
    X(C006, error, "a section's children allocate more than its maximum")                                          \
    X(C008, error, "a type error: a number where a condition is needed, or the reverse")                           \
    X(C009, error, "`amount` where there is no event amount")                                                      \
    X(C010, error, "a function given the wrong number of values")                                                  \
    X(C011, error, "division by zero, a step of zero")                                                             \
    X(C012, error, "a rule's points: missing, given twice, a cap of zero")                                         \
    X(C013, error, "a step rule without its rounding choice")                                                      \
    X(C014, error, "grades and vetoes: order, repetition, a veto without grades, a grade no band declares")        \
    X(C015, error, "a test's record holds a value no record may have: outside a range or domain, a date outside the year") \
    X(C030, error, "a rule's citation that names no item: empty or blank")                                         \
    X(C031, error, "a card whose capped top-level sections do not add up to its declared `total`")                \
    X(C032, error, "a points table's `otherwise` that no value is left for")                                       \
    X(C033, error, "a clause's start (`from`) that means nothing: a number other than 0, on a section, on a clause with no maximum; `from 0` with `floor none`") \
    X(C034, error, "a test names a role, but the scheme declares none (one card for everyone)")                  \
    X(C035, error, "an earned clause (`from 0`) with no `add` rule: it can never score")                       \
    X(C036, error, "a `within N` adjustment that means nothing: on a section, `within 0`, or with `floor none` or `from`") \
    X(C037, error, "a measure's scale that gives a label or a value twice")                                        \
    X(C038, error, "a measure's scale that lists no value")                                                         \
    X(C039, error, "a points table over a fact that gives no points for some of its values, without `otherwise`")  \
    X(C040, error, "a value's label that another value of its standing or attribute also has, or a standing's label that is another value's id") \
    X(C041, error, "named values that depend on each other in a cycle")                                          \
    X(C042, error, "weights that mean nothing: sibling weights that do not add up to 100%, a weight of 0 or over 100%, a weight on a clause or an uncapped section") \
    X(C043, error, "weights on some of a section's (or a card's) capped parts but not on others")               \
    X(C044, error, "a rating used against its kind: `share` of a marks rating, `mean` or `dropping` on a vote rating, a vote rating used as a number") \
    X(C045, error, "a per-period input (`measure ... each quarter`) read outside a period rule or a period section of its kind") \
    X(C046, error, "a period rule (`each month`, `each quarter`) whose condition reads no event and no per-period input: every period would answer the same") \
    X(C047, error, "a vote rating with no grades, or with a grade or a grade's label given twice")               \
    X(C048, error, "a period form where it means nothing: `each` on a clause, on an uncapped section, on a section or rule inside a section scored per period") \
    X(C049, error, "months and quarters mixed: a per-period input read in a rule or section scored per period of the other kind") \
    X(C050, error, "a veto that cannot decide: `caps` in a ruleset without grades or at the best grade, `veto E` alone where grades are declared") \
    X(C052, error, "a test expecting a veto on an event no `veto` names")                                         \
    X(C053, error, "a grade rule that cannot decide: `grade ... when` in a ruleset without grades, `at most` the best grade") \
    X(C056, error, "a scheme's versions overlap: two versions for one year, or one version label twice")          \
    X(C057, error, "a version file disagrees with its manifest: another scheme's `policy`, another year or version label") \
    X(C058, error, "`longest_run` read per month or quarter, where a run of days would be cut at the period's edges") \
    X(C059, error, "a quota on the last grade: no grade below it for those past the quota")                      \
    X(C060, error, "a quota outside 0..100% of the unit's people")                                                  \
    X(C061, error, "`ties by` a name that is not a measure of numbers for the year (unknown, a fact, a vote rating, or given per period)") \
    X(C062, error, "declared decimal places out of range: `report`, `round each clause`, `round each section` or `round total` with more than 6 places") \
    X(C063, error, "rounding declared twice for one level: two `report`s (or `report` with the header's `round N MODE`), two `round each clause`, `round each section` or `round total`") \
    X(C064, error, "a coefficient by grade that names a grade the ruleset does not declare, or in a ruleset without grades") \
    X(C065, error, "a coefficient table that leaves a grade or a total without a coefficient: no entry for a declared grade, no `otherwise`") \
    X(C066, error, "a coefficient by total whose bands are out of order or overlap, or whose `otherwise` is not last") \
    X(C067, error, "`expect rank` where no rank exists: in a test outside a `population`, or in a ruleset without a grade quota") \
    X(C068, error, "a version's file that is not a rule file: the manifest itself, another versions manifest, or a folder") \
    X(C069, error, "`unit_mean`, `unit_rank` or `unit_size` outside a grade rule's or a flag's condition: a score cannot depend on the unit") \
    X(C070, error, "`unit_mean` of something not the total or a measure of numbers for the year, or `unit_rank`/`unit_size` not of the total") \
    X(W001, warning, "a section's children allocate fewer points than its maximum")                                \
    X(W002, warning, "an event no rule uses")                                                                      \
    X(W003, warning, "an invisible character inside a text in quotes")                                             \
    X(W004, warning, "a division by a measure, amount or expression whose range holds 0: those records fail at scoring (R009)") \
    X(W005, warning, "a flag, grade rule or veto `where` no record can meet, or every record meets; a veto or grade rule that never decides") \
    X(W006, warning, "a named value no rule uses")                                                                 \
    X(W007, warning, "a veto that forces, or a grade rule that gives, a grade better than a band below it: it raises those totals") \
    X(W008, warning, "an outcome that can never be given: a coefficient band by total no total reaches, or after one every total reaches; a coefficient for a grade nothing gives; `quota 0%`") \
    /* Records */                                                                                                   \
    X(R001, error, "the record is not valid JSON")                                                                 \
    X(R002, error, "a field has the wrong JSON type")                                                              \
    X(R003, error, "an unknown or repeated field")                                                                 \
    X(R004, error, "a required field or measure is missing")                                                       \
    X(R005, error, "an unknown role, group, event type, measure or attribute value")                               \
    X(R006, error, "a value outside its range or domain")                                                          \
    X(R007, error, "a date or year that is malformed or outside the assessment year")                              \
    X(R008, error, "a limit: record size, nesting, string length, events, count, number size")                     \
    X(R009, error, "the record cannot be scored: a value missing from a table, a unit record's person event, overflow") \
    /* Workbooks */                                                                                                 \
    X(S001, error, "a file that cannot be read as a workbook or CSV: not a zip, damaged, malformed XML, encrypted, in neither UTF-8 nor GB18030, of an unknown kind") \
    X(S002, error, "a sheet or column missing, unknown or given twice")                                           \
    X(S003, error, "an unknown name in a cell: role, event type, attribute value, rating, period, grade")          \
    X(S004, error, "a cell that is not what its column takes: not a number, not whole, not a date, not 是/否, empty when required") \
    X(S005, error, "a value outside its range or domain; a date outside the year")                                 \
    X(S006, error, "a person given twice in 人员名单, or a row for a person not there")                           \
    X(S007, error, "a limit of a workbook: file size, uncompressed size, sheets, rows, columns, cells, a cell's text")

namespace kaohe::diag {

// One constant per code, in the table's order.
enum class Code : std::uint8_t {
#define KAOHE_CODE_ENUM(code, severity, meaning) code,
    KAOHE_DIAGNOSTIC_CODES(KAOHE_CODE_ENUM)
#undef KAOHE_CODE_ENUM
};

struct CodeInfo {
    const char* code;   // C004, as diagnostics and record errors carry it
    Severity severity;  // what a diagnostic with this code is
    const char* meaning;
};

inline constexpr CodeInfo kCodes[] = {
#define KAOHE_CODE_INFO(code, severity, meaning) {#code, Severity::severity, meaning},
    KAOHE_DIAGNOSTIC_CODES(KAOHE_CODE_INFO)
#undef KAOHE_CODE_INFO
};

constexpr const CodeInfo& info(Code c) { return kCodes[static_cast<std::size_t>(c)]; }
constexpr const char* name(Code c) { return info(c).code; }
constexpr Severity severity(Code c) { return info(c).severity; }

// A diagnostic with code `c`, made with the code's severity.
inline Diagnostic make(Code c, Location where, std::string message) {
    Diagnostic d;
    d.code = name(c);
    d.severity = severity(c);
    d.where = std::move(where);
    d.message = std::move(message);
    return d;
}

}  // namespace kaohe::diag
