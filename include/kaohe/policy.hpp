// Changing a policy safely: coverage of its tests, mutation testing, the impact of a change on a
// population, and rewriting test expectations to accepted values.
//
//   kaohe::policy::Coverage cov;                        // kaohe test PATH... --coverage
//   for (const auto& file : test_files) cov.run(*kaohe::Ruleset::compile_file(file).ruleset);
//   kaohe::policy::CoverageReport r = cov.report();     // rules and boundaries, covered or not
//
//   auto m = kaohe::policy::mutate("rulesets/seed/seed.kh", test_files);   // kaohe mutate
//   auto d = kaohe::policy::structural_diff(old_rules, new_rules);          // kaohe diff OLD NEW
//   auto i = kaohe::policy::diff_batch(old_rules, new_rules, in, options, on_record); // --batch
//   auto u = kaohe::policy::apply_updates(reports);                         // kaohe test --update
//
// Every entry point returns a report with one convention (TestReport, kaohe/testing.hpp, too):
//   diagnostics   of the rule files it read (each report says which it keeps)
//   error         "" when it ran; otherwise why it could not, in words ("OLD does not compile")
//   ok()          error is empty. Whether the outcome is good (tests pass, mutants are killed,
//                 coverage is enough) is for the caller to judge from the report's figures.
//   text()        the report for people, ending in a newline, ready for a terminal: what comes
//                 from rule files, records and file names is shown as kaohe::terminal_text shows it
//   json()        the report for machines, one JSON object of the shape documented at the report
// The things a report lists (a test, a change, a mutant, an update) render themselves the same
// way, so that a caller can stream them.
//
// Everything here reads rule files through the same parser and checker as Ruleset::compile_file,
// and scores through the same evaluator: no number goes through binary floating point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kaohe/diagnostic.hpp"
#include "kaohe/kaohe.hpp"
#include "kaohe/number.hpp"
#include "kaohe/testing.hpp"

namespace kaohe::policy {

// ---------------------------------------------------------------------------------------------
// Coverage

// One thing a ruleset's tests should exercise. A rule is covered when some test moved a score
// through it; a boundary when tests sit on both of its sides:
//   threshold     of `N per U short of|below|above T in M`: a test with M exactly T (no deduction)
//                 and one on the deducting side of T
//   range_low / range_high   of `event E "..." amount LO..HI`: a test with amount exactly LO (HI),
//                 scored, and one with an amount below LO (above HI), rejected for it; of a
//                 rating's `marks LO..HI`: a test with a mark exactly LO (HI), scored, and one
//                 with a mark below LO (above HI), rejected for it
//   cap           `at most N`: a test where the rule counted more than N (cut), and one where it
//                 counted something, N or less
//   floor         a clause's floor of 0: a test where its deductions went below 0 (cut), and one
//                 where it lost points without going below 0
//   ceiling       an earned clause's (`from 0`) maximum: a test where its additions went above it
//                 (cut), and one where it earned points without going above
//   table_entry   `key: points` in a `by` table: a test that scored an event through it (one side)
//   multiplier    `times F if|unless G`: a test where the rule moved points with the factor
//                 applied, and one without it
//   grade_band    `"NAME" >= T`: a test with a total of exactly T, and one below T;
//                 `"NAME" otherwise`: a test that got it (one side) — counting only tests that
//                 expect a grade, since a grade shows to no other test
//   decision      a veto or a grade rule (`grade "G" when ...`): a test where it decided the grade
//                 (or the outcome), and one where it did not — counting only tests that expect a
//                 grade or a veto
struct CoverageItem {
    // flag: a flag's condition (`flag ... when COND`), raised and not raised, seen by tests that expect the flag.
    // coefficient: an entry of a coefficient's table, seen by tests that expect the coefficient: by
    // total, `>= T: V` with a total of exactly T, and one below T; `"GRADE": V` and `otherwise: V`,
    // a test that got it (one side).
    enum class Kind { rule, threshold, range_low, range_high, cap, floor, table_entry, multiplier, grade_band, ceiling, decision, flag,
                      coefficient };
    Kind kind = Kind::rule;
    Location where;
    std::string subject;  // what it is, in words: "rule `deduct 2 each study_absence`"
    std::string side_a, side_b;  // the two sides in words; side_b is "" for one-sided items
    bool seen_a = false, seen_b = false;
    std::vector<std::string> tests;  // tests that exercised it ("file:line: name"), first seen first
    bool covered() const { return seen_a && (side_b.empty() || seen_b); }
    // "rule `deduct 2 each study_absence`: no test moved a score through it"
    std::string uncovered_text() const;
};

const char* to_string(CoverageItem::Kind k);

struct CoverageReport {
    std::vector<Diagnostic> diagnostics;  // none: coverage is collected from compiled rulesets
    std::string error;                    // always "": there is nothing that can stop it
    bool ok() const { return error.empty(); }
    std::vector<CoverageItem> items;  // by file (in first-seen order), then position
    int rules = 0, rules_covered = 0, boundaries = 0, boundaries_covered = 0;
    // Caps, floors and earned ceilings that no record can reach (their rules cannot count that
    // much): not boundaries.
    std::vector<std::pair<Location, std::string>> unreachable;
    // "rules covered: a/b, boundaries covered: c/d"
    std::string summary() const;
    // Both percentages reach `percent` (a whole or decimal number, 0..100).
    bool meets(const Number& percent) const;
    // "FILE:LINE:COLUMN: uncovered: ..." for each uncovered item, "FILE:LINE:COLUMN: unreachable,
    // not counted: ..." for each unreachable cap or floor, then summary().
    std::string text() const;
    // One object: {"rules": {"covered", "total"}, "boundaries": {...}, "items": [{"kind", "file",
    // "line", "column", "subject", "covered", "sides": [{"side", "seen"}], "tests": [...]}],
    // "unreachable": [{"file", "line", "column", "what"}]}
    std::string json() const;
};

// Collects coverage over the test files of one or more compiled rulesets. Items are told apart by
// file and position, so the same rule reached from several test files is one item.
class Coverage {
public:
    Coverage();
    ~Coverage();
    Coverage(const Coverage&) = delete;
    Coverage& operator=(const Coverage&) = delete;

