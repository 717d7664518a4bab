// kaohe — a rules engine for performance-assessment scorecards.
//
//   auto compiled = kaohe::Ruleset::compile_file("rulesets/seed/seed.kh");
//   if (!compiled.ruleset) { std::cerr << kaohe::render(compiled.diagnostics); return 1; }
//   kaohe::Evaluation e = compiled.ruleset->evaluate(record_json);
//   if (e.ok()) std::cout << e.result().total().to_string() << "\n" << e.result().json();
//   else        std::cerr << e.error().where << ": " << e.error().message << "\n";
//
// Compile once, evaluate many times: a Ruleset is immutable and every const member function is
// safe to call from any number of threads at once. Results own what they refer to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kaohe/diagnostic.hpp"
#include "kaohe/number.hpp"

namespace kaohe {

// A record that cannot be scored: which record, which field, why.
struct RecordError {
    std::string id;       // the record's id when it could be read, else ""
    std::string message;  // what is wrong, in words
    std::string where;    // the field: "events[3].amount", "measures.county_target_score", ...
    std::string code;     // stable: R001 … R009, each listed with its meaning in docs/records.md
};

// One section or clause on a person's card.
struct Score {
    std::string path;  // "public.study.collective"
    std::string label;
    std::string cite;
    std::optional<Number> max;  // none: uncapped
    Number score;
    Number unallocated;  // a section's points not allocated to any child (awarded)
    int depth = 0;
    bool clause = false;
    // `weight 70%`: the weight in percent, and what `score` counts in the parent or the total
    // (score × weight / 100, exactly); none for a part that is not weighted.
    std::optional<Number> weight;
    std::optional<Number> contributes;
};

// One explanation line: a point gained or lost, by which rule, from which event.
struct Line {
    std::string path;     // the clause moved
    std::string kind;     // "event", "value", "cap", "floor", "ceiling", "start" (an earned clause's first line)
    std::string event;    // event type, for kind "event"
    std::string date;     // the event's date as given, or ""
    std::string note;     // the event's note, or ""
    std::string measure;  // the measure a rule read, or ""
    std::optional<Number> value;  // that measure's value, or the named value's
    std::string named_value;      // the named value a rule read (`per ... in workload`), or ""
    std::string label;            // that value's label when the measure is on a scale ("良好"), or ""
    std::string fact;        // a points table over a fact (`add by village_kind { ... }`), or the one fact
                             // a rule's `when` reads (`deduct 10 when not has_plan`): the fact, or ""
    std::string fact_value;  // the person's value of that fact, by id ("autonomous")
    std::optional<Number> threshold;  // a `per` rule's threshold, when written as an expression: its value for this record
    std::int64_t count = 1;       // the event's count
    std::int64_t event_index = -1;  // position in the record's events (unit events: -1 - position)
    bool from_unit = false;         // the event is the unit record's, not the person's
    bool otherwise = false;         // a `by` table does not list the event's value: its `otherwise` gave the points
    std::optional<Number> amount;   // the event's amount, when it has one
    std::string arithmetic;         // points computed from the event, with its numbers: "0.3 × floor(9 / 4) = 0.6", or ""
    Number points;        // signed
    std::string rule;     // "file:line" of the rule, or of the clause for floor/ceiling lines
    std::string cite;     // the rule's own citation (`cite "第3项"`), else the clause's
    std::string period;   // a period rule's line (`each month`): the period that counted, "2022-03" or "2022-Q1"; else ""
};

// What decided a result's grade (the JSON result's "outcome", docs/records.md).
struct Outcome {
    std::optional<std::string> grade;  // none: a veto in a scheme without grades
    std::string by;     // "band": the total reached a band; "veto": a veto forced the grade (or, without
                        // grades, is the outcome itself); "condition": a grade rule (`grade "G" when ...`)
                        // gave it; "cap": a veto or a `grade at most` lowered the band's grade to its cap
    std::string band;   // "band" and "cap": the band the total reached: "优秀 >= 90", "不称职 otherwise"
    // "band": the total the bands were compared with, exactly ("89.9967"), when the result shows the
    // total rounded (`report 2 places`: the exact total decided; `round total 2 places`: the
    // rounded one did, and the exact one is in the result's `exact`); else "".
    std::string on_total;
    std::string condition;  // "condition", and "cap" by a grade rule: its condition as written, "count(absent) > 15"
    std::string why;        // with it: the condition with the record's numbers, "count(absent) = 16 > 15"
    // "veto" and a veto's "cap": the veto's event type, the first event it fired on (its date as given
    // or "", its note or "", its position in the record's events). The veto's or the grade rule's
    // "file:line" (rule) and citation or "" (cite); both "" for "band".
    std::string event, date, note;
    std::int64_t event_index = -1;
    std::string rule, cite;
    // "cap" of a grade a veto forced or a grade rule gave (a cap lowers whatever decided): that
    // grade and what gave it, "称职 forced by veto accident at rules.kh:7" or "称职 by condition
    // count(late) = 0 at rules.kh:3" (band is then ""); else "".
    std::string capped;
    // A grade with a quota (`"优秀" >= 90 quota 15% round down ties all_in`): "before" when a single
    // record was scored, whose grade is then the one before the quota; in a batch, the quota as
    // applied to the person's unit, "优秀: 15% of 40 = 6, round down, ties all_in", with the person's
    // rank by total among the unit's people who reached that grade (1: the highest, ties share one;
    // 0 when not ranked). A person past the quota has the next grade, `by` "quota" and the quota's
    // "file:line" in `rule`; the other fields still say what gave the grade the quota took away.
    std::string quota;
    std::int64_t rank = 0;
};

// A flag raised for the record (`flag further_action "另作处理" when count(absent) >= 10 cite
// "第八条"`): it moves no score; it tells whoever acts on the result that the condition held.
struct Flag {
    std::string id;     // "further_action"
    std::string label;  // "另作处理"
    std::string cite;   // the policy's item, or "" when the flag cites none
    std::string rule;   // "file:line" of the flag's declaration
    std::string why;    // its condition with the record's numbers: "count(absent) = 12 >= 10"
};

// A coefficient for the record (`coefficient pay_factor "考核系数" by grade { "优秀": 1.2, ... }`), for
// the pay office: it moves no score. From the final grade (after vetoes and grade rules) or the total.
struct Coefficient {
    std::string id;     // "pay_factor"
    std::string label;  // "考核系数"
    Number value;       // exact (the table's 1.20 is 1.2); 0 or more
    std::string by;     // "grade" or "total"
    std::string why;    // "grade 优秀", "grade 不称职, otherwise", "total 96 >= 95", "total 50, otherwise",
                        // "grade 优秀 (before the quota)"; a total as the bands compared it, exactly
    std::string cite;   // the policy's item, or "" when the coefficient cites none
    std::string rule;   // "file:line" of the table's entry that gave the value
    // "before" when the value is by a grade that has a quota and the record was scored alone, so
    // the quota (which ranks a unit's people) may still take the grade away; else "".
    std::string quota;
};

// The person's unit as the rules that read it saw it (`unit_mean`, `unit_rank`, `unit_size`;
// docs/records.md, `population`). In a batch: decided, with the figures; a record scored alone:
// decided false, unit set, the figures 0 and empty. Also decided false, beside the figures, in a
// batch where a rule reads `unit_mean(M)` and nobody in the unit has a value of M.
struct Population {
    bool decided = false;
    std::string unit;               // the record's `unit`, "" when it gives none
    std::size_t people = 0;         // the unit's people scored (as a quota counts them)
    std::size_t rank = 0;           // the person's rank by total, 1 the highest; ties share one (1, 2, 2, 4)
    Number mean_total;              // the unit's mean total, exact (283/3 when it does not divide)
    std::map<std::string, Number> means;  // by measure id, each a `unit_mean` reads, exact; absent when nobody has a value
};

class Result {
public:
    const std::string& id() const;
    const std::string& name() const;
    const std::string& role() const;        // "" when the scheme declares no roles (one card)
    const std::string& role_label() const;  // "" likewise
    Number total() const;
    std::optional<std::string> grade() const;
    std::optional<Outcome> outcome() const;  // none: no grade and no veto fired
    // The `version "…"` of the rules that scored the record, as its receipt names it: of a
    // scheme's versions, the one chosen by the record's year ("2023"); "" when none is declared.
    const std::string& version() const;
    std::optional<Number> score(std::string_view path) const;  // "total" or a node path
    // The figure as the scorecard and the result JSON show it, "total" or a node path: under the
    // policy's `report 2 places half_up`, rounded and with every place ("90.00"); none for an
    // unknown path. score(path) is the value the arithmetic used (rounded only where the policy
    // rounds inside it: `round each clause|each section|total N places`).
    std::optional<std::string> reported(std::string_view path) const;
    // Beside a figure shown rounded, its exact value: before `round ... N places` rounded it in the
    // arithmetic, or before `report` rounded it for showing; none when the figure is exact.
    std::optional<Number> exact(std::string_view path) const;
    // A part's score in one period of a section scored per period (`each quarter mean`): path and
    // period as the result names them ("quarterly.tasks", "2022-Q1"); none when the path is not
    // inside such a section, or the period is not one of its periods. score(path) is the year's.
    std::optional<Number> period_score(std::string_view path, std::string_view period) const;
    std::vector<Score> scores() const;                         // the card, depth first
    std::vector<Line> lines() const;
    std::vector<std::string> warnings() const;
    // The flags raised for the record, in declaration order (empty: none raised, or none declared).
    std::vector<Flag> flags() const;
    // The receipt's hashes (docs/records.md, "The receipt"), "sha256:" and 64 lowercase hex
    // digits: the compiled ruleset's (Ruleset::fingerprint()) and the record's JSON text as given
    // (kaohe::record_hash()); the record's is "" for a record not given as JSON text.
    const std::string& ruleset_hash() const;
    const std::string& record_hash() const;
    // The ruleset's coefficients for the record, in declaration order (empty: none declared).
    std::vector<Coefficient> coefficients() const;
    // The unit's figures the rules read (Population); none when no grade rule or flag of the
    // ruleset reads the unit.
    std::optional<Population> population() const;

