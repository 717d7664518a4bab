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
    std::string condition;  // "condition", and "cap" by a grade rule: its condition as written, "count(absent) > 15"
    // "veto" and a veto's "cap": the veto's event type, the first event it fired on (its date as given
    // or "", its note or "", its position in the record's events). The veto's or the grade rule's
    // "file:line" (rule) and citation or "" (cite); both "" for "band".
    std::string event, date, note;
    std::int64_t event_index = -1;
    std::string rule, cite;
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
    // The version that scored the record, when the ruleset is a scheme's versions (its label,
    // "2023"); "" for a ruleset of one rule file.
    const std::string& version() const;
    std::optional<Number> score(std::string_view path) const;  // "total" or a node path
    // A part's score in one period of a section scored per period (`each quarter mean`): path and
    // period as the result names them ("quarterly.tasks", "2022-Q1"); none when the path is not
    // inside such a section, or the period is not one of its periods. score(path) is the year's.
    std::optional<Number> period_score(std::string_view path, std::string_view period) const;
    std::vector<Score> scores() const;                         // the card, depth first
    std::vector<Line> lines() const;
    std::vector<std::string> warnings() const;

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
    int year() const;

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

const char* version();  // "0.1.0"

}  // namespace kaohe