    // Runs the ruleset's tests (as run_tests does), recording what they exercise.
    TestReport run(const Ruleset& ruleset, TestOptions options = {});
    CoverageReport report() const;

private:
    struct State;
    std::unique_ptr<State> impl_;
};

// ---------------------------------------------------------------------------------------------
// Mutation testing

// One single-point change to a rule file.
struct Mutant {
    std::string file;                  // as the compiler names it
    std::uint32_t begin = 0, end = 0;  // bytes replaced in that file's text
    std::string replacement;
    Location where;
    std::string kind;    // "number", "rounding", "comparison", "min/max", "condition", "cap removed",
                         // "floor removed", "start removed" (an earned clause's `from 0`), "multiplier dropped",
                         // "dropping toggled" (a rating's `dropping highest and lowest`), "period" (`each month` ↔ `each quarter`)
    std::string before;  // the phrase as written: "deduct 2"
    std::string after;   // the phrase as mutated: "deduct 3"
};

// A mutant that is not generated because it computes the same score as the original for every
// record, by construction. The reasons (README, "Changing a policy"):
//   "rounding of a per-step rule whose steps are always whole"
//   "a cap the rule can never reach"
//   "a deduction of at least the clause's whole maximum, in a clause that only deducts"
//   "an addition of at least the clause's whole maximum, in an earned clause that only adds"
//   "the floor of a clause that can never go below 0"
struct Equivalent {
    Location where;
    std::string kind;
    std::string before, after;
    std::string reason;
    // {"file", "line", "column", "kind", "before", "after", "status": "equivalent", "reason"}
    std::string json() const;
};

std::vector<Mutant> mutants_of(const Ruleset& ruleset, std::vector<Equivalent>* equivalent = nullptr);

struct MutantResult {
    Mutant mutant;
    enum class Status { killed_by_test, killed_by_checker, survived } status = Status::survived;
    std::string killer;  // the failing test ("file:line: name") or the checker's first error
    // {"file", "line", "column", "kind", "before", "after", "status": "killed"|"rejected"|
    // "survived", "killed_by" (when killed or rejected)}
    std::string json() const;
};

struct MutationOptions {
    unsigned threads = 0;  // 0: one per core; at most 1024, and no more than there are mutants
    // After each mutant (done = 1, 2, ... total), on the calling thread, in the mutants' order
    // (by file and position): a mutant is reported once it and those before it have run.
    std::function<void(std::size_t done, std::size_t total)> progress;
};

struct MutationReport {
    std::vector<MutantResult> results;   // by file and position
    std::vector<Equivalent> equivalent;  // not generated
    std::size_t killed = 0, survived = 0;
    std::size_t tests = 0;               // tests run against each mutant (at most)
    std::int64_t milliseconds = 0;       // wall time of the mutants' runs
    unsigned threads = 0;
    // Why mutation testing could not run: the ruleset does not compile, a test file does not, or
    // the tests fail on the unchanged ruleset. Empty when it ran.
    std::string error;
    std::vector<Diagnostic> diagnostics;
    bool ok() const { return error.empty(); }
    // "mutants: M, killed: K, survived: S, score: P%"
    std::string summary() const;
    Number score() const;  // killed / mutants × 100 (100 when there are no mutants)
    // "FILE:LINE:COLUMN: survived: \"BEFORE\" -> \"AFTER\"" for each survivor, the count of
    // equivalent mutants not generated, "ran T tests against each mutant, on N threads, in S s",
    // then summary(). When !ok(), the error.
    std::string text() const;
    // {"mutants": [MutantResult::json()...], "equivalent": [Equivalent::json()...],
    //  "summary": {"mutants", "killed", "survived"}}; when !ok(), {"error": ERROR}.
    std::string json() const;
};

// Compiles `rules`, makes every mutant, and runs the tests of `test_files` (each compiled on its
// own, as `kaohe test` does) against each mutant, compiled in memory.
MutationReport mutate(const std::string& rules, const std::vector<std::string>& test_files,
                      const MutationOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Impact of a change

// One structural difference between two rulesets. `old_where` or `new_where` has line 0 when
// the thing exists on one side only.
struct Change {
    std::string change;  // "added", "removed", "renamed", "changed"
    std::string what;    // "clause", "section", "rule", "event", "measure", "fact", "standing", "grades", "policy", ...
    std::string path;    // "public.study.personal", "chair: personal.overall", event id, ...
    Location old_where, new_where;
    std::string old_text, new_text;  // as written, on one line
    std::vector<std::pair<std::string, std::string>> numbers;  // numbers that differ: old → new
    // "CHANGE WHAT PATH", then indented "old FILE:LINE:COLUMN: TEXT", "new ...", "numbers: A -> B"
    std::string text() const;
    // {"change", "what", "path", "old": {"file", "line", "column", "text"}, "new": {...},
    //  "numbers": [[OLD, NEW], ...]} ("old", "new", "numbers" only when there are)
    std::string json() const;
};

struct StructuralDiff {
    std::vector<Change> changes;
    std::vector<Diagnostic> diagnostics;  // errors of either ruleset
    std::string error;                    // "OLD does not compile" (or NEW); "" when both did
    bool ok() const { return error.empty(); }
    // Each change's text(), then "N change(s)"; when !ok(), the error.
    std::string text() const;
    // {"changes": [Change::json()...], "summary": {"changes": N}}; when !ok(), {"error": ERROR}.
    std::string json() const;
};

StructuralDiff structural_diff(const std::string& old_rules, const std::string& new_rules);

// One record scored under both rulesets.
struct RecordDiff {
    std::size_t line = 0;  // in the input
    std::string id;
    bool error = false;
    std::string error_text;  // "old: events[3].amount: amount 6 is outside ..." when error
    Number old_total, new_total, delta;
    std::optional<std::string> old_grade, new_grade;
    // Clause and section scores that differ (nullopt: the path is not on that side's card).
    std::vector<std::pair<std::string, std::pair<std::optional<Number>, std::optional<Number>>>> paths;
    // Explanation lines on one side only, written out ("- public.study.collective -1 study_late ...").
    std::vector<std::string> lines;
    // The flags raised under each ruleset (`flag ... when ...`), by id in declaration order.
    std::vector<std::string> old_flags, new_flags;
    // The coefficients under each ruleset (`coefficient ... by grade { ... }`): id and value, in declaration order.
    std::vector<std::pair<std::string, Number>> old_coefficients, new_coefficients;
    int places = 2;  // how the old ruleset writes numbers: json() writes them so
    Rounding rounding = Rounding::half_up;
    bool flags_changed() const { return old_flags != new_flags; }
    bool coefficients_changed() const { return old_coefficients != new_coefficients; }
    bool changed() const {
        return !error && (!(delta.is_zero()) || old_grade != new_grade || !paths.empty() || flags_changed() || coefficients_changed());
    }
    // {"id", "old", "new", "delta", "paths": {PATH: [OLD, NEW]}, "grade": [OLD, NEW] (when it
    // changed), "flags": [[OLD...], [NEW...]] (when they changed), "coefficients": {ID: [OLD, NEW]}
    // (those whose value changed; null: none on that side)}, numbers as written by the old ruleset
    std::string json() const;
};

struct BatchDiffOptions {
    unsigned threads = 0;         // 0: one per core; at most 1024
    std::string unit_path;        // a unit record for every person, read under both rulesets
    bool with_lines = true;       // compute the differing explanation lines of changed records
    // Score each record under NEW as if written for NEW's year (of a scheme's versions, its latest
    // version's): its `year`, its events' dates and its periods moved to that year, the rest as
    // written. Last year's records under next year's rules. Not with `unit_path` (an error).
    bool as_year = false;
};

// The impact of a change on a population (diff_batch).
struct ImpactReport {
    std::vector<Diagnostic> diagnostics;  // errors of either ruleset
    // Why it could not run: a ruleset does not compile, the unit record cannot be read. Bad
    // records do not stop it: they are counted in `errors`. "" when it ran.
    std::string error;
    bool ok() const { return error.empty(); }
    std::size_t records = 0, changed = 0, up = 0, down = 0, errors = 0;
    std::size_t regraded = 0;      // records whose grade changed
    // The first 100 of them, in input order: "ID (line N): 称职 -> 基本称职" (a grade can change
    // while the total does not, under a veto or grade rule changed).
    std::vector<std::string> regraded_records;
    // Records whose raised flags changed, in input order: "ID (line N): +further_action -other".
    std::vector<std::string> reflagged;
    std::size_t coefficients_changed = 0;  // records whose value of a coefficient changed (or that gained or lost one)
    std::size_t clauses_only = 0;  // records whose total and grade stay, but clause scores moved
    std::optional<Number> smallest, largest;  // change of the total, over the records scored under both
    Number sum;                                // of the changes
    std::map<Number, std::size_t> deltas;      // change of the total → records (changed totals only)
    std::map<std::pair<std::string, std::string>, std::size_t> grades;  // old → new grade ("" none)
    std::vector<std::string> old_grade_order, new_grade_order;
    std::vector<RecordDiff> top;               // the largest movers, largest |change| first
    int places = 2;
    Rounding rounding = Rounding::half_up;
    std::string text() const;                  // the report for people, histogram and table included;
                                               // when !ok(), the error
    // {"summary": {"records", "changed", "up", "down", "errors", "coefficients_changed" (when not 0)}};
    // when !ok(), {"error": ERROR}
    std::string json() const;
};

// Scores every JSON Lines record of `in` under both rulesets in one pass, on `threads` threads,
// streaming: `on_record` is called for every record, in input order, one call at a time (changed
// or not, and for records that fail), on the calling thread. The report's `error` says why it did
// not run when a ruleset or the unit record cannot be read; `top` is the number of largest movers
// kept.
ImpactReport diff_batch(const std::string& old_rules, const std::string& new_rules, std::istream& in,
                        const BatchDiffOptions& options, const std::function<void(const RecordDiff&)>& on_record,
                        std::size_t top = 10);

// ---------------------------------------------------------------------------------------------
// Snapshot update

struct Update {
    std::string file;
    unsigned line = 0;
    std::string expectation;  // "expect public.study = 10"
    std::string actual;       // "9"
    bool applied = false;
    bool write_failed = false;  // not applied because its file could not be rewritten (left as it was)
    std::string why_not;      // when not applied
    // "FILE:LINE: EXPECTATION -> ACTUAL", or "FILE:LINE: EXPECTATION: not updated: WHY"
    std::string text() const;
    // {"file", "line", "expectation", "actual", "applied", "why_not" (when not applied)}
    std::string json() const;
};

struct UpdateReport {
    std::vector<Diagnostic> diagnostics;  // none: it reads the files as text, not as rules
    // Always "": an update that cannot be made says why in its own why_not (write_failed when
    // its file could not be rewritten).
    std::string error;
    bool ok() const { return error.empty(); }
    std::vector<Update> updates;  // by file, then line
    bool applied() const;         // some update was applied
    std::string text() const;     // each update's text()
    std::string json() const;     // {"updates": [Update::json()...]}
};

// Rewrites, in place, the expected value of every failed value or grade expectation in the
// reports to its actual value; nothing else in any file changes. An expectation reached through
// several test files is rewritten once. Each file is replaced whole (a new version renamed over
// it): when that fails, it is left as it was and its updates say why (write_failed).
UpdateReport apply_updates(const std::vector<TestReport>& reports);

}  // namespace kaohe::policy