    std::string json() const;  // the result format of docs/records.md, one line
    std::string text() const;  // a readable scorecard

private:
    friend struct Access;  // lib/api/access.hpp
    struct State;
    explicit Result(std::shared_ptr<const State> state) : state_(std::move(state)) {}
    std::shared_ptr<const State> state_;
};

class Evaluation {
public:
    bool ok() const { return result_.has_value(); }
    const Result& result() const { return *result_; }
    const RecordError& error() const { return error_; }
    // The result JSON, or the error result {"id", "error": {"message", "where"}}.
    std::string json() const;

    explicit Evaluation(Result r) : result_(std::move(r)) {}
    explicit Evaluation(RecordError e) : error_(std::move(e)) {}

private:
    std::optional<Result> result_;
    RecordError error_;
};

// What a stored result is against what a ruleset gives for its record today (Ruleset::verify).
struct Verification {
    // The stored result is what these rules give for this record: the same receipt (ruleset and
    // record hashes) and the same result, value for value (numbers by exact decimal value, so
    // `20.0` is `20.00`; strings as strings; an object's members in any order).
    bool same = false;
    // The stored result carries a receipt; results written before receipts have none.
    bool has_receipt = false;
    // What differs, in words: a quota's place these rules cannot have given (not_checked below)
    // first, then the receipt, then the total, the grade, each score by path,
    // then the other fields by name: "the ruleset hash: the result has sha256:…, these rules give
    // sha256:…", "the score of public.study: the result has 9, these rules give 8", "`lines`".
    std::vector<std::string> differences;
    // What could not be checked, in words, "" when nothing: a batch result under a grade quota
    // holds the person's place in the unit's population (the quota's count of N people, the rank,
    // lowered or not), which one record cannot re-check; it is taken from the stored result and
    // applied to the record's fresh score, so the grade before the quota, the grade after it and
    // the coefficients by it are still compared.
    std::string not_checked;
    // Set when there is nothing to compare: the record cannot be scored (its error, as evaluate
    // gives it), or the stored result is not a JSON object (code "" and `message` says so).
    std::optional<RecordError> error;
};

// A unit record (facts about the whole unit), read against a ruleset.
class Unit {
private:
    friend struct Access;  // lib/api/access.hpp
    struct State;
    explicit Unit(std::shared_ptr<const State> state) : state_(std::move(state)) {}
    std::shared_ptr<const State> state_;
};

struct CompileResult;

// How a ruleset's files may be read.
struct CompileOptions {
    // When not empty: every file the ruleset reads (the root file and each include), resolved
    // through symbolic links, must lie inside this directory. A file outside it is an error
    // (P003) that names the file as written; it is never opened, and nothing of it is shown.
    std::string confine_to;
};

class Ruleset {
public:
    // `path` is a rule file, or a scheme's versions: a manifest (a file whose first word is
    // `versions`, README "Versions by year") or a folder holding one as `versions.kh`. A ruleset
    // of versions scores each record by the version for its `year` (a year no version is for is
    // R007, naming the years there are); policy_name(), year(), format() and source_bytes()
    // answer for the latest version.
    static CompileResult compile_file(const std::string& path);
    static CompileResult compile_file(const std::string& path, const CompileOptions& options);
    static CompileResult compile_text(std::string text, std::string name = "<text>");

    // Scores one JSON record. Never throws for bad input: a bad record gives an Evaluation
    // whose error() names the field and the reason.
    Evaluation evaluate(std::string_view record_json, const Unit* unit = nullptr) const;

    // Reads a unit record; on failure, `error` (when given) says why and nullopt is returned.
    std::optional<Unit> read_unit(std::string_view unit_json, RecordError* error = nullptr) const;

    const std::string& policy_name() const;
    const std::string& policy_version() const;  // `version "2022"`; "" when none is declared
    int year() const;

    // The ruleset hash of every result's receipt, "sha256:" and 64 lowercase hex digits: SHA-256
    // over each of the ruleset's files in the order they are read, by its path relative to the
    // main file's directory and its bytes (docs/records.md says exactly how). The same for the same
    // files wherever they lie on disk; any change to any file's text changes it.
    const std::string& fingerprint() const;

    // Whether `result_json` (a result as eval wrote it) is what this ruleset gives today for
    // `record_json` (and `unit`, when the result was scored with one). Never throws for bad input.
    Verification verify(std::string_view record_json, std::string_view result_json, const Unit* unit = nullptr) const;

    // A scheme's versions, by year: {"2022", 2022}, {"2023", 2023}. Empty for a ruleset of one rule file.
    struct Version {
        std::string label;  // the version's `version "…"`
        int year = 0;       // the assessment year it is for
    };
    std::vector<Version> versions() const;
    // The version for assessment year `year`, as a ruleset of its own; for a ruleset of one rule
    // file, itself when `year` is its year. nullopt when no version is for that year.
    std::optional<Ruleset> for_year(int year) const;

    // `n` as this ruleset's results write their numbers: rounded to the policy's places by its
    // rounding rule ("93.70" for `round 2 half_up`). Throws ArithmeticError past the number limit.
    std::string format(const Number& n) const;

    // The size in bytes of the rule text the ruleset was compiled from (its file and every include).
    std::size_t source_bytes() const;

private:
    Evaluation evaluate_version(std::string_view record_json, const Unit* unit) const;
    friend struct Access;  // lib/api/access.hpp
    struct State;
    explicit Ruleset(std::shared_ptr<const State> state) : state_(std::move(state)) {}
    std::shared_ptr<const State> state_;
};

struct CompileResult {
    std::optional<Ruleset> ruleset;       // empty when there is any error
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order per stage
};

// ---- Files
// How the engine reads every file it is given (rule files and their includes, records named in
// tests, unit records): opened without blocking, and refused unless it is a regular file (a FIFO,
// a device, a directory or a socket is named as such); never more than `limit` + 1 bytes are
// read, and a larger file is refused without reading the rest.
struct FileText {
    enum class Status { ok, not_found, permission, not_regular, too_large, invalid_path, io_error };
    Status status = Status::io_error;
    std::string text;        // the whole file, when ok
    std::string reason;      // otherwise why, in words: "it is a FIFO (named pipe), not a regular file"
    std::uint64_t size = 0;  // for too_large: the file's size when it is known, else 0
};
FileText read_file(const std::string& path, std::size_t limit);

inline constexpr std::size_t kMaxRuleFileBytes = 8u << 20;  // a rule file: 8 MiB
inline constexpr std::size_t kMaxRecordBytes = 1u << 20;    // a record or a unit record: 1 MiB of JSON

// The message of R008 for a record over kMaxRecordBytes, in the one wording every host uses:
// "record is larger than 1048576 bytes (the limit for a record), 2000000 bytes". `size` is what
// is known of the record's size, appended after a comma ("2000000 bytes", "at least 1048580
// bytes", "1100000 bytes as jsonb"); empty: nothing is known, nothing is appended.
std::string record_too_large(std::string_view size);

// The record hash of a result's receipt: "sha256:…" of the record's canonical form, the record as
// the engine reads it, so that every JSON spelling of the same record has the same hash
// (docs/records.md, "The receipt"). "" when the text is not a record the reader accepts.
std::string record_hash(std::string_view record_json);

const char* version();  // "0.1.0"

}  // namespace kaohe
